import { activityText } from '../../../emulators/teams/card-text';
import { spawnTs } from '../../../scripts/lib/children';
import { E2E_TIMEOUT_MS, startWorld, type E2eWorld } from '../../e2e/support/harness';
import { SCENARIO, botMessagesSince, waitForAnswer } from '../../e2e/support/waits';

jest.setTimeout(E2E_TIMEOUT_MS);

async function genieLatency(world: E2eWorld, latency: Record<string, number>): Promise<Record<string, number>> {
  const base = `${world.stack.databricks.controlUrl}/genie`;
  const before = ((await (await fetch(`${base}/counters`)).json()) as { latency: Record<string, number> }).latency;
  const res = await fetch(`${base}/latency`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(latency) });
  if (!res.ok) throw new Error(`genie latency control: HTTP ${res.status}`);
  return before;
}

describe('composition root (bot/index.ts) wired to the real implementations, on the emulator stack', () => {
  let world: E2eWorld | undefined;
  const w = (): E2eWorld => world as E2eWorld;

  beforeAll(async () => {
    world = await startWorld();
  });
  afterAll(async () => {
    await world?.stop();
  });

  it('when the bot is up, then /readyz reports Cosmos and the identity provider reachable', async () => {
    const res = await fetch(`http://127.0.0.1:${w().bots[0]!.port}/readyz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      status: 'ready',
      checks: [
        { name: 'cosmos', ok: true },
        { name: 'identity-provider', ok: true },
      ],
    });
  });

  it('when a malformed body is posted, then it answers 400 and keeps serving', async () => {
    const bot = w().bots[0]!;
    const res = await fetch(bot.messagesUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"type":' });
    expect(res.status).toBe(400);
    expect((await fetch(`http://127.0.0.1:${bot.port}/healthz`)).status).toBe(200);
  });

  it('when SIGTERM arrives during a slow question, then the answer is still delivered before the process exits', async () => {
    const alice = w().client('alice');
    const warm = Date.now();
    await alice.say(SCENARIO.question);
    await waitForAnswer(w(), alice, warm);
    await alice.idle();

    const before = await genieLatency(w(), { askingAiMs: 1800 });
    try {
      const since = Date.now();
      await alice.say(SCENARIO.followUp);
      await new Promise((resolve) => setTimeout(resolve, 700));
      const sigterm = Date.now();
      const exit = await w().bots[0]!.stop();
      const stoppedAfterMs = Date.now() - sigterm;
      console.info(`[figure] SIGTERM with one turn in flight: process exited after ${stoppedAfterMs} ms, answer delivered`);
      const answers = botMessagesSince(w(), alice, since).filter((r) => !/Working on|Thinking/.test(activityText(r.activity)));
      expect(answers.length).toBeGreaterThan(0);
      // Exit 0 on its own: not the hard stop (exit 1) and not the harness's SIGKILL after 5 s.
      expect(exit).toEqual({ code: 0, signal: null });
    } finally {
      await genieLatency(w(), before);
      await w().bots[0]!.restart();
    }
  });

  it('when the configuration is invalid, then the process prints one message and exits 1', async () => {
    const child = spawnTs('bot/index.ts', { env: { PORT: 'not-a-port', LOCAL_STACK_FILE: '.local/does-not-exist.json' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(1);
    expect(stderr.match(/Invalid configuration/g)).toHaveLength(1);
    expect(stderr).toContain('PORT');
    expect(stderr).toContain('LOCAL_STACK_FILE');
    expect(stderr).not.toMatch(/\n\s+at /);
  });
});
