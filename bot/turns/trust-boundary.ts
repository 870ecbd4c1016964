import type { TurnContext } from 'botbuilder';
import type { Logger } from '../../src/logging';
import { sendInvokeResponse } from './invoke';

/**
 * The Teams-only trust boundary, in every profile. The bot is a Teams app: identity, tenant and
 * conversation come from the activity, and only Teams (`channelId` `msteams`, through the Bot
 * Framework channel service) fills them the way our checks assume. Web Chat, Direct Line and the
 * Bot Framework Emulator let the caller write `from` and `conversation` freely, so any activity
 * from another channel is refused before anything is read or written.
 *
 * The tenant is `conversation.tenantId` ("this conversation's tenant ID", botframework-schema
 * `ConversationAccount`) and nothing else: `channelData.tenant.id` is not consulted, so there is one
 * field to check and no second one to fall back to. An activity without it is refused (fail closed).
 */
export const TEAMS_CHANNEL_ID = 'msteams';

export interface BoundaryRefusal {
  reason: 'channel' | 'tenant';
  /** For the log only: never includes the list of allowed tenants. */
  detail: string;
}

interface ActivityFields {
  channelId?: unknown;
  conversation?: { tenantId?: unknown } | null;
}

/** The activity's tenant: `conversation.tenantId` only. */
export function tenantOf(activity: ActivityFields): string | undefined {
  const tenantId = activity.conversation?.tenantId;
  return typeof tenantId === 'string' && tenantId !== '' ? tenantId : undefined;
}

/** Undefined when the activity may be handled; else why it is refused. */
export function boundaryRefusal(activity: unknown, allowedTenantIds: readonly string[]): BoundaryRefusal | undefined {
  const fields = (typeof activity === 'object' && activity !== null ? activity : {}) as ActivityFields;
  if (fields.channelId !== TEAMS_CHANNEL_ID) {
    const channel = typeof fields.channelId === 'string' ? fields.channelId.slice(0, 100) : '(none)';
    return { reason: 'channel', detail: `channel "${channel}" is not Microsoft Teams` };
  }
  const tenantId = tenantOf(fields);
  if (!tenantId) return { reason: 'tenant', detail: 'conversation.tenantId is missing' };
  if (!allowedTenantIds.includes(tenantId)) return { reason: 'tenant', detail: `tenant ${tenantId.slice(0, 100)} is not allowed` };
  return undefined;
}

/** What the caller is told (the same for every reason, so it reveals nothing about the configuration). */
export const REFUSAL_BODY = { error: 'Forbidden', message: 'This bot only serves Microsoft Teams in the organisations it is set up for.' } as const;

/**
 * The first step of every turn: true when the turn may run. A refused turn sends nothing to the
 * conversation; an invoke is answered 403 (a message's HTTP answer is the server's, see `createServer`'s `admit`).
 */
export async function admitTurn(turn: TurnContext, allowedTenantIds: readonly string[], logger: Logger): Promise<boolean> {
  const refusal = boundaryRefusal(turn.activity, allowedTenantIds);
  if (!refusal) return true;
  logger.warn({ refusal, activityType: turn.activity.type, invoke: turn.activity.name }, 'activity refused at the Teams trust boundary');
  if (turn.activity.type === 'invoke') await sendInvokeResponse(turn, 403, REFUSAL_BODY);
  return false;
}
