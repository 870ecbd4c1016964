import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { stringify } from 'yaml';
import { BOT_NAME, DEMO_USERS, demoUser, GROUP_CHAT, personalConversationId, TEAM, teamsUserId } from '../../emulators/teams/accounts';
import { DEMO_DIRECTORY, type DirectoryUser } from '../../emulators/shared/directory';
import { REPO_ROOT, stopChild, WATCHDOG_IMPORT } from './children';

/**
 * The Microsoft 365 Agents Playground, configured with the demo directory (current user, the other
 * demo people, a group chat and a team channel), started headless-safe: a no-op `xdg-open` comes
 * first on PATH, because the CLI dies on a missing browser opener.
 */
export interface PlaygroundOptions {
  messagesUrl: string;
  tenantId: string;
  botAppId: string;
  as?: string;
  port?: number;
  dir?: string;
  stdio?: 'inherit' | 'pipe';
}

export interface RunningPlayground {
  url: string;
  configPath: string;
  process: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

function playgroundUser(user: DirectoryUser): Record<string, string> {
  const [givenName = user.displayName, ...rest] = user.displayName.split(' ');
  return {
    id: teamsUserId(user),
    name: user.displayName,
    userPrincipleName: user.upn,
    aadObjectId: user.objectId,
    givenName,
    surname: rest.join(' '),
    email: user.upn,
  };
}

/** The other people in the chats: the demo users, topped up with load-test users (the Playground wants at least 5). */
function playgroundPeers(current: DirectoryUser): DirectoryUser[] {
  const peers = DEMO_USERS.filter((n) => n !== current.shortName).map((n) => demoUser(n));
  const extra = DEMO_DIRECTORY.users.filter((u) => u.groups.includes('loadtest')).slice(0, Math.max(0, PLAYGROUND_MIN_USERS - peers.length));
  return [...peers, ...extra];
}

const PLAYGROUND_MIN_USERS = 5;

export function playgroundConfig(options: Pick<PlaygroundOptions, 'tenantId' | 'botAppId' | 'as'>): Record<string, unknown> {
  const current = demoUser(options.as ?? 'alice');
  return {
    version: '0.1.1',
    tenantId: options.tenantId,
    bot: { id: options.botAppId, name: BOT_NAME },
    currentUser: playgroundUser(current),
    users: playgroundPeers(current).map(playgroundUser),
    personalChat: { id: personalConversationId(teamsUserId(current)) },
    groupChat: { id: GROUP_CHAT.id, name: GROUP_CHAT.name },
    team: { id: TEAM.id, name: TEAM.name, aadGroupId: TEAM.aadGroupId, channels: [{ id: TEAM.channel.id, name: TEAM.channel.name }] },
  };
}

/** Writes `.local/bin/xdg-open` (does nothing) and returns the directory to put first on PATH. */
export function ensureNoopOpener(dir: string): string {
  const bin = join(dir, 'bin');
  mkdirSync(bin, { recursive: true });
  const opener = join(bin, 'xdg-open');
  writeFileSync(opener, '#!/bin/sh\nexit 0\n');
  chmodSync(opener, 0o755);
  return bin;
}

export async function startPlayground(options: PlaygroundOptions): Promise<RunningPlayground> {
  const dir = options.dir ?? resolve(REPO_ROOT, '.local');
  const bin = ensureNoopOpener(dir);
  const configPath = join(dir, `m365agentsplayground-${options.as ?? 'alice'}.yml`);
  writeFileSync(configPath, stringify(playgroundConfig(options)));
  const port = options.port ?? 56150;
  const cli = resolve(REPO_ROOT, 'node_modules/@microsoft/m365agentsplayground/cli.js');
  const child = spawn(process.execPath, ['--import', WATCHDOG_IMPORT, cli, '-e', options.messagesUrl, '-c', 'msteams', '-p', String(port), '--disable-telemetry'], {
    cwd: dir,
    env: {
      ...process.env,
      PATH: `${bin}:${process.env.PATH ?? ''}`,
      BROWSER: 'none',
      M365_AGENTS_PLAYGROUND_CONFIG_PATH: configPath,
      M365_AGENTS_PLAYGROUND_LOGFILE: join(dir, 'm365agentsplayground.log'),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const echo = options.stdio === 'inherit';
  child.stdout?.on('data', (c: Buffer) => {
    output += c.toString('utf8');
    if (echo) process.stdout.write(c);
  });
  child.stderr?.on('data', (c: Buffer) => {
    output += c.toString('utf8');
    if (echo) process.stderr.write(c);
  });
  try {
    const listening = await waitForListening(child, () => output, 60_000);
    if (listening !== port) throw new Error(`port ${port} is taken (the Playground moved to ${listening}); stop the other Playground or pass another port`);
  } catch (error) {
    await stopChild(child, 1000);
    throw new Error(`Agents Playground did not start: ${(error as Error).message}\n${output}`);
  }
  return { url: `http://localhost:${port}/`, configPath, process: child, output: () => output, stop: async () => { await stopChild(child, 3000); } };
}

/** The CLI prints "Listening on <port>"; when the port is taken it silently picks another one. */
async function waitForListening(child: ChildProcess, output: () => string, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const match = /Listening on (\d+)/.exec(output());
    if (match) return Number(match[1]);
    if (child.exitCode !== null) throw new Error(`exited with code ${child.exitCode}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no "Listening on" within ${timeoutMs / 1000} s`);
}
