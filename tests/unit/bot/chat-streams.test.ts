import { ChatStreams } from '../../../bot/turns/chat-streams';
import { StreamSender, type StreamActivity } from '../../../bot/turns/stream-sender';
import { streamInfoOf, StreamingRules } from '../../../emulators/teams/streaming-rules';

/**
 * Two turns of one 1:1 chat, each with its own sender, against one connector's Teams streaming
 * rules ("only one concurrent streaming response per chat at a time"): the second turn never opens
 * a stream while the first one's is open. Fake clock (jest's fake timers).
 */
const T0 = 1_000_000;
const LATENCY_MS = 50;

function chat(streams: ChatStreams | undefined) {
  const rules = new StreamingRules();
  const sent: { turn: string; at: number; kind: string }[] = [];
  let ids = 0;
  const sender = (turn: string): StreamSender => {
    const send = async (activity: StreamActivity): Promise<{ id?: string } | undefined> => {
      const info = streamInfoOf(activity);
      sent.push({ turn, at: Date.now() - T0, kind: info ? `${activity.type}:${String(info.streamType)}` : activity.type });
      // Judged and recorded on arrival, as the connector does; the answer comes back after the latency.
      const verdict = rules.check('c1', { ...activity, conversation: { id: 'c1', conversationType: 'personal' } });
      const id = verdict.kind === 'start' || verdict.kind === 'plain' ? `${verdict.kind === 'start' ? 'stream' : 'msg'}-${++ids}` : undefined;
      if (verdict.kind === 'start' && id) rules.started('c1', id, activity);
      await new Promise((resolve) => setTimeout(resolve, LATENCY_MS));
      if (verdict.kind === 'refused') throw Object.assign(new Error(JSON.stringify(verdict.body)), { statusCode: verdict.status });
      return id ? { id } : {};
    };
    return new StreamSender(send, { informativeAfterMs: 1_000, ...(streams ? { slot: streams.slot('c1') } : {}) });
  };
  const of = (turn: string): string[] => sent.filter((s) => s.turn === turn).map((s) => s.kind);
  return { rules, sent, sender, of };
}

const answer = (text: string): StreamActivity => ({ type: 'message', text });

describe('ChatStreams (one open stream per 1:1 chat)', () => {
  beforeEach(() => {
    jest.useFakeTimers({ now: T0 });
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  it('when a second turn of the chat needs a stream while the first one streams, then it waits with typing and opens its own stream only after the first one ended, with no streaming rule broken', async () => {
    const streams = new ChatStreams();
    const c = chat(streams);
    const first = c.sender('first');
    const second = c.sender('second');
    first.start('Thinking…');
    await jest.advanceTimersByTimeAsync(500);
    second.start('Thinking…');
    await jest.advanceTimersByTimeAsync(2_000); // t = 2500: the first streams since 1000; the second's timer fired at 1500
    expect(c.of('first')).toEqual(['typing', 'typing:informative']);
    expect(c.of('second')).toEqual(['typing']);

    const firstDone = first.finish(answer('first answer'));
    await jest.advanceTimersByTimeAsync(LATENCY_MS + 1);
    await expect(firstDone).resolves.toMatch(/^stream-/);
    await jest.advanceTimersByTimeAsync(100);
    expect(c.of('second')).toEqual(['typing', 'typing:informative']);

    const secondDone = second.finish(answer('second answer'));
    await jest.advanceTimersByTimeAsync(1_100);
    await expect(secondDone).resolves.toMatch(/^stream-/);
    expect(c.of('second')).toEqual(['typing', 'typing:informative', 'message:final']);
    expect(c.rules.violations).toEqual([]);
    expect(streams.openChats).toBe(0);
  });

  it('when the second turn is answered while the first one still streams, then its answer is a plain message and the first stream ends normally', async () => {
    const streams = new ChatStreams();
    const c = chat(streams);
    const first = c.sender('first');
    const second = c.sender('second');
    first.start('Thinking…');
    second.start('Thinking…');
    await jest.advanceTimersByTimeAsync(1_500);
    const secondDone = second.finish(answer('second answer'));
    await jest.advanceTimersByTimeAsync(LATENCY_MS);
    await expect(secondDone).resolves.toMatch(/^msg-/);
    const firstDone = first.finish(answer('first answer'));
    await jest.advanceTimersByTimeAsync(1_100);
    await expect(firstDone).resolves.toMatch(/^stream-/);
    expect(c.of('first')).toEqual(['typing', 'typing:informative', 'message:final']);
    expect(c.of('second')).toEqual(['typing', 'message']);
    expect(c.rules.violations).toEqual([]);
    expect(streams.openChats).toBe(0);
  });

  it('without the shared slot, then the second turn opens a second stream and Teams refuses it (what the slot prevents)', async () => {
    const c = chat(undefined);
    const first = c.sender('first');
    const second = c.sender('second');
    first.start('Thinking…');
    second.start('Thinking…');
    await jest.advanceTimersByTimeAsync(1_500);
    expect(c.rules.violations.map((v) => v.code)).toEqual(['ContentStreamNotAllowed']);
    first.cancel();
    second.cancel();
  });

  it('when a turn holding the stream fails or is cancelled, then the slot is free for the next turn', async () => {
    const streams = new ChatStreams();
    const c = chat(streams);
    const first = c.sender('first');
    first.start('Thinking…');
    await jest.advanceTimersByTimeAsync(1_100);
    expect(streams.openChats).toBe(1);
    first.cancel();
    await jest.advanceTimersByTimeAsync(1);
    expect(streams.openChats).toBe(0);
  });
});
