/**
 * Teams streaming for a 1:1 chat, paced by Teams' rules only (teams-ai 1.7.4's `StreamingResponse`
 * sleeps 1,500 ms after every send, the final one included, and nothing configures it).
 *
 * Host-neutral: it needs only a `sendActivity`-like function, so any Bot Framework host can use it.
 *
 * Teams' rules, from "Stream bot messages" (learn.microsoft.com/microsoftteams/platform/bots/streaming-ux,
 * sections "Stream message through REST API" and "Response codes"):
 * - Streaming works in 1:1 chats only, one stream per chat at a time.
 * - The first streaming request (`typing` with a `streaminfo` entity) returns `201 {id}`: that id is
 *   the `streamId`, required on every later request of the stream; later requests answer `202`.
 * - `streamType` is `informative` or `streaming` on `typing` activities; the final message is a
 *   `message` with `streamType: 'final'`.
 * - `streamSequence` starts at 1 and increases on every request except the final one, which must
 *   not carry it.
 * - "Call the next streaming API only after receiving a successful response" and "the throttling
 *   limit is 1 request per second": the next request goes out after the previous one answered and
 *   at least `minSpacingMs` after that answer.
 * - Informative messages must not be more than 1 kb or 1000 characters.
 * - A stream must finish within two minutes (`403 ContentStreamNotAllowed`, "Content stream finished
 *   due to exceeded streaming time"), so a stream still open near `streamLimitMs` is closed with a
 *   short final message, and the answer is then sent as a new message.
 * Nothing asks for a pause after a send, so there is none, and the final message never waits for
 * more than the previous send and the spacing.
 *
 * The stream fields go in the `streaminfo` entity and, as teams-ai 1.7.4 does, in `channelData` too:
 * botbuilder's connector client serializes an entity as its `type` only (verified: it posts
 * `"entities":[{"type":"streaminfo"}]`), so for botbuilder bots Teams gets them from `channelData`.
 */

/** The activity fields this sender sets; the host's activity type fits it. */
export interface StreamActivity {
  type: string;
  id?: string;
  text?: string;
  entities?: Record<string, unknown>[];
  channelData?: Record<string, unknown>;
  [key: string]: unknown;
}

/** Sends one activity and returns the service's answer (`{id}` for a new message or a new stream). */
export type SendActivity = (activity: StreamActivity) => Promise<{ id?: string } | undefined>;

/**
 * The chat's one stream ("only one concurrent streaming response per chat at a time"), shared by the
 * turns of one chat (`chat-streams.ts`). Taken before a stream's first request, released when it ended.
 */
export interface StreamSlot {
  /** True when this turn now holds the chat's stream (or already did). */
  tryTake(): boolean;
  /** Ends this turn's hold (and its wait); a no-op when it holds nothing. */
  release(): void;
  /** Calls `wake` once when the chat's stream is released by the turn holding it. */
  whenFree(wake: () => void): void;
}

export interface StreamSenderOptions {
  /** Start the informative stream only if the answer is not ready this long after `start` (default 2.5 s, see `DEFAULTS`). */
  informativeAfterMs?: number;
  /** The chat's stream, when other turns of the chat may stream too; without it the sender assumes it is alone. */
  slot?: StreamSlot;
  /** Least time between a streaming request's answer and the next request (Teams: 1 request per second). */
  minSpacingMs?: number;
  /** Teams' limit on a stream's life, from its first request (2 minutes); the sender closes it before. */
  streamLimitMs?: number;
  /** Final text of a stream closed before the answer was ready. */
  closingText?: string;
  /** A send that failed without losing the answer (a progress update, or a refused final sent again as a new message). */
  onSendError?: (error: unknown, what: 'typing' | 'informative' | 'closing' | 'final') => void;
}

const TEAMS_STREAM_LIMIT_MS = 120_000;
const TEAMS_MIN_SPACING_MS = 1_000;
const INFORMATIVE_MAX_CHARS = 1_000;
/** Margin under the stream limit for the closing request itself (its spacing and its round trip): 10 s, or a quarter of a short limit. */
const LIMIT_MARGIN_MS = 10_000;
const DEFAULTS = {
  /**
   * The typing sent at once is shown for three seconds ("clients SHOULD display typing indicators for
   * three seconds upon receiving a typing activity", Bot Framework Activity spec, A6000), so the
   * informative stream starts half a second before it would disappear. Any answer ready before then
   * goes out as a plain message at once; once a stream is open, the final must wait Teams' 1 s
   * spacing after the informative update, so starting the stream later spares that wait for the many
   * answers that take one to two and a half seconds.
   */
  informativeAfterMs: 2_500,
  minSpacingMs: TEAMS_MIN_SPACING_MS,
  streamLimitMs: TEAMS_STREAM_LIMIT_MS,
  closingText: 'This is taking a while. I will post the answer here as a new message when it is ready.',
};

type State = 'idle' | 'streaming' | 'closed' | 'finished';

export class StreamSender {
  private readonly options: Required<Omit<StreamSenderOptions, 'onSendError' | 'slot'>>;
  private readonly onSendError: StreamSenderOptions['onSendError'];
  private readonly slot: StreamSlot | undefined;
  private chain: Promise<void> = Promise.resolve();
  private state: State = 'idle';
  private finishing = false;
  private streamId: string | undefined;
  private sequence = 0;
  /** When the last streaming request was answered (spacing counts from there). */
  private lastAnsweredAt: number | undefined;
  private latest: string | undefined;
  private sentText: string | undefined;
  private pumpQueued = false;
  private informativeTimer: ReturnType<typeof setTimeout> | undefined;
  private limitTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly send: SendActivity,
    options: StreamSenderOptions = {},
  ) {
    const { onSendError, slot, ...timing } = options;
    this.onSendError = onSendError;
    this.slot = slot;
    this.options = { ...DEFAULTS, ...definedOnly(timing) };
  }

  /** Typing at once; an informative stream starts only if the answer is not ready within `informativeAfterMs`. */
  start(status?: string): void {
    if (status) this.latest = informative(status);
    void this.enqueue(async () => void (await this.send({ type: 'typing' }))).catch((error: unknown) => this.report(error, 'typing'));
    this.informativeTimer = unrefTimer(() => {
      this.informativeTimer = undefined;
      this.pump();
    }, this.options.informativeAfterMs);
  }

  /** The latest progress text; only the newest one waiting is sent, at Teams' pace. */
  update(text: string): void {
    if (this.finishing || this.state === 'closed' || this.state === 'finished' || !text) return;
    this.latest = informative(text);
    if (this.informativeTimer === undefined) this.pump();
  }

  /**
   * Sends the answer: as the stream's final message when a stream is open, else as a new message.
   * Waits only for the previous send and the spacing. Returns the id of the message that holds the
   * answer (for a streamed final, the stream id, which is the message's id in Teams).
   */
  async finish(final: StreamActivity): Promise<string | undefined> {
    if (this.finishing) throw new Error('The stream is already finishing');
    this.finishing = true;
    this.clearTimers();
    return this.enqueue(() => this.sendFinal(final)).finally(() => this.slot?.release());
  }

  private async sendFinal(final: StreamActivity): Promise<string | undefined> {
    this.clearTimers();
    if (this.state === 'streaming' && this.streamId) {
      await this.spacing();
      const streamId = this.streamId;
      try {
        const response = await this.send(withStreamInfo({ ...final, type: 'message', id: streamId }, { streamId, streamType: 'final' }));
        this.state = 'finished';
        return response?.id ?? streamId;
      } catch (error) {
        if (!isRefusal(error)) throw error;
        this.report(error, 'final');
      }
    }
    const response = await this.send(final);
    this.state = 'finished';
    return response?.id;
  }

  /** Stops timers without sending (the turn ended some other way). */
  cancel(): void {
    this.finishing = true;
    this.clearTimers();
    void this.chain.then(() => this.slot?.release());
  }

  private pump(): void {
    if (this.pumpQueued || this.finishing || this.state === 'closed' || this.state === 'finished') return;
    if (this.latest === undefined || this.latest === this.sentText) return;
    this.pumpQueued = true;
    void this.enqueue(async () => {
      await this.spacing();
      this.pumpQueued = false;
      const text = this.latest;
      if (this.finishing || this.state === 'closed' || text === undefined || text === this.sentText) return;
      if (this.streamId === undefined && this.slot && !this.slot.tryTake()) {
        // Another turn streams in this chat: keep to typing until its stream ended (or this answer is ready).
        this.slot.whenFree(() => this.pump());
        return;
      }
      await this.streamingRequest(text);
      this.pump();
    }).catch((error: unknown) => this.report(error, 'informative'));
  }

  private async streamingRequest(text: string): Promise<void> {
    const first = this.streamId === undefined;
    const info: StreamInfo = { streamType: 'informative', streamSequence: ++this.sequence, ...(first ? {} : { streamId: this.streamId }) };
    const startedAt = Date.now();
    try {
      const response = await this.send(withStreamInfo({ type: 'typing', text, ...(first ? {} : { id: this.streamId }) }, info));
      this.sentText = text;
      if (first) {
        this.streamId = response?.id;
        if (!this.streamId) {
          this.state = 'closed';
          return this.slot?.release();
        }
        this.state = 'streaming';
        const closeAfter = this.options.streamLimitMs - Math.min(LIMIT_MARGIN_MS, this.options.streamLimitMs / 4);
        this.limitTimer = unrefTimer(() => this.close(), Math.max(0, closeAfter - (Date.now() - startedAt)));
      }
    } catch (error) {
      // A refused update (throttled, stopped by the user, …) ends the stream; the answer goes as a new message.
      this.state = 'closed';
      this.slot?.release();
      throw error;
    } finally {
      this.lastAnsweredAt = Date.now();
    }
  }

  /** The stream is near `streamLimitMs`: end it with a short final message; the answer will be a new message. */
  private close(): void {
    this.limitTimer = undefined;
    void this.enqueue(async () => {
      if (this.finishing || this.state !== 'streaming' || !this.streamId) return;
      await this.spacing();
      if (this.finishing) return;
      this.state = 'closed';
      try {
        await this.send(withStreamInfo({ type: 'message', id: this.streamId, text: this.options.closingText }, { streamId: this.streamId, streamType: 'final' }));
      } finally {
        this.slot?.release();
      }
    }).catch((error: unknown) => this.report(error, 'closing'));
  }

  private async spacing(): Promise<void> {
    if (this.lastAnsweredAt === undefined) return;
    const wait = this.lastAnsweredAt + this.options.minSpacingMs - Date.now();
    if (wait > 0) await new Promise<void>((resolve) => setTimeout(resolve, wait));
  }

  private enqueue<T>(task: () => Promise<T>): Promise<T> {
    const run = this.chain.then(task);
    this.chain = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  private clearTimers(): void {
    if (this.informativeTimer !== undefined) clearTimeout(this.informativeTimer);
    if (this.limitTimer !== undefined) clearTimeout(this.limitTimer);
    this.informativeTimer = undefined;
    this.limitTimer = undefined;
  }

  private report(error: unknown, what: 'typing' | 'informative' | 'closing' | 'final'): void {
    this.onSendError?.(error, what);
  }
}

/** A 4xx answer: the service refused the request, so sending the answer again as a new message cannot duplicate it. */
function isRefusal(error: unknown): boolean {
  const e = error as { statusCode?: unknown; status?: unknown } | undefined;
  const status = typeof e?.statusCode === 'number' ? e.statusCode : typeof e?.status === 'number' ? e.status : undefined;
  return status !== undefined && status >= 400 && status < 500;
}

interface StreamInfo {
  streamId?: string;
  streamType: 'informative' | 'final';
  streamSequence?: number;
}

/** The stream fields as a `streaminfo` entity and in `channelData` (see the note at the top). */
function withStreamInfo(activity: StreamActivity, info: StreamInfo): StreamActivity {
  return { ...activity, channelData: { ...activity.channelData, ...info }, entities: [...(activity.entities ?? []), { type: 'streaminfo', ...info }] };
}

function informative(text: string): string {
  return text.length > INFORMATIVE_MAX_CHARS ? `${text.slice(0, INFORMATIVE_MAX_CHARS - 1)}…` : text;
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function unrefTimer(fn: () => void, ms: number): ReturnType<typeof setTimeout> {
  const timer = setTimeout(fn, ms);
  (timer as { unref?: () => void }).unref?.();
  return timer;
}
