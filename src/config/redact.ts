import type { Config } from './schema';

const REDACTED = '[redacted]';

/** The only form in which config may be logged: every secret replaced, everything else kept. */
export function redactConfig(config: Readonly<Config>): Record<string, unknown> {
  const llm = config.llm.kind === 'none' ? config.llm : { ...config.llm, apiKey: REDACTED };
  return {
    ...config,
    bot: { ...config.bot, appPassword: config.bot.appPassword === undefined ? undefined : REDACTED },
    identity: { ...config.identity, clientSecret: REDACTED },
    cosmos: { ...config.cosmos, key: REDACTED },
    tokenCache: { encryptionKey: REDACTED },
    llm,
    telemetry: { connectionString: config.telemetry.connectionString === undefined ? undefined : REDACTED },
  };
}
