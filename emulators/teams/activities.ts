import { randomUUID } from 'node:crypto';
import type { DirectoryUser } from '../shared/directory';
import { BOT_NAME, botAccount, GROUP_CHAT, personalConversationId, TEAM, teamsUserId, userAccount } from './accounts';
import type { Activity, ConversationAccount } from './types';

export type ConversationKind = 'personal' | 'groupChat' | 'channel';

/** Where a client speaks: a 1:1 chat with the bot, a group chat, or a team channel. */
export interface ConversationSpec {
  kind: ConversationKind;
  id: string;
  name?: string;
}

export function personalConversation(user: DirectoryUser): ConversationSpec {
  return { kind: 'personal', id: personalConversationId(teamsUserId(user)) };
}

export function groupConversation(id: string = GROUP_CHAT.id, name: string = GROUP_CHAT.name): ConversationSpec {
  return { kind: 'groupChat', id, name };
}

export function channelConversation(id: string = TEAM.channel.id, name: string = TEAM.channel.name): ConversationSpec {
  return { kind: 'channel', id, name };
}

export interface ActivityContext {
  user: DirectoryUser;
  conversation: ConversationSpec;
  tenantId: string;
  botAppId: string;
  serviceUrl: string;
}

let sequence = 0;

/** Teams activity ids are numeric strings (milliseconds plus a counter here, unique per process). */
export function newActivityId(): string {
  return `${Date.now()}${String(++sequence % 1000).padStart(3, '0')}`;
}

function conversationAccount(ctx: ActivityContext): ConversationAccount {
  const base = { id: ctx.conversation.id, tenantId: ctx.tenantId, conversationType: ctx.conversation.kind };
  return ctx.conversation.kind === 'personal' ? base : { ...base, isGroup: true, name: ctx.conversation.name };
}

function channelData(ctx: ActivityContext): Record<string, unknown> {
  const tenant = { id: ctx.tenantId };
  if (ctx.conversation.kind !== 'channel') return { tenant };
  return {
    tenant,
    teamsTeamId: TEAM.id,
    teamsChannelId: ctx.conversation.id,
    team: { id: TEAM.id, name: TEAM.name, aadGroupId: TEAM.aadGroupId },
    channel: { id: ctx.conversation.id, name: ctx.conversation.name },
  };
}

/** The envelope every activity from Teams carries. */
export function baseActivity(ctx: ActivityContext, type: string): Activity {
  const now = new Date().toISOString();
  return {
    type,
    id: newActivityId(),
    timestamp: now,
    localTimestamp: now,
    serviceUrl: ctx.serviceUrl,
    channelId: 'msteams',
    from: userAccount(ctx.user),
    recipient: botAccount(ctx.botAppId),
    conversation: conversationAccount(ctx),
    locale: 'en-US',
    entities: [{ type: 'clientInfo', locale: 'en-US', country: 'US', platform: 'Web', timezone: 'UTC' }],
    channelData: channelData(ctx),
  };
}

/** A message; outside 1:1 chats Teams only delivers it when the bot is @mentioned, so the mention is added. */
export function messageActivity(ctx: ActivityContext, text: string, options: { mention?: boolean } = {}): Activity {
  const mention = options.mention ?? ctx.conversation.kind !== 'personal';
  const activity = baseActivity(ctx, 'message');
  if (!mention) return { ...activity, text, textFormat: 'plain' };
  const tag = `<at>${BOT_NAME}</at>`;
  return {
    ...activity,
    text: `${tag} ${text}`,
    textFormat: 'plain',
    entities: [...(activity.entities ?? []), { type: 'mention', text: tag, mentioned: botAccount(ctx.botAppId) }],
  };
}

export function invokeActivity(ctx: ActivityContext, name: string, value: unknown, replyToId?: string): Activity {
  return { ...baseActivity(ctx, 'invoke'), name, value, replyToId };
}

/** What Teams sends when a person presses an `Action.Execute` button (or a card refreshes itself). */
export function cardActionValue(verb: string, data: unknown, trigger: 'manual' | 'automatic'): Record<string, unknown> {
  return { action: { type: 'Action.Execute', id: randomUUID(), verb, data: data ?? {} }, trigger };
}
