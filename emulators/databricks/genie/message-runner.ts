/**
 * Drives one message through SUBMITTED → ASKING_AI → EXECUTING_QUERY → COMPLETED (or FAILED).
 * The SQL always runs as the asking user through `engine.runAs(…, 'genie')`, so the engine's grants,
 * row filters and masks decide what the answer contains.
 */
import { EngineError, type EngineResult, type WorkspaceEngine, type WorkspaceUser } from '../engine-types';
import { interpretRich } from './answer-rules';
import type { ControlState, InjectedMessageFailure } from './controls';
import { schemaNamesFrom, type SchemaNames } from './sql-builder';
import type { GenieSpaceDefinition } from './spaces';
import { newId, queriesOf, type ConversationRecord, type GenieState, type MessageRecord, type StoredQuery, type StoredResult } from './state';

export interface RunnerDeps {
  engine: WorkspaceEngine;
  state: GenieState;
  controls: ControlState;
  rowLimit: number;
  sleep: (ms: number) => Promise<void>;
}

function schemaNames(engine: WorkspaceEngine): SchemaNames {
  try {
    return schemaNamesFrom(engine.tables());
  } catch {
    return schemaNamesFrom([]);
  }
}

function engineFailureText(error: unknown): string {
  if (error instanceof EngineError) {
    const withClass = error.message.includes(`[${error.errorClass}]`) ? error.message : `[${error.errorClass}] ${error.message}`;
    return withClass.includes('SQLSTATE') ? withClass : `${withClass} SQLSTATE: ${error.sqlState}`;
  }
  return error instanceof Error ? error.message : String(error);
}

function fail(deps: RunnerDeps, message: MessageRecord, failure: InjectedMessageFailure): void {
  message.error = failure;
  deps.state.setStatus(message, 'FAILED');
  deps.controls.count.messagesFailed += 1;
}

async function run(
  deps: RunnerDeps,
  space: GenieSpaceDefinition,
  conversation: ConversationRecord,
  message: MessageRecord,
  user: WorkspaceUser,
  injected: InjectedMessageFailure | undefined,
): Promise<void> {
  const latency = deps.controls.latency();
  await deps.sleep(latency.submittedMs);
  deps.state.setStatus(message, 'ASKING_AI');
  const answer = interpretRich(message.content, deps.state.previousPlan(conversation, message.messageId), space, schemaNames(deps.engine));
  await deps.sleep(latency.askingAiMs);
  if (injected) return fail(deps, message, injected);

  message.suggestions = { attachmentId: newId(), questions: answer.suggestions };
  if (answer.text) message.text = { attachmentId: newId(), id: newId(), ...answer.text };
  if (answer.queries.length === 0) {
    deps.state.setStatus(message, 'COMPLETED');
    deps.controls.count.messagesCompleted += 1;
    return;
  }
  const stored: StoredQuery[] = answer.queries.map((q) => ({ attachmentId: newId(), queryId: newId(), sql: q.sql, title: q.title, description: q.description, plan: q.plan, result: undefined }));
  message.query = stored[0];
  message.moreQueries = stored.slice(1);
  deps.state.setStatus(message, 'EXECUTING_QUERY');
  for (const query of stored) {
    deps.controls.count.queriesRun += 1;
    const [outcome] = await Promise.all([
      deps.engine.runAs(user, query.sql, [], 'genie').then(
        (result) => ({ ok: true as const, result }),
        (error: unknown) => ({ ok: false as const, error }),
      ),
      deps.sleep(latency.executingQueryMs),
    ]);
    if (!outcome.ok) return fail(deps, message, { error: engineFailureText(outcome.error), type: 'SQL_EXECUTION_EXCEPTION' });
    query.result = storedResult(outcome.result, deps.rowLimit);
  }
  deps.state.setStatus(message, 'COMPLETED');
  deps.controls.count.messagesCompleted += 1;
}

function storedResult(result: EngineResult, rowLimit: number): StoredResult {
  return {
    statementId: result.statementId,
    columns: result.columns,
    rows: result.rows.slice(0, rowLimit),
    totalRowCount: result.rows.length,
    truncated: result.rows.length > rowLimit,
  };
}

/** Starts the message's pipeline in the background; failures end the message FAILED, never crash. */
export function startMessage(
  deps: RunnerDeps,
  space: GenieSpaceDefinition,
  conversation: ConversationRecord,
  message: MessageRecord,
  user: WorkspaceUser,
): void {
  const injected = deps.controls.takeMessageFailure();
  run(deps, space, conversation, message, user, injected).catch((error: unknown) => {
    fail(deps, message, { error: engineFailureText(error), type: 'INTERNAL_ERROR' });
  });
}

/**
 * `execute-query` on one attachment: runs its SQL again as the user and stores the new result; the
 * message is COMPLETED again once no attachment is expired.
 */
export async function rerunQuery(deps: RunnerDeps, message: MessageRecord, query: StoredQuery, user: WorkspaceUser): Promise<void> {
  deps.controls.count.queriesRun += 1;
  deps.controls.count.executeQueries += 1;
  query.result = storedResult(await deps.engine.runAs(user, query.sql, [], 'genie'), deps.rowLimit);
  query.expired = false;
  if (message.status === 'QUERY_RESULT_EXPIRED' && queriesOf(message).every((q) => !q.expired)) deps.state.setStatus(message, 'COMPLETED');
}
