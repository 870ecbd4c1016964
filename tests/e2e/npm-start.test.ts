/**
 * `npm start` as a new user meets it: the real npm script, then `npm run chat -- --as alice`, then
 * `r` + Enter, then Ctrl-C. It runs beside everything else: a private stack file, a free bot port and
 * free emulator ports (LOCAL_ANY_PORTS=true). It does not use the jest global setup's stack.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DBSQLClient } from '@databricks/sql';
import { DEFAULT_PORTS } from '../../emulators/stack';
import { entraControlClient } from '../../emulators/entra/control-client';
import { DATABRICKS_RESOURCE_ID } from '../../emulators/shared/directory';
import { demoUser } from '../../emulators/teams/accounts';
import { readStackFile } from '../../emulators/teams/stack-file';
import { REPO_ROOT, freePort, holdPort } from '../../scripts/lib/children';
import { SETTINGS, type LocalStack } from '../../src/config';

const START_MS = 120_000;
const ANSWER_MS = 60_000;
const EXIT_MS = 30_000;

/** A process in its own process group (so Ctrl-C can go to the whole group, as a terminal sends it), with its output. */
class Proc {
  readonly child: ChildProcess;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resolves once its output is complete (stdout and stderr closed). */
  readonly closed: Promise<void>;
  private text = '';
  private ended = false;
  private readonly listeners = new Set<() => void>();

  constructor(args: string[], env: NodeJS.ProcessEnv) {
    this.child = spawn('npm', args, { cwd: REPO_ROOT, env, detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
    const append = (chunk: Buffer): void => {
      // eslint-disable-next-line no-control-regex
      this.text += chunk.toString('utf8').replace(/\r|\x1b\[K/g, '');
      this.listeners.forEach((l) => l());
    };
    this.child.stdout?.on('data', append);
    this.child.stderr?.on('data', append);
    this.exited = new Promise((resolve) => this.child.once('exit', (code, signal) => resolve({ code, signal })));
    this.closed = new Promise((resolve) =>
      this.child.once('close', () => {
        this.ended = true;
        this.listeners.forEach((l) => l());
        resolve();
      }),
    );
  }

  get output(): string {
    return this.text;
  }

  type(line: string): void {
    this.child.stdin?.write(`${line}\n`);
  }

  /** The first match of `pattern` in the output from `from` on. */
  waitFor(pattern: RegExp, timeoutMs: number, from = 0): Promise<RegExpExecArray> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        const match = pattern.exec(this.text.slice(from));
        if (match) done(() => resolve(match));
        else if (this.ended) done(() => reject(this.fail(`exited before printing ${pattern}`)));
      };
      const timer = setTimeout(() => done(() => reject(this.fail(`did not print ${pattern} within ${timeoutMs / 1000} s`))), timeoutMs);
      const done = (settle: () => void): void => {
        clearTimeout(timer);
        this.listeners.delete(check);
        settle();
      };
      this.listeners.add(check);
      check();
    });
  }

  async exitWithin(timeoutMs: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(this.fail(`did not exit within ${timeoutMs / 1000} s`)), timeoutMs)));
    try {
      return await Promise.race([this.exited, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Whether any process of its group is still alive. */
  groupAlive(): boolean {
    try {
      process.kill(-this.child.pid!, 0);
      return true;
    } catch {
      return false;
    }
  }

  killGroup(): void {
    if (this.groupAlive()) process.kill(-this.child.pid!, 'SIGKILL');
  }

  fail(message: string): Error {
    return new Error(`npm ${this.child.spawnargs.slice(1).join(' ')} ${message}. Output:\n${this.text.slice(-6000)}`);
  }
}

/** The environment of a new user's shell: no Azure or model settings, no test CA, nothing from the jest setup. */
function userEnv(overrides: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const s of SETTINGS) if (s.group === 'azure' || s.group === 'llm') delete env[s.name];
  for (const name of ['NODE_EXTRA_CA_CERTS', 'LOCAL_STACK_FILE', 'LOCAL_ANY_PORTS', 'PORT', 'COSMOS_DATABASE']) delete env[name];
  return { ...env, ...overrides };
}

/** A result table as `npm run chat` prints it: `col | col`, a `---+---` rule, rows, then the card's buttons. */
const TABLE = /^ {2}(\w+)\s*\| (\w+)\s*\n {2}-+\+-+\n((?: {2}.+\n)+?) {2}\[\/\d+\]/m;

function tableRows(match: RegExpExecArray): [string, string][] {
  return match[3]!
    .trimEnd()
    .split('\n')
    .map((line) => line.split('|').map((cell) => cell.trim()) as [string, string]);
}

async function warehouseRows(stack: LocalStack, user: string, sql: string): Promise<Record<string, unknown>[]> {
  const sso = await entraControlClient({ controlUrl: stack.entra.controlUrl, ssoTokenUrl: stack.ssoTokenUrl }).ssoToken(user);
  const response = await fetch(`${stack.authority}/oauth2/v2.0/token`, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
      requested_token_use: 'on_behalf_of',
      assertion: sso,
      client_id: stack.botAppId,
      client_secret: stack.clientSecret,
      scope: `${DATABRICKS_RESOURCE_ID}/user_impersonation`,
    }),
  });
  const { access_token: token } = (await response.json()) as { access_token: string };
  const client = new DBSQLClient({ logger: { log: () => undefined } });
  await client.connect({ host: stack.databricks.host, port: stack.databricks.port, path: stack.databricks.httpPath, token, telemetryEnabled: false });
  try {
    const session = await client.openSession();
    const operation = await session.executeStatement(sql);
    const rows = (await operation.fetchAll()) as Record<string, unknown>[];
    await operation.close();
    await session.close();
    return rows;
  } finally {
    await client.close();
  }
}

function acceptsConnections(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: 'localhost', port });
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

async function until(condition: () => boolean | Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    if (await condition()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return condition();
}

describe('npm start, as a new user runs it', () => {
  const alice = demoUser('alice');
  const dir = mkdtempSync(join(tmpdir(), 'npm-start-'));
  const stackFile = join(dir, 'stack.json');
  const timings: Record<string, number> = {};
  let port = 0;
  let start: Proc | undefined;
  let chat: Proc | undefined;
  let stack: LocalStack;

  afterAll(() => {
    chat?.killGroup();
    start?.killGroup();
    rmSync(dir, { recursive: true, force: true });
    console.log(`npm start timings (ms): ${JSON.stringify(timings)}`);
  });

  it('when npm start runs with a private stack file, a free PORT and LOCAL_ANY_PORTS=true, then it prints the welcome and writes the stack file', async () => {
    port = await freePort();
    const begun = performance.now();
    start = new Proc(['start'], userEnv({ LOCAL_STACK_FILE: stackFile, PORT: String(port), LOCAL_ANY_PORTS: 'true' }));
    await start.waitFor(/Local stack is running/, START_MS);
    await start.waitFor(/Ctrl-C to stop everything/, 5_000);
    timings.welcome = Math.round(performance.now() - begun);

    stack = readStackFile(stackFile);
    expect(stack.bot?.messagesUrl).toBe(`http://localhost:${port}/api/messages`);
    expect(start.output).toContain(`Stack file  ${stackFile}`);
    expect(start.output).toContain(`Bot         http://localhost:${port}/api/messages`);
    expect(start.output).toContain('language model: none, the deterministic router answers');
    const emulatorPorts = [Number(new URL(stack.entra.baseUrl).port), stack.databricks.port, Number(new URL(stack.cosmos.endpoint).port)];
    for (const taken of emulatorPorts) expect(Object.values(DEFAULT_PORTS)).not.toContain(taken);
  }, START_MS + 10_000);

  it('when alice asks "how many orders by status?" in npm run chat, then the sign-in card is answered and the table holds her West orders per status, as the warehouse counts them', async () => {
    const begun = performance.now();
    chat = new Proc(['run', 'chat', '--', '--as', 'alice'], userEnv({ LOCAL_STACK_FILE: stackFile }));
    await chat.waitFor(/alice> /, START_MS);
    chat.type('how many orders by status?');
    const table = await chat.waitFor(TABLE, ANSWER_MS);
    timings.firstAnswer = Math.round(performance.now() - begun);

    const signIn = chat.output.indexOf('[sign-in] Please sign in');
    expect(signIn).toBeGreaterThan(-1);
    expect(signIn).toBeLessThan(table.index);
    const entra = await entraControlClient({ controlUrl: stack.entra.controlUrl, ssoTokenUrl: stack.ssoTokenUrl }).counters();
    expect(entra.ssoTokens).toBe(1);
    expect(entra.byUser[alice.objectId]?.on_behalf_of).toBeGreaterThanOrEqual(1);

    expect(table[1]).toBe('status');
    const shown = Object.fromEntries(tableRows(table).map(([status, count]) => [status, Number(count)]));
    const counted = await warehouseRows(stack, 'alice', 'SELECT status, COUNT(*) AS n FROM main.retail.orders GROUP BY status');
    expect(shown).toEqual(Object.fromEntries(counted.map((r) => [String(r.status), Number(r.n)])));
    expect(Object.keys(shown).sort()).toEqual(['cancelled', 'delivered', 'pending', 'returned', 'shipped']);
    const regions = await warehouseRows(stack, 'alice', 'SELECT DISTINCT region FROM main.retail.orders');
    expect(regions.map((r) => r.region)).toEqual(['West']);
  }, START_MS + ANSWER_MS);

  it('when r + Enter is typed into npm start, then the bot alone restarts and alice\'s next question is answered with no new sign-in', async () => {
    if (!start || !chat) throw new Error('npm start and the chat did not start');
    const ssoBefore = (await entraControlClient({ controlUrl: stack.entra.controlUrl, ssoTokenUrl: stack.ssoTokenUrl }).counters()).ssoTokens;
    const startFrom = start.output.length;
    const begun = performance.now();
    start.type('r');
    await start.waitFor(new RegExp(`The bot is back on http://localhost:${port}/api/messages`), ANSWER_MS, startFrom);
    timings.restart = Math.round(performance.now() - begun);
    expect(start.output.slice(startFrom)).not.toMatch(/emulators: (Entra ID|SIGINT|SIGTERM)/);

    const chatFrom = chat.output.length;
    const asked = performance.now();
    chat.type('total sales by region');
    const table = await chat.waitFor(TABLE, ANSWER_MS, chatFrom);
    timings.secondAnswer = Math.round(performance.now() - asked);
    expect(table[1]).toBe('region');
    expect(tableRows(table).map(([region]) => region)).toEqual(['West']);
    expect(chat.output.slice(chatFrom)).not.toContain('[sign-in]');
    expect((await entraControlClient({ controlUrl: stack.entra.controlUrl, ssoTokenUrl: stack.ssoTokenUrl }).counters()).ssoTokens).toBe(ssoBefore);

    chat.type('/quit');
    expect(await chat.exitWithin(EXIT_MS)).toEqual({ code: 0, signal: null });
  }, 3 * ANSWER_MS);

  it('when Ctrl-C is pressed, then npm start stops cleanly within 30 s, removes the stack file and leaves no process or port behind', async () => {
    if (!start) throw new Error('npm start did not start');
    const ports = [port, stack.databricks.port, Number(new URL(stack.entra.baseUrl).port), Number(new URL(stack.cosmos.endpoint).port)];
    await expect(Promise.all(ports.map(acceptsConnections))).resolves.toEqual([true, true, true, true]);

    const begun = performance.now();
    process.kill(-start.child.pid!, 'SIGINT');
    const exit = await start.exitWithin(EXIT_MS);
    timings.stop = Math.round(performance.now() - begun);
    // The script exits 0 (its last line says so); npm itself re-raises the Ctrl-C when /bin/sh is dash, which
    // dies of the SIGINT it shared with the script (bash waits and passes the 0 on): a shell shows 130 or 0.
    expect([{ code: 0, signal: null }, { code: null, signal: 'SIGINT' }]).toContainEqual(exit);
    await start.closed;
    expect(start.output).toContain('Stopped: the bot and the emulators are down, the stack file is removed.');
    expect(start.output).not.toMatch(/The emulators stopped|The bot exited|npm start failed/);

    expect(existsSync(stackFile)).toBe(false);
    expect(await until(() => !start!.groupAlive(), 5_000)).toBe(true);
    await expect(Promise.all(ports.map(acceptsConnections))).resolves.toEqual([false, false, false, false]);
  }, EXIT_MS + 15_000);
});

describe('npm start with bad input', () => {
  const dir = mkdtempSync(join(tmpdir(), 'npm-start-bad-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each([
    ['COSMOS_ENDPOINT=https://x', { COSMOS_ENDPOINT: 'https://x' }, /npm start runs the local stack only, but Azure settings are present \(COSMOS_ENDPOINT\)/],
    ['LOCAL_ANY_PORTS=yes', { LOCAL_ANY_PORTS: 'yes' }, /LOCAL_ANY_PORTS must be true or false \(or unset\), not "yes"/],
    ['LOCAL_LLM=gpt', { LOCAL_LLM: 'gpt' }, /LOCAL_LLM must be emulator or none \(or unset\), not "gpt"/],
    ['PORT=80a', { PORT: '80a' }, /PORT must be a port number from 1 to 65535 \(or unset for 3978\), not "80a"/],
  ])('when started with %s, then it refuses with exit code 2 and names the setting, and starts nothing', async (_name, env, message) => {
    const stackFile = join(dir, `${Object.keys(env)[0]}.json`);
    const proc = new Proc(['start'], userEnv({ LOCAL_STACK_FILE: stackFile, PORT: String(await freePort()), ...env }));
    expect(await proc.exitWithin(EXIT_MS)).toEqual({ code: 2, signal: null });
    await proc.closed;
    expect(proc.output).toMatch(message);
    expect(proc.output).not.toContain('emulators:');
    expect(existsSync(stackFile)).toBe(false);
  }, EXIT_MS + 5_000);

  it('when PORT is taken by another process, then it refuses with exit code 2 and names the port, and starts no emulators', async () => {
    const port = await freePort();
    const release = await holdPort(port);
    try {
      const stackFile = join(dir, 'port-taken.json');
      const proc = new Proc(['start'], userEnv({ LOCAL_STACK_FILE: stackFile, PORT: String(port), LOCAL_ANY_PORTS: 'true' }));
      expect(await proc.exitWithin(EXIT_MS)).toEqual({ code: 2, signal: null });
      await proc.closed;
      expect(proc.output).toContain(`npm start: port ${port} is in use (another bot or npm start?); set PORT to a free port`);
      expect(proc.output).not.toContain('emulators:');
      expect(existsSync(stackFile)).toBe(false);
    } finally {
      await release();
    }
  }, EXIT_MS + 5_000);
});
