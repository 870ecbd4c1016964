import type { TurnContext } from 'botbuilder';
import type { RequestContext } from '../../src/context/request-context';
import { toAppError } from '../../src/errors';
import type { ResultRef } from '../present/render';
import type { BotDeps } from '../turns/deps';
import { type CardActionResponse, messageResponse } from '../turns/invoke';

export type CheckedSpace = { ok: true; spaceId: string } | { ok: false; response: CardActionResponse };

/**
 * The Genie space a result-card action reads, after a space switch as before it. The card only names
 * it; it is re-checked here as the clicker (offered by the bot, visible to them with their own token),
 * never trusted. A refusal is a plain message: no rows, no error card.
 */
export async function resultSpaceOf(turn: TurnContext, ctx: RequestContext, ref: ResultRef, deps: BotDeps): Promise<CheckedSpace> {
  try {
    return { ok: true, spaceId: await deps.spaces.resultSpaceId(ctx, ref.spaceId) };
  } catch (error) {
    const appError = toAppError(error);
    if (appError.code.startsWith('AUTH.')) throw appError;
    ctx.logger.info({ code: appError.code, spaceId: ref.spaceId, verb: (turn.activity.value as { action?: { verb?: unknown } } | undefined)?.action?.verb }, 'result action refused: space not usable');
    return { ok: false, response: messageResponse(appError.userMessage) };
  }
}
