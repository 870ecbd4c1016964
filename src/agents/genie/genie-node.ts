import type { LangGraphRunnableConfig } from '@langchain/langgraph';
import type { GenieAnswer, GenieProgress, TableResult } from '../../databricks/types';
import { toAppError } from '../../errors';
import { recordAudit } from '../audit';
import { auditIn, getThreadId, getTurnDeps, type AgentGraphShared } from '../deps';
import type { AgentStateUpdate, AgentStateValue } from '../state';

const PROGRESS_TEXT: Record<string, string> = {
  EXECUTING_QUERY: 'Running the query…',
  PENDING_WAREHOUSE: 'Waiting for the SQL warehouse…',
  ASKING_AI: 'Genie is writing the query…',
};

/** Keeps at most `rowCap` rows in state; the full result stays in Genie (fetch by ids for export). */
export function capAnswer(answer: GenieAnswer, rowCap: number): GenieAnswer {
  const cap = (table: TableResult | undefined): TableResult | undefined =>
    !table || table.rows.length <= rowCap ? table : { ...table, rows: table.rows.slice(0, rowCap), truncated: true };
  const more = answer.moreQueries?.map((m) => ({ ...m, table: cap(m.table) }));
  return { ...answer, table: cap(answer.table), ...(more ? { moreQueries: more } : {}) };
}

/**
 * The Genie conversation a question continues: the thread's, unless it lives in another space than
 * the one this turn asks (the conversation's space was switched), which starts a new one.
 */
export function continuedConversation(state: Pick<AgentStateValue, 'genieConversationId' | 'genieSpaceId'>, spaceId: string | undefined): string | undefined {
  if (!state.genieConversationId) return undefined;
  if (state.genieSpaceId && spaceId && state.genieSpaceId.toLowerCase() !== spaceId.toLowerCase()) return undefined;
  return state.genieConversationId;
}

export function createGenieNode(shared: AgentGraphShared) {
  return async function genie_agent(state: AgentStateValue, config: LangGraphRunnableConfig): Promise<AgentStateUpdate> {
    const turn = getTurnDeps(config);
    const { ctx, databricks, hooks } = turn;
    const question = state.intent?.kind === 'question' ? state.intent.question : (state.input ?? '');
    const threadId = getThreadId(config);
    hooks?.onProgress?.('Asking Genie…');
    let lastStatus = '';
    const onProgress = (p: GenieProgress): void => {
      const text = PROGRESS_TEXT[p.status];
      if (text && p.status !== lastStatus) hooks?.onProgress?.(text);
      lastStatus = p.status;
    };
    const client = databricks(ctx.user);
    try {
      const genie = client.genie();
      const conversationId = continuedConversation(state, genie.spaceId);
      const answer = await genie.ask(question, conversationId ? { conversationId, onProgress } : { onProgress });
      await auditIn(turn, recordAudit(shared.audit, ctx, 'genie.question', {
        outcome: 'ok',
        threadId,
        sql: answer.query?.sql,
        genie: { conversationId: answer.conversationId, messageId: answer.messageId },
        statementId: answer.query?.statementId,
        detail: question.slice(0, 500),
      }, shared.now()));
      return { genieConversationId: answer.conversationId, genieSpaceId: answer.spaceId, result: { kind: 'genie', answer: capAnswer(answer, shared.settings.results.rowCap) } };
    } catch (error) {
      const appError = toAppError(error);
      await recordAudit(shared.audit, ctx, 'genie.question', { outcome: 'failed', threadId, detail: `${appError.code}: ${question.slice(0, 500)}` }, shared.now());
      throw appError;
    } finally {
      await client.close();
    }
  };
}
