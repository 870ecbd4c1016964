import { EngineError, type EngineResult, type WorkspaceEngine, type WorkspaceUser } from '../../../emulators/databricks/engine-types';
import { ControlState, DEFAULT_LATENCY } from '../../../emulators/databricks/genie/controls';
import { startMessage, type RunnerDeps } from '../../../emulators/databricks/genie/message-runner';
import { RETAIL_SPACE } from '../../../emulators/databricks/genie/spaces';
import { GenieState, type MessageRecord } from '../../../emulators/databricks/genie/state';
import { messageJson } from '../../../emulators/databricks/genie/wire';
import { FakeClock } from './genie-fake-clock';

const ALICE: WorkspaceUser = { upn: 'alice@contoso.example', objectId: 'a11ce', displayName: 'Alice', groups: ['region_west'] };
const BOB: WorkspaceUser = { upn: 'bob@contoso.example', objectId: 'b0b', displayName: 'Bob', groups: ['region_east'] };

type Run = { user: string; sql: string; source: string | undefined };

function fakeEngine(answer: (run: Run) => EngineResult): { engine: WorkspaceEngine; runs: Run[] } {
  const runs: Run[] = [];
  const engine: WorkspaceEngine = {
    authenticate: async () => ALICE,
    runAs: async (user, sql, _params, source) => {
      const run = { user: user.upn, sql, source };
      runs.push(run);
      return answer(run);
    },
    tables: () => [],
    history: () => [],
    statement: () => undefined,
  };
  return { engine, runs };
}

const rows = (n: number): EngineResult => ({
  statementId: 'st-1',
  columns: [{ name: 'region', type: 'STRING' }, { name: 'total_sales', type: 'DECIMAL' }],
  rows: Array.from({ length: n }, (_, i) => [`R${i}`, `${i}.00`]),
  rowsAffected: null,
});

function setup(answer: (run: Run) => EngineResult, rowLimit = 5000) {
  const clock = new FakeClock();
  const state = new GenieState(clock.now);
  const controls = new ControlState({ latency: DEFAULT_LATENCY, rateLimit: { postsPerWindow: 5, windowMs: 60_000 }, onReset: () => state.clear() }, clock.now);
  const { engine, runs } = fakeEngine(answer);
  const deps: RunnerDeps = { engine, state, controls, rowLimit, sleep: clock.sleep };
  const ask = (user: WorkspaceUser, content: string, conversation = state.createConversation(RETAIL_SPACE.spaceId, user, content)) => {
    const message = state.addMessage(conversation, content);
    startMessage(deps, RETAIL_SPACE, conversation, message, user);
    return { conversation, message };
  };
  return { clock, state, controls, runs, ask };
}

async function statusesUntilDone(clock: FakeClock, message: MessageRecord): Promise<string[]> {
  const seen = [message.status];
  for (let i = 0; i < 20 && !['COMPLETED', 'FAILED'].includes(message.status); i += 1) {
    await clock.step();
    if (seen[seen.length - 1] !== message.status) seen.push(message.status);
  }
  return seen;
}

describe('Genie emulator message pipeline', () => {
  it('when a question is answerable, then the message moves SUBMITTED → ASKING_AI → EXECUTING_QUERY → COMPLETED and runs as the user', async () => {
    const { clock, runs, ask } = setup(() => rows(2));
    const { message } = ask(ALICE, 'What are total sales by region?');
    expect(await statusesUntilDone(clock, message)).toEqual(['SUBMITTED', 'ASKING_AI', 'EXECUTING_QUERY', 'COMPLETED']);
    expect(runs).toEqual([{ user: ALICE.upn, sql: expect.stringContaining('GROUP BY o.region'), source: 'genie' }]);
    const wire = messageJson(message) as { attachments: Record<string, unknown>[] };
    expect(wire.attachments.map((a) => Object.keys(a).filter((k) => k !== 'attachment_id')[0])).toEqual(['query', 'suggested_questions']);
    expect(wire.attachments[0]).toMatchObject({ query: { statement_id: 'st-1', query_result_metadata: { row_count: 2, is_truncated: false } } });
  });

  it('when the engine refuses the SQL, then the message is FAILED with the Databricks error class and SQLSTATE', async () => {
    const { clock, ask } = setup(() => {
      throw new EngineError('42501', 'INSUFFICIENT_PERMISSIONS', "User bob does not have SELECT on Table 'main.retail.orders'.");
    });
    const { message } = ask(BOB, 'How many orders are pending?');
    await statusesUntilDone(clock, message);
    expect(message.status).toBe('FAILED');
    expect(message.error).toEqual({
      type: 'SQL_EXECUTION_EXCEPTION',
      error: "[INSUFFICIENT_PERMISSIONS] User bob does not have SELECT on Table 'main.retail.orders'. SQLSTATE: 42501",
    });
  });

  it('when a failure is injected, then the next message is FAILED without running SQL and the one after completes', async () => {
    const { clock, controls, runs, ask } = setup(() => rows(1));
    controls.failNextMessages(1);
    const first = ask(ALICE, 'total sales by region').message;
    const second = ask(ALICE, 'total sales by region').message;
    await statusesUntilDone(clock, first);
    await statusesUntilDone(clock, second);
    expect(first.status).toBe('FAILED');
    expect(first.error?.type).toBe('GENERIC_CHAT_COMPLETION_EXCEPTION');
    expect(second.status).toBe('COMPLETED');
    expect(runs).toHaveLength(1);
    expect(controls.counters()).toMatchObject({ messagesFailed: 1, messagesCompleted: 1, queriesRun: 1 });
  });

  it('when the result is larger than the row limit, then rows are capped and the total is kept', async () => {
    const { clock, ask } = setup(() => rows(12), 10);
    const { message } = ask(ALICE, 'total sales by customer');
    await statusesUntilDone(clock, message);
    expect(message.query?.result).toMatchObject({ totalRowCount: 12, truncated: true });
    expect(message.query?.result?.rows).toHaveLength(10);
  });

  it('when a follow-up arrives in the same conversation, then it refines the previous question', async () => {
    const { clock, runs, ask } = setup(() => rows(1));
    const { conversation, message } = ask(ALICE, 'total sales by product');
    await statusesUntilDone(clock, message);
    const followUp = ask(ALICE, 'only West', conversation).message;
    await statusesUntilDone(clock, followUp);
    expect(runs[1]?.sql).toContain('JOIN main.retail.products p');
    expect(runs[1]?.sql).toContain("lower(o.region) = 'west'");
  });

  it("when another user looks up a conversation, then it is not found for them", () => {
    const { state, ask } = setup(() => rows(1));
    const { conversation } = ask(ALICE, 'total sales by region');
    expect(state.conversationOf(RETAIL_SPACE.spaceId, conversation.conversationId, ALICE)).toBe(conversation);
    expect(state.conversationOf(RETAIL_SPACE.spaceId, conversation.conversationId, BOB)).toBeUndefined();
    expect(state.list(RETAIL_SPACE.spaceId, BOB)).toEqual([]);
  });
});

describe('Genie emulator rate limit', () => {
  it('when more POSTs than the limit arrive in a window, then the extra one is refused with the seconds until a slot frees', async () => {
    const clock = new FakeClock();
    const controls = new ControlState({ latency: DEFAULT_LATENCY, rateLimit: { postsPerWindow: 5, windowMs: 60_000 }, onReset: () => undefined }, clock.now);
    for (let i = 0; i < 5; i += 1) expect(controls.admitQuestion()).toEqual({ admitted: true });
    const later = clock.sleep(20_000);
    await clock.runUntilIdle();
    await later;
    expect(controls.admitQuestion()).toEqual({ admitted: false, retryAfterSeconds: 40 });
    controls.reset();
    expect(controls.admitQuestion()).toEqual({ admitted: true });
    expect(controls.counters().maxQuestionsInWindow).toBe(1);
  });
});
