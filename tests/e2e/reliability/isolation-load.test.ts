import { demoUser } from '../../../emulators/teams/accounts';
import { startWorld, type E2eWorld } from '../support/harness';
import { withBotOutput } from '../support/waits';
import { percentile, runIsolation, type IsolationClient } from './isolation-scenario';

const USERS = 10;
const TURNS = 10;
/** The two instances share one Genie budget (kept in Cosmos), under the shared stack's 120/min. */
const POSTS_PER_MINUTE_PER_BOT = '110';

jest.setTimeout(600_000);

describe('row isolation under load through two bot instances', () => {
  let world: E2eWorld | undefined;

  beforeAll(async () => {
    world = await startWorld({ bots: 2, env: { GENIE_POSTS_PER_MINUTE: POSTS_PER_MINUTE_PER_BOT } });
  });
  afterAll(async () => {
    await world?.stop();
  });

  it(
    `when ${USERS} load users with distinct row filters take ${TURNS} turns each across two instances, then every answer holds only that user’s rows`,
    withBotOutput(() => world, async () => {
      const w = world as E2eWorld;
      const users: IsolationClient[] = Array.from({ length: USERS }, (_, i) => {
        const n = i * 5 + 1;
        const name = `load${String(n).padStart(2, '0')}`;
        const first = w.client(name);
        const second = w.client(name, 'personal', { bot: w.bots[1], conversation: first.conversation, autoSso: false, autoRefresh: false });
        return { n, viaInstance: [first, second] };
      });
      expect(new Set(users.map((u) => demoUser(`load${String(u.n).padStart(2, '0')}`).objectId)).size).toBe(USERS);

      const report = await runIsolation(w.connector, users, TURNS, { answerTimeoutMs: 240_000 });
      console.info(
        `isolation e2e: ${report.turns} turns, ${report.answers} answers, ${report.rowsChecked} rows checked, foreign rows=${report.foreignRows}, ` +
          `p50=${percentile(report.latenciesMs, 50)} ms p95=${percentile(report.latenciesMs, 95)} ms`,
      );
      expect(report.failures).toEqual([]);
      expect(report.answers).toBe(USERS * TURNS);
      expect(report.rowsChecked).toBeGreaterThan(USERS * TURNS);
      expect(report.foreignRows).toBe(0);
    }),
  );
});
