import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { DEFAULT_STACK_FILE, localStackSchema, type LocalStack } from '../../src/config/local-stack';

/** The stack file path the bot would use: `LOCAL_STACK_FILE` (relative to the working directory) or the default. */
export function stackFilePath(env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): string {
  const configured = env.LOCAL_STACK_FILE?.trim();
  return resolve(cwd, configured ? configured : DEFAULT_STACK_FILE);
}

export function readStackFile(path: string): LocalStack {
  if (!existsSync(path)) throw new Error(`${path} does not exist: start the local stack first (npm start).`);
  return localStackSchema.parse(JSON.parse(readFileSync(path, 'utf8')));
}

export function writeStackFile(path: string, stack: LocalStack): void {
  writeFileSync(path, JSON.stringify(localStackSchema.parse(stack), null, 2) + '\n', { mode: 0o600 });
}

/** The bot endpoint recorded by `npm start`, or a clear explanation of why there is none. */
export function requireMessagesUrl(stack: LocalStack, path: string): string {
  const url = stack.bot?.messagesUrl;
  if (!url) throw new Error(`${path} has no bot.messagesUrl: the bot is not running. Start everything with npm start.`);
  return url;
}
