import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../scripts/lib/children';

/** The bot hosts of issue 19, chosen per process with `BOT_HOST`. */
export const BOT_HOSTS = ['teams-ai', 'agents'] as const;
export type BotHost = (typeof BOT_HOSTS)[number];

/** `--hosts teams-ai,agents` → the listed hosts, in order; an unknown name is an error, not a silent skip. */
export function parseHosts(value: string | undefined): BotHost[] {
  const names = (value ?? 'teams-ai').split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = names.filter((n) => !(BOT_HOSTS as readonly string[]).includes(n));
  if (unknown.length > 0) throw new Error(`--hosts: unknown host ${unknown.join(', ')} (known: ${BOT_HOSTS.join(', ')})`);
  if (names.length === 0) throw new Error('--hosts: name at least one host');
  return [...new Set(names)] as BotHost[];
}

/**
 * Whether this checkout has the host: teams-ai always; agents once `bot/adapters/agents/` exists
 * (issue 19's layout). Without it a bot given `BOT_HOST=agents` would run the default host under the
 * wrong name, so the bench skips that host and says so.
 */
export function hostAvailable(host: BotHost, root = REPO_ROOT): boolean {
  return host === 'teams-ai' || existsSync(join(root, 'bot', 'adapters', 'agents'));
}
