import type { Activity, ConversationReference, FileConsentCardResponse, ResourceResponse } from 'botbuilder';

/**
 * One turn as the shared handlers see it, whichever SDK hosts the bot (`BOT_HOST`). botbuilder's
 * `TurnContext` fits it as is; the Agents SDK host wraps its own `TurnContext`
 * (bot/adapters/agents/agents-turn.ts). The Bot Framework activity schema is the same wire format
 * on both, so activities keep botbuilder's `Activity` type.
 */
export interface HostTurn {
  readonly activity: Activity;
  /** Per-turn values (correlation id, progress card id, invoke response); gone with the turn. */
  readonly turnState: TurnValues;
  sendActivity(activityOrText: string | Partial<Activity>): Promise<ResourceResponse | undefined>;
  updateActivity(activity: Partial<Activity>): Promise<ResourceResponse | void>;
  onSendActivities(handler: SendHook): unknown;
  onUpdateActivity(handler: UpdateHook): unknown;
}

export interface TurnValues {
  get(key: unknown): unknown;
  set(key: unknown, value: unknown): unknown;
  delete(key: unknown): unknown;
}

export type SendHook = (turn: HostTurn, activities: Partial<Activity>[], next: () => Promise<ResourceResponse[]>) => Promise<ResourceResponse[]>;
export type UpdateHook = (turn: HostTurn, activity: Partial<Activity>, next: () => Promise<void>) => Promise<void>;

export type TurnLogic = (turn: HostTurn) => Promise<void>;

/**
 * Where routes register (routes/ only register). teams-ai's `Application` fits it as is; the Agents
 * host implements it in bot/adapters/agents/router.ts with the same semantics: invoke routes first
 * in registration order, card actions get `action.data`, file consent is answered 200 after its handler.
 */
export interface RouteTable {
  activity(type: string, handler: (turn: HostTurn) => Promise<void>): unknown;
  addRoute(selector: (turn: HostTurn) => Promise<boolean>, handler: (turn: HostTurn) => Promise<void>, isInvokeRoute?: boolean): unknown;
  readonly adaptiveCards: { actionExecute<TData>(verb: string, handler: (turn: HostTurn, state: unknown, data: TData) => Promise<string>): unknown };
  fileConsentAccept(handler: (turn: HostTurn, state: unknown, response: FileConsentCardResponse) => Promise<void>): unknown;
  fileConsentDecline(handler: (turn: HostTurn, state: unknown, response: FileConsentCardResponse) => Promise<void>): unknown;
}

/** What differs per host beyond routing: proactive turns in an existing or a new 1:1 conversation. */
export interface ProactiveSend {
  /** Runs `logic` in a proactive turn of `reference`'s conversation. */
  continueConversation(reference: Partial<ConversationReference>, logic: TurnLogic): Promise<void>;
  /** Runs `logic` in the 1:1 chat between the bot and the sender of `turn` (created if needed). */
  continuePersonalChat(turn: HostTurn, logic: TurnLogic): Promise<void>;
}

/** One SDK host (`BOT_HOST`): inbound HTTP over the shared routes, and proactive sends. */
export interface HostRuntime extends ProactiveSend {
  /** The POST /api/messages handler: the host's authentication and adapter, then the shared pipeline. */
  serve(deps: import('./deps').BotDeps): (req: import('restify').Request, res: import('restify').Response) => Promise<void>;
}
