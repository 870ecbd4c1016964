import pino, { type Logger, type LevelWithSilent } from 'pino';

export type { Logger };

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const satisfies readonly LevelWithSilent[];
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Paths that never reach a log line, whatever a caller passes in. */
const REDACT_PATHS = [
  'token', '*.token', 'accessToken', '*.accessToken', 'access_token', '*.access_token',
  'refreshToken', '*.refreshToken', 'assertion', '*.assertion', 'authorization', '*.authorization',
  'headers.authorization', 'req.headers.authorization', 'clientSecret', '*.clientSecret',
  'password', '*.password', 'key', '*.key', 'secret', '*.secret',
];

export interface LoggerOptions {
  level: LogLevel;
  name?: string;
  /** Write destination; defaults to stdout. Tests pass a stream to inspect lines. */
  destination?: pino.DestinationStream;
}

/** The process logger: built once in the composition root; modules take `logger.child({ module })`. */
export function createLogger(options: LoggerOptions): Logger {
  return pino(
    {
      level: options.level,
      name: options.name ?? 'teams-data-agent',
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      serializers: { err: pino.stdSerializers.err },
      base: { pid: process.pid },
    },
    options.destination,
  );
}

export function moduleLogger(parent: Logger, module: string): Logger {
  return parent.child({ module });
}

/** A logger that writes nothing, for tests and tools that do not care. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
