import type { Activity } from 'botbuilder';

export const TENANT = '7e4a1c00-0000-4000-8000-000000000001';
export const BOT_ID = 'b07a0000-0000-4000-8000-0000000000b0';

export interface Person {
  mri: string;
  oid: string;
  name: string;
}

export const ALICE: Person = { mri: '29:alice', oid: 'a11ce000-0000-4000-8000-000000000001', name: 'Alice Wong' };
export const BOB: Person = { mri: '29:bob', oid: 'b0b00000-0000-4000-8000-000000000002', name: 'Bob Kim' };

export type Where = 'personal' | 'groupChat' | 'channel';

export const GROUP_CHAT_ID = '19:group-chat@thread.v2';

let seq = 0;

function conversationOf(where: Where, who: Person): Activity['conversation'] {
  if (where === 'personal') return { id: `a:personal-${who.oid}`, conversationType: 'personal', tenantId: TENANT, isGroup: false, name: '' };
  if (where === 'groupChat') return { id: GROUP_CHAT_ID, conversationType: 'groupChat', tenantId: TENANT, isGroup: true, name: 'Group' };
  return { id: '19:channel@thread.tacv2;messageid=1700000000000', conversationType: 'channel', tenantId: TENANT, isGroup: true, name: 'General' };
}

function base(where: Where, who: Person): Partial<Activity> {
  seq += 1;
  return {
    id: `act-${seq}-${Date.now()}`,
    channelId: 'msteams',
    serviceUrl: 'https://smba.example/teams/',
    from: { id: who.mri, name: who.name, aadObjectId: who.oid },
    recipient: { id: `28:${BOT_ID}`, name: 'Data Agent' },
    conversation: conversationOf(where, who),
    channelData: { tenant: { id: TENANT } },
    timestamp: new Date(),
  };
}

/** A message; in chats and channels it @mentions the bot as Teams does. */
export function buildMessage(text: string, options: { where?: Where; from?: Person; overrides?: Partial<Activity> } = {}): Partial<Activity> {
  const where = options.where ?? 'personal';
  const from = options.from ?? ALICE;
  const mention = where === 'personal' ? '' : '<at>Data Agent</at> ';
  const entities =
    where === 'personal' ? [] : [{ type: 'mention', text: '<at>Data Agent</at>', mentioned: { id: `28:${BOT_ID}`, name: 'Data Agent' } }];
  return { ...base(where, from), type: 'message', text: `${mention}${text}`, entities, ...options.overrides };
}

export function buildInvoke(name: string, value: unknown, options: { where?: Where; from?: Person; replyToId?: string } = {}): Partial<Activity> {
  return { ...base(options.where ?? 'personal', options.from ?? ALICE), type: 'invoke', name, value, replyToId: options.replyToId };
}

export function buildCardAction(verb: string, data: unknown, options: { where?: Where; from?: Person; replyToId?: string } = {}): Partial<Activity> {
  return buildInvoke('adaptiveCard/action', { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' }, { replyToId: 'card-1', ...options });
}
