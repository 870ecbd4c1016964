import type { TurnContext } from 'botbuilder';
import { toAppError } from '../../src/errors';
import type { BotDeps } from '../turns/deps';
import { type CardActionResponse, badRequestResponse, messageResponse } from '../turns/invoke';
import { requestContextOf } from '../turns/turn-context';
import { type CardData, idField } from './card-data';
import { spaceChosenText } from './space-commands';

/**
 * Space and history buttons. The card supplies only an id; the clicker comes from the validated
 * activity, and every check (the space is offered and visible to them, the conversation is among
 * their own in this conversation's space) is made again here, as them.
 */
async function answered(turn: TurnContext, deps: BotDeps, run: () => Promise<string>): Promise<CardActionResponse> {
  try {
    return messageResponse(await run());
  } catch (error) {
    const appError = toAppError(error);
    requestContextOf(turn, deps.logger).logger.info({ code: appError.code }, 'space or history action refused');
    return messageResponse(appError.userMessage);
  }
}

export async function onSpacePick(turn: TurnContext, data: CardData, deps: BotDeps): Promise<CardActionResponse> {
  const spaceId = idField(data, 'spaceId');
  if (!spaceId.ok) return badRequestResponse(spaceId.message);
  const ctx = requestContextOf(turn, deps.logger);
  return answered(turn, deps, async () => {
    const picked = await deps.spaces.pick(ctx, spaceId.value);
    if (picked.kind !== 'picked') return 'That space could not be picked.';
    const text = spaceChosenText(ctx, picked.space.title);
    if (ctx.conversation.kind !== 'personal') await turn.sendActivity(text);
    return text;
  });
}

export async function onHistoryResume(turn: TurnContext, data: CardData, deps: BotDeps): Promise<CardActionResponse> {
  const conversationId = idField(data, 'conversationId');
  if (!conversationId.ok) return badRequestResponse(conversationId.message);
  const ctx = requestContextOf(turn, deps.logger);
  return answered(turn, deps, async () => {
    const resumed = await deps.spaces.resume(ctx, conversationId.value);
    return `Resumed "${resumed.title}". Your next questions here continue that conversation.`;
  });
}

export async function onHistoryDelete(turn: TurnContext, data: CardData, deps: BotDeps): Promise<CardActionResponse> {
  const conversationId = idField(data, 'conversationId');
  if (!conversationId.ok) return badRequestResponse(conversationId.message);
  const ctx = requestContextOf(turn, deps.logger);
  return answered(turn, deps, async () => {
    const deleted = await deps.spaces.remove(ctx, conversationId.value);
    return `Deleted "${deleted.title}".`;
  });
}
