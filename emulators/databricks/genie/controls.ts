/**
 * Test controls of the Genie emulator: per-phase latency, injected message failures and HTTP
 * faults, the workspace-wide POST rate limit (a rolling window), and counters.
 */
export interface PhaseLatency {
  /** Time spent in SUBMITTED before ASKING_AI. */
  submittedMs: number;
  askingAiMs: number;
  /** Minimum time in EXECUTING_QUERY (the query itself may take longer). */
  executingQueryMs: number;
}

export interface RateLimit {
  postsPerWindow: number;
  windowMs: number;
}

export interface GenieCounters {
  posts: number;
  gets: number;
  deletes: number;
  questions: number;
  rateLimited: number;
  injectedHttpFailures: number;
  messagesCompleted: number;
  messagesFailed: number;
  queriesRun: number;
  feedback: number;
  /** `execute-query` calls that re-ran an attachment's SQL. */
  executeQueries: number;
  /** Full query-result downloads started (`POST …/downloads`). */
  downloads: number;
  /** The most question POSTs accepted inside any one rate window (should never exceed the limit). */
  maxQuestionsInWindow: number;
}

export interface InjectedMessageFailure {
  error: string;
  type: string;
}

export interface InjectedHttpFailure {
  status: number;
  retryAfterSeconds: number | undefined;
}

export interface GenieControls {
  setLatency(latency: Partial<PhaseLatency>): void;
  latency(): PhaseLatency;
  /** The next `count` messages end FAILED with `error` as the real API reports it. */
  failNextMessages(count: number, failure?: Partial<InjectedMessageFailure>): void;
  /** The next `count` Genie requests (any method) answer `status` (429 carries Retry-After). */
  failNextRequests(count: number, status: number, retryAfterSeconds?: number): void;
  setRateLimit(limit: Partial<RateLimit>): void;
  rateLimit(): RateLimit;
  counters(): GenieCounters;
  /** Restores defaults, clears faults, counters, the rate window and all conversations. */
  reset(): void;
}

export const DEFAULT_LATENCY: PhaseLatency = { submittedMs: 20, askingAiMs: 30, executingQueryMs: 20 };
export const DEFAULT_RATE_LIMIT: RateLimit = { postsPerWindow: 5, windowMs: 60_000 };

const zeroCounters = (): GenieCounters => ({
  posts: 0,
  gets: 0,
  deletes: 0,
  questions: 0,
  rateLimited: 0,
  injectedHttpFailures: 0,
  messagesCompleted: 0,
  messagesFailed: 0,
  queriesRun: 0,
  feedback: 0,
  executeQueries: 0,
  downloads: 0,
  maxQuestionsInWindow: 0,
});

/** Mutable control state shared by the handler and the control endpoints. */
export class ControlState implements GenieControls {
  private currentLatency: PhaseLatency;
  private currentLimit: RateLimit;
  private readonly messageFailures: InjectedMessageFailure[] = [];
  private readonly httpFailures: InjectedHttpFailure[] = [];
  private questionTimes: number[] = [];
  /** Arrival time and asker of the latest question POSTs (admitted or not), for tests that check the budget's spacing and order. */
  private readonly arrivals: { at: number; user: string; admitted: boolean }[] = [];
  readonly count: GenieCounters = zeroCounters();

  constructor(
    private readonly defaults: { latency: PhaseLatency; rateLimit: RateLimit; onReset: () => void },
    private readonly now: () => number,
  ) {
    this.currentLatency = { ...defaults.latency };
    this.currentLimit = { ...defaults.rateLimit };
  }

  setLatency(latency: Partial<PhaseLatency>): void {
    this.currentLatency = { ...this.currentLatency, ...definedOnly(latency) };
  }

  latency(): PhaseLatency {
    return { ...this.currentLatency };
  }

  failNextMessages(count: number, failure: Partial<InjectedMessageFailure> = {}): void {
    for (let i = 0; i < count; i += 1) {
      this.messageFailures.push({
        error: failure.error ?? 'Genie could not generate a response for this question. [injected failure]',
        type: failure.type ?? 'GENERIC_CHAT_COMPLETION_EXCEPTION',
      });
    }
  }

  failNextRequests(count: number, status: number, retryAfterSeconds?: number): void {
    for (let i = 0; i < count; i += 1) this.httpFailures.push({ status, retryAfterSeconds });
  }

  setRateLimit(limit: Partial<RateLimit>): void {
    this.currentLimit = { ...this.currentLimit, ...definedOnly(limit) };
  }

  rateLimit(): RateLimit {
    return { ...this.currentLimit };
  }

  counters(): GenieCounters {
    return { ...this.count };
  }

  reset(): void {
    this.currentLatency = { ...this.defaults.latency };
    this.currentLimit = { ...this.defaults.rateLimit };
    this.messageFailures.length = 0;
    this.httpFailures.length = 0;
    this.questionTimes = [];
    this.arrivals.length = 0;
    Object.assign(this.count, zeroCounters());
    this.defaults.onReset();
  }

  questionArrivals(): { at: number; user: string; admitted: boolean }[] {
    return this.arrivals.map((a) => ({ ...a }));
  }

  takeMessageFailure(): InjectedMessageFailure | undefined {
    return this.messageFailures.shift();
  }

  takeHttpFailure(): InjectedHttpFailure | undefined {
    return this.httpFailures.shift();
  }

  /** Admits a question POST, or returns the seconds to wait when the window is full. */
  admitQuestion(user = ''): { admitted: true } | { admitted: false; retryAfterSeconds: number } {
    const at = this.now();
    const { postsPerWindow, windowMs } = this.currentLimit;
    this.questionTimes = this.questionTimes.filter((t) => t > at - windowMs);
    const full = this.questionTimes.length >= postsPerWindow;
    this.arrivals.push({ at, user, admitted: !full });
    if (this.arrivals.length > 1000) this.arrivals.shift();
    if (full) {
      const oldest = this.questionTimes[0] ?? at;
      return { admitted: false, retryAfterSeconds: Math.max(1, Math.ceil((oldest + windowMs - at) / 1000)) };
    }
    this.questionTimes.push(at);
    this.count.maxQuestionsInWindow = Math.max(this.count.maxQuestionsInWindow, this.questionTimes.length);
    return { admitted: true };
  }
}

function definedOnly<T extends object>(value: Partial<T>): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => typeof v === 'number' && Number.isFinite(v) && v >= 0)) as Partial<T>;
}
