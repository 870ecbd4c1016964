import memoriesTemplate from './templates/memories.json';
import progressTemplate from './templates/progress.json';
import signinChannelTemplate from './templates/signin-channel.json';
import type { MemoryItem } from '../../src/agents/ports';
import { type AdaptiveCard, expand, truncate } from './expand';

export { type AdaptiveCard, CARD_BYTE_LIMIT, cardBytes, expand, truncate } from './expand';

export function renderProgressCard(view: { title: string; status: string }): AdaptiveCard {
  return expand(progressTemplate, view);
}

export function renderChannelSignInCard(view: { botAppId: string; userName: string }): AdaptiveCard {
  return expand(signinChannelTemplate, {
    title: 'Sign in first',
    message: `${view.userName}, I need you to sign in once in a 1:1 chat with me before I can answer in channels. Open the chat, send me any message and follow the sign-in prompt, then ask here again.`,
    chatLink: `https://teams.microsoft.com/l/chat/0/0?users=28:${encodeURIComponent(view.botAppId)}`,
  });
}

export function renderMemoriesCard(items: readonly MemoryItem[]): AdaptiveCard {
  return expand(memoriesTemplate, {
    title: 'What I remember about you',
    isEmpty: items.length === 0,
    items: items.map((item, i) => ({ number: String(i + 1), text: truncate(item.text, 500) })),
  });
}

export { renderResultCard, renderPrivateResultCard, type ResultCardInput, type ResultRef } from './result-card';
export { renderApprovalCard, type ApprovalCardInput } from './approval-card';
export { renderErrorCard, errorFamilyOf, type ErrorFamily } from './error-card';
