/**
 * The turn on the trace. `turn` spans one inbound activity (the HTTP request Teams waits for);
 * `turn.background` spans the work it started after answering (a Genie question, a decision), as a
 * child on the same trace, so the trace id — the turn's correlation id in the logs — ties them.
 */
import type { Attributes } from '@opentelemetry/api';
import { ATTR } from './attributes';
import { record } from './instruments';
import { traced, withOutcome } from './trace';

function timed<T>(name: string, attributes: Attributes, work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  return withOutcome(() => traced(name, attributes, work), (outcome) => record.turnDuration(performance.now() - started, { ...attributes, [ATTR.outcome]: outcome }));
}

/**
 * Activity types kept as they are; any other value is recorded as `other`. The type comes from the
 * inbound activity before the trust boundary has looked at it, and metric attributes do not pass
 * the span processor's redaction, so only known values may become a metric dimension.
 */
const ACTIVITY_TYPES = new Set(['message', 'invoke', 'conversationUpdate', 'messageReaction', 'messageUpdate', 'messageDelete', 'installationUpdate', 'event', 'typing']);

/** One inbound activity: its type and conversation kind (`personal`, `groupChat`, `channel`). */
export function traceTurn<T>(activityType: string, conversationKind: string, work: () => Promise<T>): Promise<T> {
  return timed('turn', {
    [ATTR.turnPhase]: 'inbound',
    [ATTR.activityType]: ACTIVITY_TYPES.has(activityType) ? activityType : 'other',
    [ATTR.conversationKind]: conversationKind,
  }, work);
}

/** Work a turn started in the background (`agent-turn`, `command`, `decision`…). */
export function traceBackground<T>(work: string, run: () => Promise<T>): Promise<T> {
  return timed('turn.background', { [ATTR.turnPhase]: 'background', [ATTR.work]: work }, run);
}
