import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import { createServer } from 'node:net';
import { resolve } from 'node:path';

/**
 * Child processes of the local tooling. Every child runs under a watchdog (preloaded before the
 * entry point) that sends itself SIGTERM when its parent disappears, so a killed `npm start` or
 * test run never leaves bots or emulators behind holding ports.
 */
export const REPO_ROOT = resolve(__dirname, '../..');

/** Node `--import` of this makes a process end itself (SIGTERM) once its parent is gone. */
export const WATCHDOG_IMPORT =
  'data:text/javascript,const p=process.ppid;setInterval(()=>{if(process.ppid!==p)process.kill(process.pid,"SIGTERM")},500).unref();';

export interface SpawnTsOptions {
  env?: NodeJS.ProcessEnv;
  args?: string[];
  stdio?: StdioOptions;
}

/** Runs a TypeScript entry with Node + tsx; env such as NODE_EXTRA_CA_CERTS is set before Node starts. */
export function spawnTs(entry: string, options: SpawnTsOptions = {}): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', '--import', WATCHDOG_IMPORT, resolve(REPO_ROOT, entry), ...(options.args ?? [])], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...options.env },
    stdio: options.stdio ?? 'inherit',
  });
}

export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

/**
 * Holds `port` on every interface, as the bot listens, until the returned release is called: while
 * `npm start` brings the emulators up on free ports, none of them can take the bot's port (the OS
 * may hand out a port that was free a moment ago). Fails with a clear message when it is taken.
 */
export function holdPort(port: number): Promise<() => Promise<void>> {
  return new Promise((resolveHold, reject) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' ? new Error(`port ${port} is in use (another bot or npm start?); set PORT to a free port`) : error),
    );
    server.listen(port, () => resolveHold(() => new Promise<void>((done) => server.close(() => done()))));
  });
}

/** Polls `url` until it answers 2xx; fails early if `child` exits first. */
export async function waitForHttp(url: string, options: { timeoutMs?: number; child?: ChildProcess } = {}): Promise<void> {
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  let lastError = 'no answer';
  while (Date.now() < deadline) {
    if (options.child && options.child.exitCode !== null) throw new Error(`process exited with code ${options.child.exitCode} before ${url} answered`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (response.ok) return;
      lastError = `HTTP ${response.status}`;
    } catch (error) {
      lastError = (error as Error).message;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} did not answer within the timeout (${lastError})`);
}

/** `signal` (SIGTERM), then SIGKILL after `graceMs`; resolves when the process is gone. */
export interface ChildExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** Sends `signal`, then SIGKILL after `graceMs`; resolves with how the child ended. */
export function stopChild(child: ChildProcess, graceMs = 5000, signal: NodeJS.Signals = 'SIGTERM'): Promise<ChildExit> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((resolveStop) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', (code, exitSignal) => {
      clearTimeout(timer);
      resolveStop({ code, signal: exitSignal });
    });
    child.kill(signal);
  });
}
