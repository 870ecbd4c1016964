import { startConnector } from '../../../emulators/teams/connector';
import { StreamingRules, type StreamVerdict } from '../../../emulators/teams/streaming-rules';
import type { Activity } from '../../../emulators/teams/types';

const PERSONAL = { id: 'c1', conversationType: 'personal' };
const info = (extra: Record<string, unknown>): Record<string, unknown>[] => [{ type: 'streaminfo', ...extra }];
const informative = (seq: number | undefined, streamId?: string, text = 'Asking Genie…'): Activity => ({
  type: 'typing',
  text,
  conversation: PERSONAL,
  entities: info({ streamType: 'informative', ...(seq === undefined ? {} : { streamSequence: seq }), ...(streamId ? { streamId } : {}) }),
});
const final = (streamId: string, extra: Record<string, unknown> = {}): Activity => ({ type: 'message', text: 'West: 42', conversation: PERSONAL, entities: info({ streamType: 'final', streamId, ...extra }) });

function world(limitMs = 120_000) {
  let now = 0;
  const rules = new StreamingRules({ now: () => now, streamLimitMs: limitMs });
  const open = (): string => {
    const verdict = rules.check('c1', informative(1));
    expect(verdict).toEqual({ kind: 'start' });
    rules.started('c1', 's1', informative(1));
    return 's1';
  };
  return { rules, open, advance: (ms: number) => (now += ms) };
}

const refused = (status: number, code: string): StreamVerdict => expect.objectContaining({ kind: 'refused', status, body: { error: expect.objectContaining({ code }) } }) as StreamVerdict;

describe("the connector emulator's Teams streaming rules (streaming-ux)", () => {
  it('when a stream follows the protocol at Teams pace, then every request is accepted and nothing is logged', () => {
    const w = world();
    const id = w.open();
    w.advance(1000);
    expect(w.rules.check('c1', informative(2, id))).toEqual({ kind: 'continue', streamId: id });
    w.advance(1000);
    expect(w.rules.check('c1', final(id))).toEqual({ kind: 'final', streamId: id });
    expect(w.rules.violations).toEqual([]);
  });

  it('when a plain message or typing without streaminfo is sent, then the rules do not apply', () => {
    expect(new StreamingRules().check('c1', { type: 'typing', conversation: PERSONAL })).toEqual({ kind: 'plain' });
  });

  it('when streaming requests come faster than one a second, then the request is throttled with 429 and logged', () => {
    const w = world();
    const id = w.open();
    w.advance(999);
    expect(w.rules.check('c1', informative(2, id))).toEqual(refused(429, 'Throttled'));
    expect(w.rules.check('c1', final(id))).toEqual(refused(429, 'Throttled'));
    expect(w.rules.violations).toHaveLength(2);
  });

  it('when the final message carries a streamSequence, then it is refused with 400 BadRequest', () => {
    const w = world();
    const id = w.open();
    w.advance(1000);
    expect(w.rules.check('c1', final(id, { streamSequence: 2 }))).toEqual(refused(400, 'BadRequest'));
    expect(w.rules.violations[0]?.message).toMatch(/streamSequence must not be set/);
  });

  it('when the sequence does not increase, then the request is dropped (202 ContentStreamSequenceOrderPreConditionFailed) and logged', () => {
    const w = world();
    const id = w.open();
    w.advance(1000);
    expect(w.rules.check('c1', informative(1, id))).toEqual(refused(202, 'ContentStreamSequenceOrderPreConditionFailed'));
    w.advance(1000);
    expect(w.rules.check('c1', informative(undefined, id))).toEqual(refused(202, 'ContentStreamSequenceOrderPreConditionFailed'));
    expect(w.rules.violations).toHaveLength(2);
  });

  it('when a stream starts with a sequence other than 1, or without text, or as a final, then it is refused with 400', () => {
    const rules = new StreamingRules();
    expect(rules.check('c1', informative(2))).toEqual(refused(400, 'BadRequest'));
    expect(rules.check('c1', informative(1, undefined, ''))).toEqual(refused(400, 'BadRequest'));
    expect(rules.check('c1', { type: 'message', text: 'x', conversation: PERSONAL, entities: info({ streamType: 'final' }) })).toEqual(refused(400, 'BadRequest'));
    expect(rules.check('c1', { ...informative(1), type: 'message' })).toEqual(refused(400, 'BadRequest'));
    expect(rules.violations).toHaveLength(4);
  });

  it('when anything is sent on a stream after its final message, then it is refused with 403 ContentStreamNotAllowed', () => {
    const w = world();
    const id = w.open();
    w.advance(1000);
    w.rules.check('c1', final(id));
    w.advance(1000);
    expect(w.rules.check('c1', informative(2, id))).toEqual(refused(403, 'ContentStreamNotAllowed'));
    expect(w.rules.check('c1', final(id))).toEqual(refused(403, 'ContentStreamNotAllowed'));
    expect(w.rules.violations.map((v) => v.message)).toEqual([expect.stringMatching(/already completed/), expect.stringMatching(/already completed/)]);
  });

  it('when a stream outlives the time limit, then its next request is refused with 403 "exceeded streaming time"', () => {
    const w = world(120_000);
    const id = w.open();
    w.advance(120_001);
    expect(w.rules.check('c1', final(id))).toEqual(refused(403, 'ContentStreamNotAllowed'));
    expect(w.rules.violations[0]?.message).toBe('Content stream finished due to exceeded streaming time.');
  });

  it('when a bot streams in a group chat, or opens a second stream in the same chat, then it is refused with 403', () => {
    const w = world();
    expect(w.rules.check('g1', { ...informative(1), conversation: { id: 'g1', conversationType: 'groupChat' } })).toEqual(refused(403, 'ContentStreamNotAllowed'));
    w.open();
    expect(w.rules.check('c1', informative(1))).toEqual(refused(403, 'ContentStreamNotAllowed'));
  });

  it('when streamed text does not contain what was streamed before, or an informative text is over 1000 characters, then it is refused with 400', () => {
    const w = world();
    const streaming = (seq: number, text: string, streamId?: string): Activity => ({ type: 'typing', text, conversation: PERSONAL, entities: info({ streamType: 'streaming', streamSequence: seq, ...(streamId ? { streamId } : {}) }) });
    expect(w.rules.check('c1', streaming(1, 'A brown'))).toEqual({ kind: 'start' });
    w.rules.started('c1', 's1', streaming(1, 'A brown'));
    w.advance(1000);
    expect(w.rules.check('c1', streaming(2, 'Hello', 's1'))).toEqual(refused(400, 'BadRequest'));
    expect(w.rules.check('c1', informative(2, 's1', 'x'.repeat(1001)))).toEqual(refused(400, 'BadRequest'));
  });

  it('when a stream goes through the HTTP connector, then the start answers 201 with the stream id, and the final message is recorded under that id', async () => {
    let now = 0;
    const connector = await startConnector({ tenantId: 't1', streaming: { now: () => now } });
    try {
      const post = async (activity: Activity): Promise<{ status: number; body: { id?: string } }> => {
        const response = await fetch(`${connector.serviceUrl}v3/conversations/c1/activities`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity) });
        return { status: response.status, body: (await response.json()) as { id?: string } };
      };
      const start = await post(informative(1));
      expect(start.status).toBe(201);
      const streamId = start.body.id as string;
      const tooSoon = await post(final(streamId));
      expect(tooSoon.status).toBe(429);
      expect(connector.streaming.violations).toHaveLength(1);
      expect(connector.log.get(streamId)).toBeUndefined();
      now += 1000;
      const done = await post(final(streamId));
      expect(done).toEqual({ status: 202, body: {} });
      expect(connector.log.get(streamId)?.activity).toMatchObject({ type: 'message', text: 'West: 42' });
      expect(connector.log.list('c1').map((r) => r.activity.type)).toEqual(['typing', 'message']);
    } finally {
      await connector.stop();
    }
  });
});
