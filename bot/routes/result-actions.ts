import type { TurnContext } from 'botbuilder';
import type { UserDatabricks } from '../../src/agents/ports';
import { type RequestContext, userKeyOf } from '../../src/context/request-context';
import type { GenieAnswer } from '../../src/databricks/types';
import { type ResultRef, renderPrivateResultCard, renderResultCard } from '../present/render';
import type { BotDeps } from '../turns/deps';
import { type CardActionResponse, badRequestResponse, cardResponse, messageResponse } from '../turns/invoke';
import { requestContextOf, userDatabricksFactory } from '../turns/turn-context';
import { askToSignIn } from '../sign-in/auth';
import { startAgentTurn } from './background-turn';
import { type CardData, resultRefOf, textField } from './card-data';
import { offerCsv } from './file-export';
import { cardActivity } from './present';
import { resultSpaceOf } from './result-space';

/**
 * Result cards in chats are user-specific views. `refresh.userIds` only decides who refreshes
 * automatically, so every handler here compares the clicker (`from.aadObjectId`) with the asker.
 */
export async function onResultRefresh(turn: TurnContext, data: CardData, deps: BotDeps): Promise<CardActionResponse> {
  const ref = resultRefOf(data);
  if (!ref.ok) return badRequestResponse(ref.message);
  const ctx = requestContextOf(turn, deps.logger);
  if (!isAsker(ctx, ref.value)) return cardResponse(renderPrivateResultCard({ ref: ref.value, askerName: ref.value.askerName, refreshUserIds: [] }));
  const space = await resultSpaceOf(turn, ctx, ref.value, deps);
  if (!space.ok) return space.response;
  const answer = await answerOf(ctx, ref.value, deps, space.spaceId);
  return cardResponse(renderResultCard({ answer, ref: ref.value, audience: 'private', askerName: ctx.user.displayName, refreshUserIds: [turn.activity.from.id], rowCap: deps.config.results.rowCap }));
}

export async function onResultShare(turn: TurnContext, data: CardData, deps: BotDeps): Promise<CardActionResponse> {
  const ref = resultRefOf(data);
  if (!ref.ok) return badRequestResponse(ref.message);
  const ctx = requestContextOf(turn, deps.logger);
  if (!isAsker(ctx, ref.value)) return messageResponse(`Only ${ref.value.askerName} can share this result.`);
  const space = await resultSpaceOf(turn, ctx, ref.value, deps);
  if (!space.ok) return space.response;
  const answer = await answerOf(ctx, ref.value, deps, space.spaceId);
  const card = renderResultCard({ answer, ref: ref.value, audience: 'shared', askerName: ctx.user.displayName, refreshUserIds: [], rowCap: deps.config.results.rowCap });
  if (turn.activity.replyToId) await turn.updateActivity({ ...cardActivity(card), id: turn.activity.replyToId });
  ctx.logger.info({ resultId: ref.value.resultId }, 'result shared with the chat');
  return cardResponse(card);
}

export async function onResultExport(turn: TurnContext, data: CardData, deps: BotDeps): Promise<CardActionResponse> {
  const ref = resultRefOf(data);
  if (!ref.ok) return badRequestResponse(ref.message);
  if (ref.value.attachmentId === '') return badRequestResponse('This result has no table to export.');
  const ctx = requestContextOf(turn, deps.logger);
  if (!isAsker(ctx, ref.value)) return messageResponse(`Only ${ref.value.askerName} can export this result.`);
  const space = await resultSpaceOf(turn, ctx, ref.value, deps);
  if (!space.ok) return space.response;
  offerCsv(turn, ctx, ref.value, deps, space.spaceId);
  return messageResponse(ctx.conversation.kind === 'personal' ? 'Preparing the CSV…' : 'I am sending the CSV to our 1:1 chat.');
}

export async function onFollowUp(turn: TurnContext, data: CardData, deps: BotDeps): Promise<CardActionResponse> {
  const question = textField(data, 'question', 1000);
  if (!question.ok) return badRequestResponse(question.message);
  const ctx = requestContextOf(turn, deps.logger);
  if (!(await deps.identity.hasSession(ctx.user))) {
    await askToSignIn(turn, ctx, deps, question.value);
    return messageResponse('Please sign in first.');
  }
  startAgentTurn(turn, ctx, deps, question.value);
  return messageResponse(`Asking: ${question.value}`);
}

export function isAsker(ctx: RequestContext, ref: ResultRef): boolean {
  return ctx.user.objectId === ref.askerOid;
}

/**
 * The answer from this instance's cache, else the asker's own Genie message read again with their
 * token (text, SQL, follow-ups and rows; Genie serves a message only to its asker), then cached here.
 * Callers have already checked that the clicker is the asker and re-checked `spaceId` as them.
 */
export async function answerOf(ctx: RequestContext, ref: ResultRef, deps: BotDeps, spaceId: string): Promise<GenieAnswer> {
  const userKey = userKeyOf(ctx.user);
  const cached = deps.results.get(ref.resultId, userKey);
  if (cached) return cached;
  const answer = await withDatabricks(ctx, deps, (db) => db.genie(spaceId).getMessage(ref.conversationId, ref.messageId));
  deps.results.put(ref.resultId, userKey, answer);
  return answer;
}

export async function withDatabricks<T>(ctx: RequestContext, deps: BotDeps, use: (db: UserDatabricks) => Promise<T>): Promise<T> {
  const db = userDatabricksFactory(deps.identity, deps.buildDatabricks)(ctx.user);
  try {
    return await use(db);
  } finally {
    await db.close();
  }
}
