import { SETTINGS } from '../../src/config/settings';

/**
 * Options of `npm start`, read from the environment so `npm start` stays argument-free for a new
 * user: `LOCAL_ANY_PORTS` (not a bot setting; it never reaches `src/config`), and the bot's own
 * `PORT`, checked here too because `npm start` holds that port before the bot exists.
 */
export interface StartOptions {
  /** `LOCAL_ANY_PORTS=true`: the emulators take free ports instead of the defaults (runs beside another stack). */
  anyPorts: boolean;
  /** `PORT` (default 3978): where the bot listens. */
  botPort: number;
}

export type StartOptionsResult = { ok: true; options: StartOptions } | { ok: false; error: string };

/** The bot's own default (`PORT` in the settings table). */
export const DEFAULT_BOT_PORT = Number(SETTINGS.find((s) => s.name === 'PORT')?.default);

export function startOptionsFrom(env: NodeJS.ProcessEnv): StartOptionsResult {
  const raw = env.LOCAL_ANY_PORTS?.trim().toLowerCase() ?? '';
  if (raw !== '' && raw !== 'true' && raw !== 'false') {
    return { ok: false, error: `LOCAL_ANY_PORTS must be true or false (or unset), not "${env.LOCAL_ANY_PORTS ?? ''}".` };
  }
  const port = env.PORT?.trim() ?? '';
  const botPort = port === '' ? DEFAULT_BOT_PORT : Number(port);
  if (!/^\d*$/.test(port) || !Number.isInteger(botPort) || botPort < 1 || botPort > 65535) {
    return { ok: false, error: `PORT must be a port number from 1 to 65535 (or unset for ${DEFAULT_BOT_PORT}), not "${env.PORT ?? ''}".` };
  }
  return { ok: true, options: { anyPorts: raw === 'true', botPort } };
}

/** Arguments for `emulators/main.ts` that carry the options. */
export function emulatorArgs(options: StartOptions): string[] {
  return options.anyPorts ? ['--any-ports'] : [];
}
