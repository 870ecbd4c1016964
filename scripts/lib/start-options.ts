/**
 * Options of `npm start` that are not bot settings (they never reach `src/config`): read from the
 * environment so `npm start` stays argument-free for a new user.
 */
export interface StartOptions {
  /** `LOCAL_ANY_PORTS=true`: the emulators take free ports instead of the defaults (runs beside another stack). */
  anyPorts: boolean;
}

export type StartOptionsResult = { ok: true; options: StartOptions } | { ok: false; error: string };

export function startOptionsFrom(env: NodeJS.ProcessEnv): StartOptionsResult {
  const raw = env.LOCAL_ANY_PORTS?.trim().toLowerCase() ?? '';
  if (raw !== '' && raw !== 'true' && raw !== 'false') {
    return { ok: false, error: `LOCAL_ANY_PORTS must be true or false (or unset), not "${env.LOCAL_ANY_PORTS ?? ''}".` };
  }
  return { ok: true, options: { anyPorts: raw === 'true' } };
}

/** Arguments for `emulators/main.ts` that carry the options. */
export function emulatorArgs(options: StartOptions): string[] {
  return options.anyPorts ? ['--any-ports'] : [];
}
