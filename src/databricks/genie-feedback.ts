/**
 * Genie's feedback call as the asker: `POST /api/2.0/genie/spaces/{space}/conversations/{cid}/
 * messages/{mid}/feedback` with `{rating, comment?}` — rating POSITIVE, NEGATIVE or NONE; `comment`
 * optional, "<= 5000 characters" (docs.databricks.com/api/genie/v1/genie-send-message-feedback).
 * A longer or blank comment is refused here with INPUT.* before anything is sent.
 */
import { AppError } from '../errors';
import { geniePost, type GenieCallOptions } from './genie-requests';

export const GENIE_FEEDBACK_COMMENT_MAX = 5000;

export type FeedbackRating = 'POSITIVE' | 'NEGATIVE' | 'NONE';

export interface GenieFeedback {
  send(conversationId: string, messageId: string, rating: FeedbackRating, comment?: string): Promise<void>;
}

/** The comment as Genie will store it, or an INPUT error saying why it cannot be sent. */
export function checkFeedbackComment(comment: string | undefined, max = GENIE_FEEDBACK_COMMENT_MAX): string | undefined {
  if (comment === undefined) return undefined;
  const trimmed = comment.trim();
  if (trimmed === '') throw new AppError('INPUT.INVALID', 'The feedback comment is empty.');
  if (trimmed.length > max) throw new AppError('INPUT.TOO_LARGE', `The feedback comment has ${trimmed.length} characters; at most ${max} are accepted.`, { details: { length: trimmed.length, max } });
  return trimmed;
}

export function createGenieFeedback(options: GenieCallOptions & { spaceId: string }): GenieFeedback {
  return {
    async send(conversationId, messageId, rating, comment) {
      const checked = checkFeedbackComment(comment);
      const path = `/api/2.0/genie/spaces/${encodeURIComponent(options.spaceId)}/conversations/${encodeURIComponent(conversationId)}/messages/${encodeURIComponent(messageId)}/feedback`;
      await geniePost(options, path, checked === undefined ? { rating } : { rating, comment: checked });
    },
  };
}
