/**
 * Issue 18: the thread lease, the activity's dedupe marker and the turn's commit in the thread's
 * partition (src/persistence/checkpointer/thread-turns.ts, head-turn.ts). Each patch removes one
 * protection; the named test must then fail.
 */
import type { Mutation } from './types';

const TURNS = 'src/persistence/checkpointer/thread-turns.ts';
const TEST = 'tests/integration/persistence/thread-turns.test.ts';

export const TURN_MUTATIONS: readonly Mutation[] = [
  {
    case: 'turn: activity marker',
    protection: 'the claim batch creates the activity marker, so a redelivered activity runs once (any instance)',
    patches: [{ file: TURNS, search: '      if (activityKey !== undefined) ops.push(', replace: '      if (activityKey === "never") ops.push(' }],
    test: { file: TEST, name: 'claim one activity at the same time' },
    tier: 'integration',
  },
  {
    case: 'turn: thread lease',
    protection: 'the claim batch creates the lease item (create-only), so two instances never run one thread at once',
    patches: [{ file: TURNS, search: '          : { operationType: BulkOperationType.Create, resourceBody: { ...lease } },', replace: '          : { operationType: BulkOperationType.Upsert, resourceBody: { ...lease } },' }],
    test: { file: TEST, name: 'claim one thread for different activities' },
    tier: 'integration',
  },
  {
    case: 'turn: lease If-Match on commit',
    protection: 'the commit deletes the lease with If-Match on its ETag, so a run whose lease was taken over saves nothing',
    patches: [{ file: TURNS, search: "({ operationType: BulkOperationType.Delete, id: LEASE_ITEM_ID, ifMatch: etag }) as OperationInput", replace: "({ operationType: BulkOperationType.Upsert, resourceBody: { id: 'l.released', etag } }) as OperationInput" }],
    test: { file: TEST, name: 'another run took the thread over' },
    tier: 'integration',
  },
  {
    case: 'turn: head If-Match on commit',
    protection: 'the commit replaces the head with If-Match on the ETag the claim read',
    patches: [{ file: 'src/persistence/checkpointer/head-turn.ts', search: '    : { operationType: BulkOperationType.Replace, id: turn.head.id, ifMatch: turn.base.etag, resourceBody };', replace: '    : { operationType: BulkOperationType.Upsert, resourceBody };' }],
    test: { file: TEST, name: 'head was changed behind a turn' },
    tier: 'integration',
  },
  {
    case: 'turn: bot honours the claim',
    protection: 'a message whose activity was claimed before runs nothing (bot/routes/messages.ts)',
    patches: [{ file: 'bot/routes/messages.ts', search: "  if (!claim) return ctx.logger.info('redelivered activity ignored');", replace: "  if (!claim) ctx.logger.info('redelivered activity ignored');" }],
    test: { file: 'tests/unit/bot/messages.test.ts', name: 'redelivers the same activity id' },
    tier: 'unit',
    quick: true,
  },
  {
    case: 'turn: claim given back without a session',
    protection: 'a message claimed beside the session check gives its lease back when the writer must sign in first (bot/routes/messages.ts)',
    patches: [{ file: 'bot/routes/messages.ts', search: '  if (!signedIn) {\n    await deps.agents.releaseClaim(ctx, claim);', replace: '  if (!signedIn) {' }],
    test: { file: 'tests/unit/bot/message-claim.test.ts', name: 'no session' },
    tier: 'unit',
    quick: true,
  },
  {
    case: 'turn: memories read under the lease',
    protection: "a turn's memories are read once its thread lease is held, so it sees what the turn ahead remembered (src/agents/agent-service.ts)",
    patches: [{
      file: 'src/agents/agent-service.ts',
      search: '      return leased(ctx, threadId, async () => {\n        // Read once the lease is held (a turn before this one in the thread may have just remembered something).\n        const memories = listMemoryItems(deps.store, ctx.user);',
      replace: '      const memories = listMemoryItems(deps.store, ctx.user);\n      return leased(ctx, threadId, async () => {',
    }],
    test: { file: 'tests/unit/agents/questions-and-memory.test.ts', name: 'arrive together on one thread' },
    tier: 'unit',
    quick: true,
  },
  {
    case: 'turn: deferred audit fails the turn',
    protection: 'an audit write run beside the commit is still waited for, and its failure fails the turn (src/agents/deps.ts)',
    patches: [{ file: 'src/agents/deps.ts', search: '  await Promise.all(audits);\n  return result;', replace: '  return result;' }],
    test: { file: 'tests/unit/agents/questions-and-memory.test.ts', name: 'audit write of a Genie answer fails' },
    tier: 'unit',
    quick: true,
  },
];
