import { DEFAULT_LATENCY, type PhaseLatency } from '../../emulators/databricks/genie/controls';
import { activityText } from '../../emulators/teams/card-text';
import { streamInfoOf } from '../../emulators/teams/streaming-rules';
import type { TeamsClient } from '../../emulators/teams/client';
import type { RecordedActivity } from '../../emulators/teams/types';
import { E2E_TIMEOUT_MS, startWorld, type E2eWorld } from './support/harness';
import { hasTable, pollUntil, SCENARIO, waitForAnswer, withBotOutput } from './support/waits';

jest.setTimeout(E2E_TIMEOUT_MS);

/**
 * 1:1 answers through a real bot process and the connector emulator, which enforces Teams'
 * streaming rules (`emulators/teams/streaming-rules.ts`): no test here may leave a violation in its
 * log. The stream limit is shortened to 20 s on both sides (`LOCAL_TEAMS_STREAM_LIMIT_MS`), so the
 * bot closes a stream 15 s after it started. Ordering and protocol only; timings belong to the bench.
 */
const STREAM_LIMIT_MS = 20_000;

describe('streamed 1:1 answers against the Teams streaming rules (real bot, connector emulator)', () => {
  let world: E2eWorld | undefined;
  const w = (): E2eWorld => world as E2eWorld;
  const test = (name: string, body: () => Promise<void>): void => it(name, withBotOutput(() => world, body));
  const genieLatency = async (latency: PhaseLatency): Promise<void> => {
    const response = await fetch(`${w().stack.databricks.controlUrl}/genie/latency`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(latency) });
    if (!response.ok) throw new Error(`genie latency: HTTP ${response.status}`);
  };
  const since = (client: TeamsClient, at: number): RecordedActivity[] => w().connector.log.list(client.conversation.id).filter((r) => r.receivedAt >= at);
  const describeRecord = (r: RecordedActivity): string => {
    const info = streamInfoOf(r.activity);
    if (!info) return r.activity.type;
    const sequence = info.streamSequence === undefined ? '' : `#${String(info.streamSequence)}`;
    const streamId = info.streamId === undefined ? '' : info.streamId === r.id ? ' (own id)' : ' (stream)';
    return `${r.activity.type}:${String(info.streamType)}${sequence}${streamId}`;
  };

  beforeAll(async () => {
    world = await startWorld({ env: { LOCAL_TEAMS_STREAM_LIMIT_MS: String(STREAM_LIMIT_MS) }, connector: { streaming: { streamLimitMs: STREAM_LIMIT_MS } } });
    const alice = w().client('alice');
    const at = Date.now();
    await alice.say(SCENARIO.question); // signs alice in (SSO) and answers once
    await waitForAnswer(w(), alice, at);
    await alice.idle();
  });
  afterEach(async () => {
    await genieLatency(DEFAULT_LATENCY);
  });
  afterAll(async () => {
    await world?.stop();
  });

  test('when Genie answers at once, then typing comes first and the answer follows, as a plain message or as the final message of its stream, with no streaming rule broken', async () => {
    await genieLatency({ submittedMs: 0, askingAiMs: 0, executingQueryMs: 0 });
    const alice = w().client('alice');
    const at = Date.now();
    await alice.say(SCENARIO.question);
    const answer = await waitForAnswer(w(), alice, at);
    await alice.idle();

    const records = since(alice, at);
    expect(records[0]?.activity.type).toBe('typing');
    expect(streamInfoOf(records[0]?.activity ?? { type: '' })).toBeUndefined();
    const shape = records.map(describeRecord);
    // Fast enough: no stream at all. On a slow machine the stream may have started; then the answer is its final message.
    expect([['typing', 'message'], ['typing', 'typing:informative#1', 'message:final (own id)']]).toContainEqual(shape.slice(0, shape.indexOf(describeRecord(answer)) + 1));
    expect(records.filter((r) => r.activity.type === 'message')).toEqual([answer]);
    expect(w().connector.streaming.violations).toEqual([]);
  });

  test('when Genie takes a few seconds, then an informative stream starts, and the answer is its final message under the stream id, without streamSequence, with no streaming rule broken', async () => {
    await genieLatency({ submittedMs: 0, askingAiMs: 4_000, executingQueryMs: 0 });
    const alice = w().client('alice');
    const at = Date.now();
    await alice.say(SCENARIO.question);
    const answer = await waitForAnswer(w(), alice, at);
    await alice.idle();

    const shape = since(alice, at).map(describeRecord);
    expect(shape[0]).toBe('typing');
    expect(shape[1]).toBe('typing:informative#1');
    expect(shape.at(-1)).toBe('message:final (own id)');
    shape.slice(2, -1).forEach((s, i) => expect(s).toBe(`typing:informative#${i + 2} (stream)`));
    const info = streamInfoOf(answer.activity);
    expect(info).toEqual(expect.objectContaining({ streamType: 'final', streamId: answer.id }));
    expect(info).not.toHaveProperty('streamSequence');
    expect(hasTable(answer.activity)).toBe(true);
    expect(w().connector.streaming.violations).toEqual([]);
  });

  test('when two questions overlap in one 1:1 chat, then only one stream is open at a time: the second waits with typing, and both answers arrive with no streaming rule broken', async () => {
    await genieLatency({ submittedMs: 0, askingAiMs: 4_000, executingQueryMs: 0 });
    const alice = w().client('alice');
    const at = Date.now();
    await alice.say(SCENARIO.question);
    await alice.say(SCENARIO.question);
    const answers = await pollUntil(async () => {
      const tables = since(alice, at).filter((r) => r.activity.type === 'message' && hasTable(r.activity));
      return tables.length >= 2 ? tables : undefined;
    }, 120_000, 'two answers');
    await alice.idle();

    expect(answers).toHaveLength(2);
    const starts = since(alice, at).filter((r) => streamInfoOf(r.activity)?.streamType === 'informative' && streamInfoOf(r.activity)?.streamSequence === 1);
    expect(starts.length).toBeGreaterThanOrEqual(1);
    expect(w().connector.streaming.violations).toEqual([]);
  });

  test('when Genie outlives the stream limit, then the bot closes the stream before the limit and sends the answer as a new message', async () => {
    await genieLatency({ submittedMs: 0, askingAiMs: STREAM_LIMIT_MS + 2_000, executingQueryMs: 0 });
    const alice = w().client('alice');
    const at = Date.now();
    await alice.say(SCENARIO.question);
    const answer = await waitForAnswer(w(), alice, at);
    await alice.idle();

    const records = since(alice, at);
    const shape = records.map(describeRecord);
    expect(shape.slice(0, 2)).toEqual(['typing', 'typing:informative#1']);
    expect(shape.slice(-2)).toEqual(['message:final (own id)', 'message']);
    expect(activityText(records.at(-2)?.activity ?? { type: '' })).toMatch(/new message/);
    expect(records.at(-1)).toBe(answer);
    expect(streamInfoOf(answer.activity)).toBeUndefined();
    expect(w().connector.streaming.violations).toEqual([]);
  });
});
