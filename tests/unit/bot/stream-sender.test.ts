import { StreamSender, type StreamActivity, type StreamSenderOptions } from '../../../bot/turns/stream-sender';
import { streamInfoOf, StreamingRules } from '../../../emulators/teams/streaming-rules';

/**
 * The sender's timing logic on a fake clock (jest's fake timers), with every send judged by the
 * connector emulator's Teams streaming rules at the moment it is sent.
 */
const T0 = 1_000_000;
const LATENCY_MS = 50;

interface Sent {
  at: number;
  activity: StreamActivity;
}

function harness(options: StreamSenderOptions & { refuse?: (a: StreamActivity) => number | undefined; latencyMs?: number } = {}) {
  const { refuse, latencyMs = LATENCY_MS, ...senderOptions } = options;
  const rules = new StreamingRules();
  const sent: Sent[] = [];
  const errors: string[] = [];
  let streams = 0;
  const send = async (activity: StreamActivity): Promise<{ id?: string } | undefined> => {
    sent.push({ at: Date.now() - T0, activity: structuredClone(activity) });
    const verdict = rules.check('c1', { ...activity, conversation: { id: 'c1', conversationType: 'personal' } });
    const forced = refuse?.(activity);
    await new Promise((resolve) => setTimeout(resolve, latencyMs));
    if (forced) throw Object.assign(new Error(`refused ${forced}`), { statusCode: forced });
    if (verdict.kind === 'refused') throw Object.assign(new Error(JSON.stringify(verdict.body)), { statusCode: verdict.status });
    if (verdict.kind === 'start') {
      const id = `stream-${++streams}`;
      rules.started('c1', id, activity);
      return { id };
    }
    if (verdict.kind === 'plain') return { id: `msg-${sent.length}` };
    return {};
  };
  // The timing tests below start the stream after 1 s; the default (2.5 s) has its own test.
  const sender = new StreamSender(send, { informativeAfterMs: 1_000, ...senderOptions, onSendError: (_e, what) => errors.push(what) });
  const kinds = (): string[] =>
    sent.map(({ activity }) => {
      const info = streamInfoOf(activity);
      return info ? `${activity.type}:${String(info.streamType)}${info.streamSequence === undefined ? '' : `#${String(info.streamSequence)}`}` : activity.type;
    });
  return { sender, sent, rules, errors, kinds };
}

const answer: StreamActivity = { type: 'message', text: 'West: 42' };

describe('StreamSender (Teams streaming for 1:1 chats)', () => {
  beforeEach(() => {
    jest.useFakeTimers({ now: T0 });
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  it('when the answer is ready within a second, then typing goes out at once and the answer follows as a plain message with no stream', async () => {
    const h = harness();
    h.sender.start('Thinking…');
    await jest.advanceTimersByTimeAsync(300);
    h.sender.update('Asking Genie…');
    const id = h.sender.finish(answer);
    await jest.advanceTimersByTimeAsync(LATENCY_MS);
    await expect(id).resolves.toBe('msg-2');
    expect(h.kinds()).toEqual(['typing', 'message']);
    expect(h.sent.map((s) => s.at)).toEqual([0, 300]);
    expect(h.sent[1]?.activity).toEqual(answer);
    await jest.advanceTimersByTimeAsync(5_000);
    expect(h.sent).toHaveLength(2);
    expect(h.rules.violations).toEqual([]);
  });

  it('when the answer takes longer, then one informative update starts the stream after a second, updates are coalesced at Teams pace, and the final follows at once', async () => {
    const h = harness();
    h.sender.start('Thinking…');
    await jest.advanceTimersByTimeAsync(100);
    h.sender.update('Asking Genie…');
    await jest.advanceTimersByTimeAsync(1_100); // t = 1200: the stream started at 1000
    h.sender.update('Running the query…');
    await jest.advanceTimersByTimeAsync(100);
    h.sender.update('Reading the results…'); // replaces the one still waiting for its turn
    await jest.advanceTimersByTimeAsync(2_200); // t = 3500
    const id = h.sender.finish(answer);
    await jest.advanceTimersByTimeAsync(LATENCY_MS);
    await expect(id).resolves.toBe('stream-1');

    expect(h.kinds()).toEqual(['typing', 'typing:informative#1', 'typing:informative#2', 'message:final']);
    expect(h.sent.map((s) => s.at)).toEqual([0, 1000, 2050, 3500]);
    expect(h.sent.map((s) => s.activity.text)).toEqual([undefined, 'Asking Genie…', 'Reading the results…', 'West: 42']);
    const final = h.sent[3]?.activity;
    expect(final?.entities).toEqual([{ type: 'streaminfo', streamId: 'stream-1', streamType: 'final' }]);
    expect(h.sent[2]?.activity.entities).toEqual([{ type: 'streaminfo', streamId: 'stream-1', streamType: 'informative', streamSequence: 2 }]);
    expect(h.rules.violations).toEqual([]);
  });

  it('when the answer is ready right after an update, then the final waits only for that send and the minimum spacing, and nothing is sent after it', async () => {
    const h = harness();
    h.sender.start('Thinking…');
    await jest.advanceTimersByTimeAsync(1_010); // informative sent at 1000, answered at 1050
    const id = h.sender.finish(answer);
    let done = false;
    void id.then(() => (done = true));
    await jest.advanceTimersByTimeAsync(1_039); // t = 2049
    expect(h.sent).toHaveLength(2);
    await jest.advanceTimersByTimeAsync(1); // t = 2050: 1000 ms after the informative was answered
    expect(h.sent.map((s) => s.at)).toEqual([0, 1000, 2050]);
    await jest.advanceTimersByTimeAsync(LATENCY_MS);
    expect(done).toBe(true);
    await jest.advanceTimersByTimeAsync(10_000);
    expect(h.sent).toHaveLength(3);
    expect(h.rules.violations).toEqual([]);
  });

  it('when the answer outlives the stream limit, then the stream is closed before the limit and the answer is sent as a new message', async () => {
    const h = harness({ streamLimitMs: 120_000 });
    h.sender.start('Asking Genie…');
    await jest.advanceTimersByTimeAsync(115_000);
    h.sender.update('Still waiting for Genie…');
    await jest.advanceTimersByTimeAsync(35_000); // t = 150 s
    const id = h.sender.finish(answer);
    await jest.advanceTimersByTimeAsync(LATENCY_MS);
    await expect(id).resolves.toMatch(/^msg-/);

    expect(h.kinds()).toEqual(['typing', 'typing:informative#1', 'message:final', 'message']);
    const closing = h.sent[2] as Sent;
    expect(closing.at).toBeLessThan(1_000 + 120_000);
    expect(closing.activity.text).toMatch(/new message/);
    expect(h.sent[3]?.activity).toEqual(answer);
    expect(h.rules.violations).toEqual([]);
  });

  it('when Teams refuses an informative update, then no more updates are sent and the answer arrives as a new message', async () => {
    const h = harness({ refuse: (a) => (a.type === 'typing' && streamInfoOf(a) ? 403 : undefined) });
    h.sender.start('Thinking…');
    await jest.advanceTimersByTimeAsync(2_000);
    h.sender.update('Asking Genie…');
    await jest.advanceTimersByTimeAsync(3_000);
    const id = h.sender.finish(answer);
    await jest.advanceTimersByTimeAsync(LATENCY_MS);
    await expect(id).resolves.toMatch(/^msg-/);
    expect(h.kinds()).toEqual(['typing', 'typing:informative#1', 'message']);
    expect(h.errors).toEqual(['informative']);
  });

  it('when Teams refuses the final message, then the answer is sent again as a new message; a failure that is not a refusal is reported, never resent', async () => {
    const refusing = harness({ refuse: (a) => (a.type === 'message' && streamInfoOf(a) ? 403 : undefined) });
    refusing.sender.start('Thinking…');
    await jest.advanceTimersByTimeAsync(1_500);
    const id = refusing.sender.finish(answer);
    await jest.advanceTimersByTimeAsync(1_000);
    await expect(id).resolves.toMatch(/^msg-/);
    expect(refusing.kinds()).toEqual(['typing', 'typing:informative#1', 'message:final', 'message']);
    expect(refusing.errors).toEqual(['final']);

    const failing = harness({ refuse: (a) => (a.type === 'message' && streamInfoOf(a) ? 502 : undefined) });
    failing.sender.start('Thinking…');
    await jest.advanceTimersByTimeAsync(1_500);
    const failed = failing.sender.finish(answer);
    failed.catch(() => undefined);
    await jest.advanceTimersByTimeAsync(1_000);
    await expect(failed).rejects.toThrow('refused 502');
    expect(failing.kinds()).toEqual(['typing', 'typing:informative#1', 'message:final']);
  });

  it('when a progress text is longer than Teams allows for informative messages, then it is cut to 1000 characters', async () => {
    const h = harness();
    h.sender.start('x'.repeat(5_000));
    await jest.advanceTimersByTimeAsync(1_100);
    expect(h.sent[1]?.activity.text).toHaveLength(1_000);
    expect(h.rules.violations).toEqual([]);
    h.sender.cancel();
  });

  it('with the default options, then no stream starts for an answer ready within 2.5 s (typing is shown for 3 s), and one starts at 2.5 s otherwise', async () => {
    const quick = harness({ informativeAfterMs: undefined });
    quick.sender.start('Thinking…');
    await jest.advanceTimersByTimeAsync(2_400);
    const id = quick.sender.finish(answer);
    await jest.advanceTimersByTimeAsync(LATENCY_MS);
    await expect(id).resolves.toMatch(/^msg-/);
    expect(quick.kinds()).toEqual(['typing', 'message']);

    const slow = harness({ informativeAfterMs: undefined });
    slow.sender.start('Thinking…');
    await jest.advanceTimersByTimeAsync(2_600);
    expect(slow.kinds()).toEqual(['typing', 'typing:informative#1']);
    expect((slow.sent[1]?.at ?? 0) - (slow.sent[0]?.at ?? 0)).toBe(2_500);
    slow.sender.cancel();
  });

  it('when finish is called twice, then the second call is refused', async () => {
    const h = harness();
    h.sender.start();
    void h.sender.finish(answer);
    await expect(h.sender.finish(answer)).rejects.toThrow(/already finishing/);
  });
});
