import type { TurnContext } from 'botbuilder';
import { renderPrivateResultCard, renderResultCard } from '../present/render';
import type { BotDeps } from '../turns/deps';
import { type CardActionResponse, badRequestResponse, cardResponse } from '../turns/invoke';
import { requestContextOf } from '../turns/turn-context';
import { type CardData, resultRefOf } from './card-data';
import { answerOf, isAsker, withDatabricks } from './result-actions';
import { resultSpaceOf } from './result-space';

/** Highest page a card may ask for (Genie returns at most 5,000 rows inline; 5,000 / 1 row per page). */
const MAX_PAGE = 5000;

/**
 * Previous / Next on a result card. The card data holds only the result ids and a page number; the
 * clicker comes from the validated activity, and only the asker gets rows: the page is read again
 * from Genie with the asker's own token (an expired result is executed again once). Anyone else
 * gets the no-rows card.
 */
export async function onResultPage(turn: TurnContext, data: CardData, deps: BotDeps): Promise<CardActionResponse> {
  const ref = resultRefOf(data);
  if (!ref.ok) return badRequestResponse(ref.message);
  const page = data.page;
  if (typeof page !== 'number' || !Number.isInteger(page) || page < 0 || page > MAX_PAGE) return badRequestResponse('The card action has no valid "page".');
  if (ref.value.attachmentId === '') return badRequestResponse('This result has no table to page through.');
  const ctx = requestContextOf(turn, deps.logger);
  if (!isAsker(ctx, ref.value)) return cardResponse(renderPrivateResultCard({ ref: ref.value, askerName: ref.value.askerName, refreshUserIds: [] }));
  const space = await resultSpaceOf(turn, ctx, ref.value, deps);
  if (!space.ok) return space.response;
  const rowCap = deps.config.results.rowCap;
  const answer = await answerOf(ctx, ref.value, deps, space.spaceId);
  const read = await withDatabricks(ctx, deps, (db) => db.genieResults(space.spaceId).readPage(ref.value, page, rowCap));
  const table = { columns: read.columns, rows: read.rows, totalRowCount: read.totalRowCount, truncated: read.rows.length < read.totalRowCount };
  const audience = ctx.conversation.kind === 'personal' ? 'personal' : 'private';
  const refreshUserIds = audience === 'private' ? [turn.activity.from.id] : [];
  ctx.logger.info({ resultId: ref.value.resultId, page, rows: read.rows.length }, 'result page read again as the asker');
  return cardResponse(renderResultCard({ answer: { ...answer, table }, ref: ref.value, audience, askerName: ctx.user.displayName, refreshUserIds, rowCap, page, inlineRowCount: read.inlineRowCount }));
}
