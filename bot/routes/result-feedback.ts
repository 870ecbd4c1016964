import type { TurnContext } from 'botbuilder';
import { FEEDBACK_COMMENT_CARD_MAX } from '../present/result-extras';
import type { BotDeps } from '../turns/deps';
import { type CardActionResponse, badRequestResponse, messageResponse } from '../turns/invoke';
import { requestContextOf } from '../turns/turn-context';
import { type CardData, resultRefOf } from './card-data';
import { isAsker, withDatabricks } from './result-actions';
import { resultSpaceOf } from './result-space';

/**
 * 👍 / 👎 on a result card, with the comment typed into the 👎 field (Teams merges the card's inputs
 * into the action data). Only the asker rates, with their own token (Genie's feedback call). A blank
 * comment sends the rating alone; a comment over the field's limit is refused with its length and
 * nothing is sent, so the user can shorten it and send again.
 */
export async function onResultFeedback(turn: TurnContext, data: CardData, deps: BotDeps): Promise<CardActionResponse> {
  const ref = resultRefOf(data);
  if (!ref.ok) return badRequestResponse(ref.message);
  const rating = data.rating;
  if (rating !== 'POSITIVE' && rating !== 'NEGATIVE') return badRequestResponse('The feedback has no valid rating.');
  if (data.comment !== undefined && typeof data.comment !== 'string') return badRequestResponse('The feedback comment is not text.');
  const comment = typeof data.comment === 'string' ? data.comment.trim() : '';
  if (comment.length > FEEDBACK_COMMENT_CARD_MAX) {
    return messageResponse(`Your comment has ${comment.length} characters; please shorten it to at most ${FEEDBACK_COMMENT_CARD_MAX} and send it again. Nothing was sent yet.`);
  }
  const ctx = requestContextOf(turn, deps.logger);
  if (!isAsker(ctx, ref.value)) return messageResponse(`Only ${ref.value.askerName} can rate this answer.`);
  const space = await resultSpaceOf(turn, ctx, ref.value, deps);
  if (!space.ok) return space.response;
  await withDatabricks(ctx, deps, (db) =>
    comment === '' ? db.genieFeedback(space.spaceId).send(ref.value.conversationId, ref.value.messageId, rating) : db.genieFeedback(space.spaceId).send(ref.value.conversationId, ref.value.messageId, rating, comment),
  );
  if (rating === 'NEGATIVE' && comment === '') return messageResponse('Thanks, your 👎 was sent to Genie (without a comment).');
  return messageResponse(comment === '' ? 'Thanks for the feedback.' : `Thanks, your ${rating === 'NEGATIVE' ? '👎' : '👍'} and comment were sent to Genie.`);
}
