/**
 * The `space` and `history` cards. Buttons carry only ids (a space id, a conversation id); whoever
 * clicks is checked again on the server as themselves (bot/routes/space-actions.ts).
 */
import type { GenieConversationSummary } from '../../src/databricks/genie-conversations';
import type { GenieSpaceInfo } from '../../src/databricks/genie-spaces';
import { type AdaptiveCard, truncate } from './expand';
import { VERBS } from './verbs';

const CARD = { type: 'AdaptiveCard', $schema: 'http://adaptivecards.io/schemas/adaptive-card.json', version: '1.5' } as const;

const text = (value: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({ type: 'TextBlock', text: value, wrap: true, ...extra });

/** Adaptive Cards' own date function, so each reader sees their locale and time zone. */
export function cardDate(epochMs: number | undefined): string {
  if (epochMs === undefined || !Number.isFinite(epochMs)) return 'date unknown';
  const iso = new Date(epochMs).toISOString().replace(/\.\d{3}Z$/, 'Z');
  return `{{DATE(${iso}, SHORT)}} {{TIME(${iso})}}`;
}

export function renderSpacesCard(view: { currentSpaceId: string; spaces: readonly GenieSpaceInfo[]; conversationKind: string }): AdaptiveCard {
  const scope = view.conversationKind === 'personal' ? 'this chat' : 'everyone in this conversation';
  const rows = view.spaces.map((s) => {
    const current = s.spaceId.toLowerCase() === view.currentSpaceId.toLowerCase();
    return {
      type: 'Container',
      separator: true,
      items: [
        text(`**${truncate(s.title, 120)}**${current ? ' (current)' : ''}`),
        ...(s.description ? [text(truncate(s.description, 400), { isSubtle: true, spacing: 'None' })] : []),
        ...(current ? [] : [{ type: 'ActionSet', actions: [{ type: 'Action.Execute', title: `Use ${truncate(s.title, 40)}`, verb: VERBS.spacePick, data: { spaceId: s.spaceId } }] }]),
      ],
    };
  });
  return {
    ...CARD,
    body: [
      text('Genie spaces', { size: 'Medium', weight: 'Bolder' }),
      text(view.spaces.length === 0 ? 'You cannot see any of the spaces this bot offers.' : `The space you pick is used for ${scope}.`, { isSubtle: true }),
      ...rows,
    ],
  };
}

export function renderHistoryCard(view: { space: GenieSpaceInfo; conversations: readonly GenieConversationSummary[] }): AdaptiveCard {
  const rows = view.conversations.map((c) => ({
    type: 'Container',
    separator: true,
    items: [
      text(`**${truncate(c.title, 200)}**`),
      text(cardDate(c.createdAt), { isSubtle: true, spacing: 'None' }),
      {
        type: 'ActionSet',
        actions: [
          { type: 'Action.Execute', title: 'Resume', verb: VERBS.historyResume, data: { conversationId: c.conversationId } },
          { type: 'Action.Execute', title: 'Delete', verb: VERBS.historyDelete, data: { conversationId: c.conversationId } },
        ],
      },
    ],
  }));
  return {
    ...CARD,
    body: [
      text(`Your conversations in ${truncate(view.space.title, 120)}`, { size: 'Medium', weight: 'Bolder' }),
      text(view.conversations.length === 0 ? 'You have no Genie conversations in this space yet.' : 'Only you see your conversations. Resume one to continue it here.', { isSubtle: true }),
      ...rows,
    ],
  };
}
