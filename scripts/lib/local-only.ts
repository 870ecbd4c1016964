import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse as parseDotenv } from 'dotenv';
import { SETTINGS } from '../../src/config';

/** Files `npm start` reads Azure settings from, besides the environment (the bot's `.env` convention). */
export const ENV_FILES = ['.env', '.env.local'];

/**
 * The Azure settings that are set, by the same rule as `loadConfig` (any non-blank Azure setting
 * switches the profile to azure). `npm start` refuses to run when this is not empty.
 */
export function azureSettingsPresent(env: NodeJS.ProcessEnv, cwd: string, files: string[] = ENV_FILES): string[] {
  const fromFiles = readEnvFiles(cwd, files);
  const value = (name: string): string => (env[name] ?? fromFiles[name] ?? '').trim();
  return SETTINGS.filter((s) => s.group === 'azure' && value(s.name) !== '').map((s) => s.name);
}

/** The settings the `.env` files hold (later files win). */
export function readEnvFiles(cwd: string, files: string[] = ENV_FILES): Record<string, string> {
  const fromFiles: Record<string, string> = {};
  for (const file of files) {
    const path = resolve(cwd, file);
    if (existsSync(path)) Object.assign(fromFiles, parseDotenv(readFileSync(path)));
  }
  return fromFiles;
}
