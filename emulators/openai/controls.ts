/**
 * Test controls of the Azure OpenAI / OpenAI emulator: its deployments, fault rules per deployment and
 * every request each deployment received (full bodies), so tests can count calls and read prompts.
 */
export const OPENAI_FAULT_MODES = ['http_429', 'http_500', 'content_filter_prompt', 'content_filter_completion', 'malformed_json', 'delay'] as const;
export type OpenAiFaultMode = (typeof OPENAI_FAULT_MODES)[number];

/**
 * - `http_429`: throttled, with `retry-after` (seconds) and `retry-after-ms` headers when given.
 * - `http_500`: Azure's internal server error envelope.
 * - `content_filter_prompt`: HTTP 400 `content_filter` (the prompt was filtered).
 * - `content_filter_completion`: HTTP 200 with `finish_reason: "content_filter"` and no content.
 * - `malformed_json`: HTTP 200 whose message content is not the JSON the prompt asked for.
 * - `delay`: answers normally after `delayMs` (any mode may also carry `delayMs`).
 * Without `count` a rule stays until cleared.
 */
export interface OpenAiFaultRule {
  mode: OpenAiFaultMode;
  count?: number;
  delayMs?: number;
  retryAfterSeconds?: number;
  retryAfterMs?: number;
}

export interface RecordedRequest {
  /** Arrival order across the emulator, from 1. */
  seq: number;
  receivedAt: string;
  /** `azure` (`/openai/deployments/{d}/chat/completions`) or `openai` (`/v1/chat/completions`). */
  protocol: 'azure' | 'openai';
  apiVersion: string | undefined;
  /** The fault that answered this request, if any. */
  fault: OpenAiFaultMode | undefined;
  body: Record<string, unknown>;
}

interface Deployment {
  faults: OpenAiFaultRule[];
  requests: RecordedRequest[];
}

const MAX_RECORDED = 500;
export const DEPLOYMENT_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export class OpenAiControls {
  private readonly deployments = new Map<string, Deployment>();
  private seq = 0;

  constructor(initial: readonly string[]) {
    initial.forEach((name) => this.addDeployment(name));
  }

  addDeployment(name: string): void {
    if (!this.deployments.has(name)) this.deployments.set(name, { faults: [], requests: [] });
  }

  has(name: string): boolean {
    return this.deployments.has(name);
  }

  names(): string[] {
    return [...this.deployments.keys()];
  }

  record(name: string, entry: Omit<RecordedRequest, 'seq' | 'receivedAt'>): RecordedRequest {
    const deployment = this.get(name);
    const recorded: RecordedRequest = { seq: ++this.seq, receivedAt: new Date().toISOString(), ...entry };
    deployment.requests.push(recorded);
    if (deployment.requests.length > MAX_RECORDED) deployment.requests.shift();
    return recorded;
  }

  requests(name: string): RecordedRequest[] {
    return this.get(name).requests;
  }

  addFault(name: string, rule: OpenAiFaultRule): void {
    this.get(name).faults.push({ ...rule });
  }

  /** Forgets the faults and the recorded requests of one deployment. */
  reset(name: string): void {
    const deployment = this.get(name);
    deployment.faults = [];
    deployment.requests = [];
  }

  clearFaults(name: string): void {
    this.get(name).faults = [];
  }

  /** Consumes one use of the deployment's first fault rule. */
  takeFault(name: string): OpenAiFaultRule | undefined {
    const faults = this.get(name).faults;
    const rule = faults[0];
    if (!rule) return undefined;
    if (rule.count !== undefined) {
      rule.count -= 1;
      if (rule.count <= 0) faults.shift();
    }
    return { ...rule };
  }

  private get(name: string): Deployment {
    const deployment = this.deployments.get(name);
    if (!deployment) throw new Error(`no deployment ${name}`);
    return deployment;
  }
}

/** Validates a fault rule sent over HTTP; returns an error message when it is not acceptable. */
export function parseOpenAiFaultRule(input: Record<string, unknown>): OpenAiFaultRule | string {
  const mode = input.mode;
  if (!(OPENAI_FAULT_MODES as readonly unknown[]).includes(mode)) return `mode must be one of ${OPENAI_FAULT_MODES.join(', ')}`;
  const rule: OpenAiFaultRule = { mode: mode as OpenAiFaultMode };
  const whole = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;
  for (const key of ['count', 'delayMs', 'retryAfterSeconds', 'retryAfterMs'] as const) {
    const value = input[key];
    if (value === undefined) continue;
    if (!whole(value) || (key === 'count' && value < 1)) return `${key} must be a ${key === 'count' ? 'positive' : 'non-negative'} integer`;
    rule[key] = value;
  }
  if (rule.mode === 'delay' && rule.delayMs === undefined) return 'mode delay needs delayMs';
  return rule;
}
