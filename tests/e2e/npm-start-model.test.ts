/**
 * `npm start -- --model` as a user runs it: the real npm script with a private stack file, a free
 * bot port and free emulator ports, then `npm run chat -- --as alice`. The banner names the emulated
 * Azure OpenAI, the bot's turn goes through it (its recorded request), and the change alice asks for
 * in words comes back as an approval card with the SQL the model wrote.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openAiControlClient } from '../../emulators/openai/control-client';
import { readStackFile } from '../../emulators/teams/stack-file';
import { REPO_ROOT, freePort } from '../../scripts/lib/children';
import { SETTINGS } from '../../src/config';

const START_MS = 120_000;
const ANSWER_MS = 60_000;

/** An npm process in its own process group, with its output. */
function npm(args: string[], env: NodeJS.ProcessEnv): { child: ChildProcess; output: () => string; type: (line: string) => void; waitFor: (pattern: RegExp, timeoutMs: number) => Promise<RegExpExecArray>; stop: () => Promise<void> } {
  const child = spawn('npm', args, { cwd: REPO_ROOT, env, detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
  let text = '';
  // eslint-disable-next-line no-control-regex
  const append = (chunk: Buffer): void => void (text += chunk.toString('utf8').replace(/\r|\x1b\[K/g, ''));
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  return {
    child,
    output: () => text,
    type: (line) => void child.stdin?.write(`${line}\n`),
    waitFor: async (pattern, timeoutMs) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const match = pattern.exec(text);
        if (match) return match;
        if (child.exitCode !== null || Date.now() > deadline) throw new Error(`npm ${args.join(' ')} did not print ${pattern}. Output:\n${text.slice(-6000)}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    /** Ctrl-C to the whole group, as a terminal sends it; SIGKILL if it is still there after 30 s. */
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      const signal = (name: NodeJS.Signals): void => {
        try {
          process.kill(-child.pid!, name);
        } catch {
          // already gone
        }
      };
      signal('SIGINT');
      const timer = setTimeout(() => signal('SIGKILL'), 30_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** A new user's shell: no Azure or model settings, no test CA, nothing from the jest setup. */
function userEnv(overrides: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const s of SETTINGS) if (s.group === 'azure' || s.group === 'llm') delete env[s.name];
  for (const name of ['NODE_EXTRA_CA_CERTS', 'LOCAL_STACK_FILE', 'LOCAL_ANY_PORTS', 'PORT', 'COSMOS_DATABASE', 'LOCAL_LLM']) delete env[name];
  return { ...env, ...overrides };
}

describe('npm start -- --model (the bot routes with the emulated Azure OpenAI)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'npm-start-model-'));
  const stackFile = join(dir, 'stack.json');
  const procs: ReturnType<typeof npm>[] = [];

  afterAll(async () => {
    for (const proc of procs.reverse()) await proc.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('when started with --model, then the banner names the emulator and alice’s change in words becomes a card with the model’s SQL', async () => {
    const start = npm(['start', '--', '--model'], userEnv({ LOCAL_STACK_FILE: stackFile, PORT: String(await freePort()), LOCAL_ANY_PORTS: 'true' }));
    procs.push(start);
    const banner = await start.waitFor(/language model: emulated Azure OpenAI at (https:\/\/localhost:\d+) \(deployment ([\w.-]+)\)/, START_MS);
    await start.waitFor(/Ctrl-C to stop everything/, 5_000);
    const stack = readStackFile(stackFile);
    expect(banner[1]).toBe(stack.openai?.endpoint);

    const chat = npm(['run', 'chat', '--', '--as', 'alice'], userEnv({ LOCAL_STACK_FILE: stackFile }));
    procs.push(chat);
    await chat.waitFor(/alice> /, START_MS);
    chat.type('mark the orders from 100401 to 100410 as shipped');
    await chat.waitFor(/Approve UPDATE on main\.retail\.orders\?/, ANSWER_MS);
    expect(chat.output()).toContain("UPDATE main.retail.orders SET status = 'shipped' WHERE order_id BETWEEN 100401 AND 100410");

    const requests = await openAiControlClient(stack.openai!.controlUrl).requests(banner[2]!);
    expect(requests.map((r) => (r.body.messages as { role: string; content: string }[]).at(-1)?.content)).toEqual(['mark the orders from 100401 to 100410 as shipped']);
  }, START_MS * 2 + ANSWER_MS);
});
