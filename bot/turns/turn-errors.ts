import { randomUUID } from 'node:crypto';
import { CardFactory } from 'botbuilder';
import { toAppError } from '../../src/errors';
import type { Logger } from '../../src/logging';
import { errorFamilyOf, renderErrorCard, type ErrorFamily } from '../present/render';
import type { HostTurn } from './host-turn';
import { hasInvokeResponse, messageResponse, sendInvokeResponse } from './invoke';
import { PROGRESS_ACTIVITY_KEY, PROGRESS_STREAM_KEY } from './progress';
import type { StreamSender } from './stream-sender';
import { CORRELATION_ID_KEY } from './turn-context';

/**
 * The only place that tells a user something went wrong: an AppError becomes the card of its
 * family, anything else the unexpected card; both carry the correlation id that the logs carry.
 */
export function createTurnErrorHandler(logger: Logger): (turn: HostTurn, error: unknown) => Promise<void> {
  return async (turn, error) => {
    const appError = toAppError(error);
    const stored = turn.turnState.get(CORRELATION_ID_KEY) as unknown;
    const correlationId = typeof stored === 'string' ? stored : randomUUID();
    const unexpected = appError.code === 'INTERNAL.UNEXPECTED';
    logger[unexpected ? 'error' : 'warn'](
      { err: error, code: appError.code, correlationId, activityType: turn.activity.type, invoke: turn.activity.name },
      'turn failed',
    );
    try {
      if (turn.activity.type === 'invoke') return await answerFailedInvoke(turn, appError, correlationId);
      await showErrorCard(turn, appError, correlationId);
    } catch (sendError) {
      logger.error({ err: sendError, correlationId }, 'could not tell the user about the failure');
    }
  };
}

/**
 * Sign-in failures the 412 alone would hide: Teams just shows the sign-in card again, so the user
 * also gets a card saying why (consent needed, sign in again, or Microsoft sign-in not answering).
 * Each exchange id is processed once (the dedupe claim), so the card is shown once per exchange.
 */
const SIGN_IN_CARD_FAMILIES: ReadonlySet<ErrorFamily> = new Set<ErrorFamily>(['admin-consent', 'sign-in', 'identity-unavailable']);

async function answerFailedInvoke(turn: HostTurn, error: ReturnType<typeof toAppError>, correlationId: string): Promise<void> {
  const name = turn.activity.name ?? '';
  if (!hasInvokeResponse(turn)) {
    if (name === 'adaptiveCard/action') await sendInvokeResponse(turn, 200, messageResponse(`${error.userMessage} (reference ${correlationId})`));
    else if (name.startsWith('signin/')) await sendInvokeResponse(turn, 412, { failureDetail: error.userMessage });
    else await sendInvokeResponse(turn, error.code.startsWith('INPUT.') ? 400 : 500, { code: error.code, message: error.userMessage, correlationId });
  }
  if (name.startsWith('signin/') && (SIGN_IN_CARD_FAMILIES.has(errorFamilyOf(error.code)) || error.code === 'AUTH.USER_MISMATCH')) {
    await showErrorCard(turn, error, correlationId);
  }
}

async function showErrorCard(turn: HostTurn, error: ReturnType<typeof toAppError>, correlationId: string): Promise<void> {
  const attachments = [CardFactory.adaptiveCard(renderErrorCard(error, correlationId))];
  const progressId = turn.turnState.get(PROGRESS_ACTIVITY_KEY) as unknown;
  const stream = turn.turnState.get(PROGRESS_STREAM_KEY) as StreamSender | undefined;
  if (stream) await stream.finish({ type: 'message', attachments });
  else if (typeof progressId === 'string') await turn.updateActivity({ type: 'message', id: progressId, attachments });
  else await turn.sendActivity({ type: 'message', attachments });
}
