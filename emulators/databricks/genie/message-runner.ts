/**
 * Drives one message through SUBMITTED → ASKING_AI → EXECUTING_QUERY → COMPLETED (or FAILED).
 * The SQL always runs as the asking user through `engine.runAs(…, 'genie')`, so the engine's grants,
 * row filters and masks decide what the answer contains.
 */
import { EngineError, type WorkspaceEngine, type WorkspaceUser } from '../engine-types';
import type { ControlState, InjectedMessageFailure } from './controls';
import { interpret } from './nl-to-sql';
import { schemaNamesFrom, type SchemaNames } from './sql-builder';
import type { GenieSpaceDefinition } from './spaces';
import { newId, type ConversationRecord, type GenieState, type MessageRecord } from './state';

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
  const answer = space.interpret
    ? space.interpret(message.content)
    : interpret(message.content, deps.state.previousPlan(conversation, message.messageId), space, schemaNames(deps.engine));
  await deps.sleep(latency.askingAiMs);
  if (injected) return fail(deps, message, injected);

  message.suggestions = { attachmentId: newId(), questions: answer.suggestions };
  if (answer.kind === 'text') {
    message.text = { attachmentId: newId(), id: newId(), content: answer.text };
    deps.state.setStatus(message, 'COMPLETED');
    deps.controls.count.messagesCompleted += 1;
    return;
  }
  message.query = {
    attachmentId: newId(),
    queryId: newId(),
    sql: answer.sql,
    title: answer.title,
    description: answer.description,
    plan: answer.plan,
    result: undefined,
  };
  deps.state.setStatus(message, 'EXECUTING_QUERY');
  deps.controls.count.queriesRun += 1;
  const [outcome] = await Promise.all([
    deps.engine.runAs(user, answer.sql, [], 'genie').then(
      (result) => ({ ok: true as const, result }),
      (error: unknown) => ({ ok: false as const, error }),
    ),
    deps.sleep(latency.executingQueryMs),
  ]);
  if (!outcome.ok) return fail(deps, message, { error: engineFailureText(outcome.error), type: 'SQL_EXECUTION_EXCEPTION' });
  const rows = outcome.result.rows;
  message.query.result = {
    statementId: outcome.result.statementId,
    columns: outcome.result.columns,
    rows: rows.slice(0, deps.rowLimit),
    totalRowCount: rows.length,
    truncated: rows.length > deps.rowLimit,
  };
  deps.state.setStatus(message, 'COMPLETED');
  deps.controls.count.messagesCompleted += 1;
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

/** Re-runs an attachment's SQL as the user (`execute-query`), replacing the stored result. */
export async function rerunQuery(deps: RunnerDeps, message: MessageRecord, user: WorkspaceUser): Promise<void> {
  const query = message.query;
  if (!query) return;
  deps.controls.count.queriesRun += 1;
  const result = await deps.engine.runAs(user, query.sql, [], 'genie');
  query.result = {
    statementId: result.statementId,
    columns: result.columns,
    rows: result.rows.slice(0, deps.rowLimit),
    totalRowCount: result.rows.length,
    truncated: result.rows.length > deps.rowLimit,
  };
}
