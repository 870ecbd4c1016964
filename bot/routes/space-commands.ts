import { type Activity, MessageFactory } from 'botbuilder';
import type { RequestContext } from '../../src/context/request-context';
import { renderHistoryCard, renderSpacesCard } from '../present/space-cards';
import type { BotDeps } from '../turns/deps';
import { cardActivity } from './present';

/** `space`, `space <name>` and `history`, answered as the user (their token; their own conversations only). */
export async function runSpaceCommand(command: { kind: 'space'; name: string | undefined } | { kind: 'history' }, ctx: RequestContext, deps: BotDeps): Promise<Partial<Activity>> {
  if (command.kind === 'history') return cardActivity(renderHistoryCard(await deps.spaces.history(ctx)));
  if (command.name === undefined) {
    const list = await deps.spaces.list(ctx);
    return cardActivity(renderSpacesCard({ ...list, conversationKind: ctx.conversation.kind }));
  }
  const picked = await deps.spaces.pick(ctx, command.name);
  if (picked.kind === 'ambiguous') return MessageFactory.text(`"${command.name}" matches ${picked.titles.join(', ')}. Type more of the name.`);
  return MessageFactory.text(spaceChosenText(ctx, picked.space.title));
}

export function spaceChosenText(ctx: RequestContext, title: string): string {
  const who = ctx.conversation.kind === 'personal' ? 'This chat' : `${ctx.user.displayName} switched this conversation; it`;
  return `${who} now asks the Genie space **${title}**. New questions start a new Genie conversation there.`;
}
