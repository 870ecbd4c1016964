import type { Activity } from './types';

/**
 * Teams' rules for streamed bot messages, enforced by the local connector the way Teams answers
 * them. Source: "Stream bot messages", learn.microsoft.com/microsoftteams/platform/bots/streaming-ux
 * (MicrosoftDocs/msteams-docs `msteams-platform/bots/streaming-ux.md`, 2025-02-10), sections
 * "Stream message through REST API" and "Response codes". Each refusal below names its rule.
 * Every refused or dropped request is kept in `violations`, so a test can assert that none happened.
 */
export interface StreamViolation {
  at: number;
  conversationId: string;
  streamId?: string;
  status: number;
  code: string;
  message: string;
}

export interface StreamingRulesOptions {
  /** "The throttling limit is 1 request per second" (between streaming requests of one stream). */
  minSpacingMs?: number;
  /** "The strict time limit of two minutes" for a stream, from its first request. */
  streamLimitMs?: number;
  now?: () => number;
}

export type StreamVerdict =
  | { kind: 'plain' }
  | { kind: 'start' }
  | { kind: 'continue'; streamId: string }
  | { kind: 'final'; streamId: string }
  | { kind: 'refused'; status: number; body: unknown };

interface OpenStream {
  conversationId: string;
  startedAt: number;
  lastAt: number;
  lastSequence: number;
  lastStreamedText: string | undefined;
  done: boolean;
}

export const TEAMS_STREAM_SPACING_MS = 1_000;
export const TEAMS_STREAM_LIMIT_MS = 120_000;
/** "Informative messages must not be more than 1 kb or 1000 characters." */
const INFORMATIVE_MAX_CHARS = 1_000;

export class StreamingRules {
  readonly violations: StreamViolation[] = [];
  private readonly streams = new Map<string, OpenStream>();
  private readonly minSpacingMs: number;
  private readonly streamLimitMs: number;
  private readonly now: () => number;

  constructor(options: StreamingRulesOptions = {}) {
    this.minSpacingMs = options.minSpacingMs ?? TEAMS_STREAM_SPACING_MS;
    this.streamLimitMs = options.streamLimitMs ?? TEAMS_STREAM_LIMIT_MS;
    this.now = options.now ?? Date.now;
  }

  /** Judges one `POST …/activities`. A `start` must be followed by `started` with the stream id handed out. */
  check(conversationId: string, activity: Activity): StreamVerdict {
    const info = streamInfoOf(activity);
    if (!info) return { kind: 'plain' };
    const refuse = (status: number, code: string, message: string, streamId?: string): StreamVerdict => {
      this.violations.push({ at: this.now(), conversationId, ...(streamId ? { streamId } : {}), status, code, message });
      return { kind: 'refused', status, body: { error: { code, message } } };
    };
    const streamType = info.streamType ?? 'streaming';
    const sequence = info.streamSequence;
    const text = typeof activity.text === 'string' ? activity.text : '';
    // "Streaming bot messages are supported only in one-on-one chats."
    if (activity.conversation?.conversationType !== undefined && activity.conversation.conversationType !== 'personal') {
      return refuse(403, 'ContentStreamNotAllowed', 'Content stream is not allowed');
    }
    // `type`: `typing` while streaming, `message` for the final streamed message; `final` only on the last one.
    if (!['informative', 'streaming', 'final'].includes(String(streamType))) return refuse(400, 'BadRequest', `Unknown streamType ${String(streamType)}`);
    if ((streamType === 'final') !== (activity.type === 'message')) return refuse(400, 'BadRequest', `A ${String(streamType)} streaming activity cannot be of type ${activity.type}`);
    if (streamType === 'informative' && text.length > INFORMATIVE_MAX_CHARS) return refuse(400, 'BadRequest', 'Informative messages must not be more than 1000 characters');

    const streamId = typeof info.streamId === 'string' ? info.streamId : undefined;
    if (streamId === undefined) {
      // "streamId … must be present for any subsequent request after the first chunk"; the first is never final.
      if (streamType === 'final') return refuse(400, 'BadRequest', 'A final streaming message must carry the streamId of its stream');
      // "First one must be number '1'."
      if (sequence !== 1) return refuse(400, 'BadRequest', 'The first streaming request must have streamSequence 1');
      if (text === '') return refuse(400, 'BadRequest', 'Start streaming activities should include text');
      // "Teams supports only one concurrent streaming response per chat at a time."
      if ([...this.streams.values()].some((s) => s.conversationId === conversationId && !s.done && !this.expired(s))) {
        return refuse(403, 'ContentStreamNotAllowed', 'Content stream is not allowed while another stream is open in this chat');
      }
      return { kind: 'start' };
    }

    const stream = this.streams.get(streamId);
    if (!stream || stream.conversationId !== conversationId) return refuse(400, 'BadRequest', `Unknown streamId ${streamId}`, streamId);
    // "A bot can't continuously stream on a message that has already streamed and completed."
    if (stream.done) return refuse(403, 'ContentStreamNotAllowed', 'Content stream is not allowed on an already completed streamed message', streamId);
    const at = this.now();
    // "The bot failed to complete the streaming process within the strict time limit of two minutes."
    if (this.expired(stream)) {
      stream.done = true;
      return refuse(403, 'ContentStreamNotAllowed', 'Content stream finished due to exceeded streaming time.', streamId);
    }
    // "The throttling limit is 1 request per second." (429: "API calls quota exceeded")
    if (at - stream.lastAt < this.minSpacingMs) {
      return refuse(429, 'Throttled', `API calls quota exceeded: ${at - stream.lastAt} ms after the previous streaming request (at least ${this.minSpacingMs} ms)`, streamId);
    }
    if (streamType === 'final') {
      // "For the final message, `streamSequence` must not be set."
      if (sequence !== undefined) return refuse(400, 'BadRequest', 'streamSequence must not be set on the final streaming message', streamId);
      stream.done = true;
      stream.lastAt = at;
      return { kind: 'final', streamId };
    }
    // "Subsequent numbers (except final) must be a monotonic increasing integer"; out-of-order requests
    // are answered 202 ContentStreamSequenceOrderPreConditionFailed and dropped.
    if (typeof sequence !== 'number' || !Number.isInteger(sequence) || sequence <= stream.lastSequence) {
      this.violations.push({ at, conversationId, streamId, status: 202, code: 'ContentStreamSequenceOrderPreConditionFailed', message: 'PreCondition failed exception when processing streaming activity.' });
      return { kind: 'refused', status: 202, body: { error: { code: 'ContentStreamSequenceOrderPreConditionFailed', message: 'PreCondition failed exception when processing streaming activity.' } } };
    }
    // "While streaming, the bot message must contain the previously streamed content."
    if (streamType === 'streaming' && stream.lastStreamedText !== undefined && !text.startsWith(stream.lastStreamedText)) {
      return refuse(400, 'BadRequest', 'A streaming update must contain the previously streamed content', streamId);
    }
    stream.lastSequence = sequence;
    stream.lastAt = at;
    if (streamType === 'streaming') stream.lastStreamedText = text;
    return { kind: 'continue', streamId };
  }

  /** The stream a `start` verdict opened, under the id the connector answered with (`201 {id}`). */
  started(conversationId: string, streamId: string, activity: Activity): void {
    const info = streamInfoOf(activity);
    const text = typeof activity.text === 'string' ? activity.text : '';
    const at = this.now();
    this.streams.set(streamId, { conversationId, startedAt: at, lastAt: at, lastSequence: 1, lastStreamedText: info?.streamType === 'streaming' ? text : undefined, done: false });
  }

  private expired(stream: OpenStream): boolean {
    return this.now() - stream.startedAt > this.streamLimitMs;
  }
}

interface StreamInfo {
  streamId?: unknown;
  streamType?: unknown;
  streamSequence?: unknown;
}

/**
 * The stream fields: the `streaminfo` entity ("`entities.type`: Must be `streamInfo`"; Teams samples
 * spell it `streaminfo`), or `channelData`, where SDK bots carry them (botbuilder's connector client
 * posts an entity as its `type` only; teams-ai 1.7.4 therefore sets both). The entity wins.
 */
export function streamInfoOf(activity: Activity): StreamInfo | undefined {
  const entity = activity.entities?.find((e) => typeof e.type === 'string' && e.type.toLowerCase() === 'streaminfo') as StreamInfo | undefined;
  const data = activity.channelData as StreamInfo | undefined;
  if (!entity && data?.streamType === undefined) return undefined;
  const pick = (from: StreamInfo | undefined): StreamInfo =>
    Object.fromEntries((['streamId', 'streamType', 'streamSequence'] as const).filter((k) => from?.[k] !== undefined).map((k) => [k, from?.[k]]));
  return { ...pick(data), ...pick(entity) };
}
