import type { ChildProcess } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { DEMO_USERS, demoUser } from '../emulators/teams/accounts';
import { ensureDevCa } from '../emulators/shared/dev-ca';
import { readStackFile, stackFilePath, writeStackFile } from '../emulators/teams/stack-file';
import type { LocalStack } from '../src/config';
import { REPO_ROOT, holdPort, spawnTs, stopChild, waitForHttp } from './lib/children';
import { azureSettingsPresent } from './lib/local-only';
import { emulatorArgs, startOptionsFrom } from './lib/start-options';
import { type ModelMode, modelBanner, modelEnv, modelModeFrom } from './lib/model-mode';

/**
 * `npm start`: the whole local product on this machine: the emulator stack (one child process that
 * owns all emulator state), then the bot (a second child, restartable alone with `r` + Enter).
 * Refuses to run when Azure settings are present: `npm start` is the local stack only.
 */
async function waitForStackFile(path: string, child: ChildProcess, timeoutMs = 60_000): Promise<LocalStack> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the emulators exited with code ${child.exitCode} (is another stack using the ports?)`);
    if (existsSync(path)) {
      try {
        return readStackFile(path);
      } catch {
        // written but not complete yet
      }
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`the emulators did not write ${path} within ${timeoutMs / 1000} s`);
}

function printWelcome(stack: LocalStack, file: string, messagesUrl: string | undefined, model: ModelMode): void {
  const lines = [
    '',
    'Local stack is running (no Azure, no internet needed).',
    '',
    'Who you can be:',
    ...DEMO_USERS.map((name) => {
      const user = demoUser(name);
      return `  ${name.padEnd(6)} ${user.displayName.padEnd(11)} ${user.summary}`;
    }),
    '',
    'Endpoints:',
    `  Entra ID    ${stack.entra.baseUrl}`,
    `  Databricks  https://${stack.databricks.host}:${stack.databricks.port}${stack.databricks.httpPath}`,
    `  Cosmos DB   ${stack.cosmos.endpoint}`,
    ...(stack.openai ? [`  Azure OpenAI ${stack.openai.endpoint}`] : []),
    ...(messagesUrl ? [`  Bot         ${messagesUrl}`] : []),
    `  Stack file  ${file}`,
    '',
    modelBanner(model, stack),
    '',
  ];
  if (messagesUrl) {
    lines.push(
      'Chat with the bot (in another terminal):',
      '  npm run chat -- --as alice             1:1 chat as Alice',
      '  npm run chat -- --as bob --group       the group chat, as Bob',
      '  npm run chat -- --as carol --channel   the team channel, as Carol',
      '  npm run playground                     Microsoft 365 Agents Playground in a browser',
      `                                         (no SSO there: ${process.env.LOCAL_PLAYGROUND_SSO === 'true' ? 'LOCAL_PLAYGROUND_SSO is on' : 'start with LOCAL_PLAYGROUND_SSO=true npm start, or sign in once from npm run chat'})`,
      '',
      'Here: type r + Enter to restart the bot alone (emulator state survives), Ctrl-C to stop everything.',
    );
  } else {
    lines.push('Emulators only. Start a bot against them with: NODE_EXTRA_CA_CERTS=' + stack.caCertPath + ' npx tsx bot/index.ts', 'Ctrl-C stops them.');
  }
  console.log(lines.join('\n'));
}

async function main(): Promise<void> {
  const emulatorsOnly = process.argv.includes('--emulators-only');
  const azure = azureSettingsPresent(process.env, REPO_ROOT);
  if (azure.length > 0) {
    console.error(
      `npm start runs the local stack only, but Azure settings are present (${azure.join(', ')}).\n` +
        'Unset them (environment, .env, .env.local) to run locally, or run the bot against Azure with: node dist/bot/index.js',
    );
    process.exit(2);
  }
  const parsed = startOptionsFrom(process.env);
  if (!parsed.ok) {
    console.error(`npm start: ${parsed.error}`);
    process.exit(2);
  }
  const model = modelModeFrom(process.env, process.argv.slice(2), REPO_ROOT);
  if (!model.ok) {
    console.error(`npm start: ${model.error}`);
    process.exit(2);
  }
  const port = parsed.options.botPort;
  let releasePort: (() => Promise<void>) | undefined;
  if (!emulatorsOnly) {
    try {
      releasePort = await holdPort(port);
    } catch (error) {
      console.error(`npm start: ${(error as Error).message}`);
      process.exit(2);
    }
  }
  const ca = ensureDevCa();
  const file = stackFilePath();
  rmSync(file, { force: true });

  const emulators = spawnTs('emulators/main.ts', { env: { LOCAL_STACK_FILE: file }, args: emulatorArgs(parsed.options) });
  let bot: ChildProcess | undefined;
  let restarting = false;
  let stopping = false;

  const shutdown = async (code: number): Promise<never> => {
    stopping = true;
    if (bot) await stopChild(bot);
    await stopChild(emulators);
    rmSync(file, { force: true });
    if (code === 0) console.log('Stopped: the bot and the emulators are down, the stack file is removed.');
    process.exit(code);
  };
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));
  emulators.on('exit', (code) => {
    if (stopping) return;
    console.error(`The emulators stopped (code ${code}); stopping.`);
    void shutdown(1);
  });

  const stack = await waitForStackFile(file, emulators);
  if (emulatorsOnly) return printWelcome(stack, file, undefined, 'none');
  await releasePort?.();

  const messagesUrl = `http://localhost:${port}/api/messages`;
  const startBot = async (): Promise<void> => {
    const child = spawnTs('bot/index.ts', {
      env: { ...modelEnv(model.mode, stack), PORT: String(port), LOCAL_STACK_FILE: file, NODE_EXTRA_CA_CERTS: ca.caCertPath },
    });
    bot = child;
    child.on('exit', (code, signal) => {
      if (!stopping && !restarting && bot === child) console.error(`The bot exited (${signal ?? `code ${code}`}). Type r + Enter to start it again.`);
    });
    await waitForHttp(`http://localhost:${port}/healthz`, { child, timeoutMs: 90_000 });
  };

  try {
    await startBot();
  } catch (error) {
    console.error(`The bot did not start: ${(error as Error).message}`);
    return shutdown(1);
  }
  writeStackFile(file, { ...readStackFile(file), bot: { messagesUrl } });
  printWelcome(stack, file, messagesUrl, model.mode);

  const rl = createInterface({ input: process.stdin });
  rl.on('line', (line) => {
    const key = line.trim().toLowerCase();
    if (key === 'q') void shutdown(0);
    if (key !== 'r' || restarting) return;
    restarting = true;
    console.log('Restarting the bot…');
    void (async () => {
      if (bot) await stopChild(bot);
      await startBot();
      console.log(`The bot is back on ${messagesUrl}.`);
    })()
      .catch((error: unknown) => console.error(`The bot did not restart: ${(error as Error).message}`))
      .finally(() => (restarting = false));
  });
}

main().catch((error: unknown) => {
  console.error(`npm start failed: ${(error as Error).message}`);
  process.exit(1);
});
