import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse as parseDotenv } from 'dotenv';

export const ROOT = resolve(__dirname, '../../../..');

export function projectPath(...parts: string[]): string {
  return join(ROOT, ...parts);
}

export function readText(relativePath: string): string {
  return readFileSync(projectPath(relativePath), 'utf8');
}

export function readJson(relativePath: string): unknown {
  return JSON.parse(readText(relativePath));
}

export function exists(relativePath: string): boolean {
  return existsSync(projectPath(relativePath));
}

const PLACEHOLDER = /\$\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g;

/** Names used as `${{NAME}}` (the toolkit's placeholder syntax) in a text. */
export function placeholdersIn(text: string): string[] {
  return [...new Set([...text.matchAll(PLACEHOLDER)].map((m) => m[1]!))];
}

/** Replaces every `${{NAME}}` by `values[NAME]`; throws on a name without a value. */
export function substitute(text: string, values: Record<string, string>): string {
  return text.replace(PLACEHOLDER, (_, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`no sample value for ${name}`);
    return value;
  });
}

const GENERATED_MARKER = '# Generated during provision';

export interface EnvFile {
  /** Keys an operator or the toolkit sets before provisioning (above the "generated" marker). */
  inputs: Set<string>;
  /** Keys the provision steps write (below the marker). */
  generated: Set<string>;
}

/** Reads a toolkit env file, split at its "Generated during provision" comment. */
export function readEnvFile(relativePath: string): EnvFile {
  const text = readText(relativePath);
  const at = text.indexOf(GENERATED_MARKER);
  const before = at < 0 ? text : text.slice(0, at);
  const after = at < 0 ? '' : text.slice(at);
  return { inputs: new Set(Object.keys(parseDotenv(before))), generated: new Set(Object.keys(parseDotenv(after))) };
}
