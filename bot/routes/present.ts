import { randomUUID } from 'node:crypto';
import { type Activity, CardFactory, MessageFactory } from 'botbuilder';
import type { TurnResult } from '../../src/agents/ports';
import { type RequestContext, userKeyOf } from '../../src/context/request-context';
import type { GenieAnswer } from '../../src/databricks/types';
import { type AdaptiveCard, renderApprovalCard, renderMemoriesCard, renderPrivateResultCard, renderResultCard, type ResultRef } from '../present/render';
import type { ResultCache } from '../turns/result-cache';

export interface PresentView {
  ctx: RequestContext;
  /** The asker's Teams user id (`29:…`), for user-specific views. */
  askerMri: string;
  rowCap: number;
  results: ResultCache;
}

/** Maps a use-case result to the one activity that answers it. Rows never go to a shared audience. */
export function presentTurnResult(result: TurnResult, view: PresentView): Partial<Activity> {
  const personal = view.ctx.conversation.kind === 'personal';
  switch (result.kind) {
    case 'text':
    case 'help':
      return MessageFactory.text(result.text);
    case 'memories':
      return cardActivity(renderMemoriesCard(result.items));
    case 'write-refused':
      return MessageFactory.text(`I can't run that change: ${result.reason}\n\n\`\`\`sql\n${result.sql}\n\`\`\``);
    case 'approval-requested':
      return cardActivity(
        renderApprovalCard({
          approval: result.approval,
          viewer: personal ? 'actor' : 'readonly',
          refreshUserIds: personal ? [] : [view.askerMri],
        }),
      );
    case 'genie':
      return cardActivity(genieCard(result.answer, view, personal));
  }
}

function genieCard(answer: GenieAnswer, view: PresentView, personal: boolean): AdaptiveCard {
  const ref = resultRefOf(answer, view.ctx);
  view.results.put(ref.resultId, userKeyOf(view.ctx.user), answer);
  if (personal) return renderResultCard({ answer, ref, audience: 'personal', askerName: view.ctx.user.displayName, refreshUserIds: [], rowCap: view.rowCap });
  return renderPrivateResultCard({ ref, askerName: view.ctx.user.displayName, refreshUserIds: [view.askerMri] });
}

function resultRefOf(answer: GenieAnswer, ctx: RequestContext): ResultRef {
  return {
    resultId: randomUUID(),
    askerOid: ctx.user.objectId,
    askerName: ctx.user.displayName,
    conversationId: answer.conversationId,
    messageId: answer.messageId,
    attachmentId: answer.query?.attachmentId ?? '',
    spaceId: answer.spaceId,
  };
}

export function cardActivity(card: AdaptiveCard): Partial<Activity> {
  return { type: 'message', attachments: [CardFactory.adaptiveCard(card)] };
}
