import type { DirectoryUser } from '../shared/directory';
import {
  cardActionValue,
  invokeActivity,
  messageActivity,
  baseActivity,
  type ActivityContext,
  type ConversationSpec,
} from './activities';
import { ADAPTIVE_CARD, OAUTH_CARD, adaptiveCardOf, renderActivity, type CardButton } from './card-text';
import { userAccount } from './accounts';
import type { LocalConnector } from './connector';
import type { Activity, RecordedActivity } from './types';

export interface TeamsClientOptions {
  /** The bot's `/api/messages` URL. */
  messagesUrl: string;
  botAppId: string;
  tenantId: string;
  /** The Entra emulator's SSO endpoint: `POST {"user": "alice"}` → `{access_token}`. */
  ssoTokenUrl: string;
  connector: LocalConnector;
  user: DirectoryUser;
  conversation: ConversationSpec;
  /** Answer OAuthCards with `signin/tokenExchange` as Teams does (default: on in 1:1 and group chats). */
  autoSso?: boolean;
  /** Refresh cards whose `refresh.userIds` name this person when they arrive or change, as Teams does (default: on). */
  autoRefresh?: boolean;
  requestTimeoutMs?: number;
}

export interface PostResult {
  status: number;
  body: unknown;
  activity: Activity;
}

export interface TokenExchangeRecord {
  oauthActivityId: string;
  exchangeId: string;
  status: number;
}

export type ButtonMatcher = string | RegExp | ((button: CardButton) => boolean);

/**
 * One person in one conversation, driving the bot the way the Teams client does: messages with
 * mentions and channel data, SSO token exchange on OAuthCards, and Adaptive Card `Action.Execute`
 * invokes whose response card replaces the card in place.
 */
export class TeamsClient {
  readonly sent: Activity[] = [];
  readonly exchanges: TokenExchangeRecord[] = [];
  /** Card actions the bot answered with a Universal Actions `loginRequest`. */
  readonly loginRequests: { activityId: string; verb: string; exchangeId: string }[] = [];
  private readonly autoSso: boolean;
  private readonly pending = new Set<Promise<unknown>>();
  private readonly unsubscribe: () => void;

  constructor(private readonly options: TeamsClientOptions) {
    const autoSso = options.autoSso ?? options.conversation.kind !== 'channel';
    this.autoSso = autoSso;
    const autoRefresh = options.autoRefresh ?? true;
    this.unsubscribe = options.connector.log.onEvent((event) => {
      if (event.record.conversationId !== options.conversation.id || event.kind === 'deleted') return;
      if (event.version.source === 'invoke-response') return;
      if (autoSso && event.kind === 'sent' && this.isOauthCardForMe(event.record.activity)) {
        this.track(this.exchangeToken(event.record).catch(() => undefined));
      }
      if (autoRefresh && this.refreshesForMe(event.record.activity)) {
        this.track(this.refresh(event.record).catch(() => undefined));
      }
    });
  }

  /** The activity as this person sees it (their own card view after a click or refresh, else the shared one). */
  view(target: RecordedActivity | string): Activity {
    const record = this.record(target);
    return this.options.connector.log.viewOf(record.id, this.options.user.objectId) ?? record.activity;
  }

  get user(): DirectoryUser {
    return this.options.user;
  }

  get conversation(): ConversationSpec {
    return this.options.conversation;
  }

  get context(): ActivityContext {
    const { user, conversation, tenantId, botAppId, connector } = this.options;
    return { user, conversation, tenantId, botAppId, serviceUrl: connector.serviceUrl };
  }

  /** Sends a message as this person; resolves when the bot has answered the HTTP request. */
  say(text: string, options: { mention?: boolean } = {}): Promise<PostResult> {
    return this.post(messageActivity(this.context, text, options));
  }

  /** Posts an activity to the bot (a new one, or one already sent, to play Teams redelivering it). */
  async post(activity: Activity): Promise<PostResult> {
    this.sent.push(activity);
    const response = await fetch(this.options.messagesUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(activity),
      signal: AbortSignal.timeout(this.options.requestTimeoutMs ?? 60_000),
    });
    const text = await response.text();
    let body: unknown = undefined;
    if (text.trim() !== '') {
      try {
        body = JSON.parse(text);
      } catch {
        body = text;
      }
    }
    return { status: response.status, body, activity };
  }

  invoke(name: string, value: unknown, replyToId?: string): Promise<PostResult> {
    return this.post(invokeActivity(this.context, name, value, replyToId));
  }

  /** Sends a `conversationUpdate` (e.g. the bot being added) as Teams does on install. */
  conversationUpdate(extra: Partial<Activity>): Promise<PostResult> {
    return this.post({ ...baseActivity(this.context, 'conversationUpdate'), ...extra });
  }

  async ssoToken(): Promise<string> {
    const response = await fetch(this.options.ssoTokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user: this.options.user.shortName }),
    });
    if (!response.ok) throw new Error(`SSO token request failed: ${response.status} ${await response.text()}`);
    const body = (await response.json()) as { access_token?: unknown };
    if (typeof body.access_token !== 'string') throw new Error('SSO token response has no access_token');
    return body.access_token;
  }

  /** Answers an OAuthCard like Teams: `signin/tokenExchange` with `{id, connectionName, token}`. */
  async exchangeToken(oauth: RecordedActivity): Promise<PostResult> {
    const card = oauthCardOf(oauth.activity);
    if (!card) throw new Error(`Activity ${oauth.id} has no OAuthCard`);
    const exchangeId = card.tokenExchangeResource?.id ?? oauth.id;
    const token = await this.ssoToken();
    const result = await this.invoke('signin/tokenExchange', { id: exchangeId, connectionName: card.connectionName ?? '', token }, oauth.id);
    this.exchanges.push({ oauthActivityId: oauth.id, exchangeId, status: result.status });
    return result;
  }

  /** Presses a button on a card this conversation received (by title, verb, or predicate). */
  async click(target: RecordedActivity | string, match: ButtonMatcher): Promise<PostResult> {
    const record = this.record(target);
    const button = findButton(this.view(record), match);
    if (button.type === 'Action.Submit') {
      return this.post({ ...messageActivity(this.context, '', { mention: false }), text: undefined, value: button.data, replyToId: record.id });
    }
    if (button.type !== 'Action.Execute' || button.verb === undefined) throw new Error(`Button "${button.title}" is ${button.type}, not Action.Execute`);
    return this.execute(record, button.verb, button.data, 'manual');
  }

  /** Plays the card's `refresh` action as Teams does when the card is shown (`trigger: automatic`). */
  async refresh(target: RecordedActivity | string): Promise<PostResult> {
    const record = this.record(target);
    const refresh = adaptiveCardOf(this.view(record))?.refresh as { action?: { verb?: string; data?: unknown } } | undefined;
    if (!refresh?.action?.verb) throw new Error(`Activity ${record.id} has no card refresh action`);
    return this.execute(record, refresh.action.verb, refresh.action.data, 'automatic');
  }

  /** Waits for background work (automatic token exchanges) to finish. */
  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  close(): void {
    this.unsubscribe();
  }

  /**
   * An `Action.Execute` invoke. A `loginRequest` answer is handled as Teams does: with SSO on, it
   * gets a fresh token for `tokenExchangeResource` and sends the same action again with
   * `authentication: {id, connectionName, token}`; otherwise the answer is returned as it is.
   */
  private async execute(record: RecordedActivity, verb: string, data: unknown, trigger: 'manual' | 'automatic'): Promise<PostResult> {
    const value = cardActionValue(verb, data, trigger);
    let result = await this.invoke('adaptiveCard/action', value, record.id);
    const login = loginRequestOf(result);
    if (login && this.autoSso) {
      this.loginRequests.push({ activityId: record.id, verb, exchangeId: login.tokenExchangeResource?.id ?? '' });
      const token = await this.ssoToken();
      const authentication = { id: login.tokenExchangeResource?.id ?? '', connectionName: login.connectionName ?? '', token };
      result = await this.invoke('adaptiveCard/action', { ...value, authentication }, record.id);
    }
    const body = result.body as { type?: unknown; value?: unknown } | undefined;
    if (result.status === 200 && body?.type === ADAPTIVE_CARD && typeof body.value === 'object' && body.value !== null) {
      const attachments = [{ contentType: ADAPTIVE_CARD, content: body.value }];
      this.options.connector.log.update(record.id, { ...record.activity, attachments }, 'invoke-response', this.options.user.objectId);
    }
    return result;
  }

  private record(target: RecordedActivity | string): RecordedActivity {
    const id = typeof target === 'string' ? target : target.id;
    const record = this.options.connector.log.get(id);
    if (!record) throw new Error(`Activity ${id} was never received`);
    return record;
  }

  private isOauthCardForMe(activity: Activity): boolean {
    if (!oauthCardOf(activity)) return false;
    if (this.options.conversation.kind === 'personal') return true;
    return this.sent.some((s) => s.id !== undefined && s.id === activity.replyToId);
  }

  private refreshesForMe(activity: Activity): boolean {
    const refresh = adaptiveCardOf(activity)?.refresh as { action?: { verb?: unknown }; userIds?: unknown } | undefined;
    if (typeof refresh?.action?.verb !== 'string' || !Array.isArray(refresh.userIds)) return false;
    return refresh.userIds.includes(userAccount(this.options.user).id);
  }

  private track(promise: Promise<unknown>): void {
    this.pending.add(promise);
    void promise.finally(() => this.pending.delete(promise));
  }
}

const LOGIN_REQUEST = 'application/vnd.microsoft.activity.loginRequest';

interface LoginRequestValue {
  connectionName?: string;
  tokenExchangeResource?: { id?: string };
}

function loginRequestOf(result: PostResult): LoginRequestValue | undefined {
  const body = result.body as { statusCode?: unknown; type?: unknown; value?: unknown } | undefined;
  if (body?.statusCode !== 401 || body.type !== LOGIN_REQUEST || typeof body.value !== 'object' || body.value === null) return undefined;
  return body.value as LoginRequestValue;
}

interface OAuthCardContent {
  connectionName?: string;
  tokenExchangeResource?: { id?: string };
}

export function oauthCardOf(activity: Activity): OAuthCardContent | undefined {
  const attachment = (activity.attachments ?? []).find((a) => a.contentType === OAUTH_CARD);
  return attachment && typeof attachment.content === 'object' && attachment.content !== null ? (attachment.content as OAuthCardContent) : undefined;
}

export function findButton(activity: Activity, match: ButtonMatcher): CardButton {
  const buttons = renderActivity(activity).buttons;
  const predicate =
    typeof match === 'function'
      ? match
      : (b: CardButton) => (typeof match === 'string' ? b.title.toLowerCase() === match.toLowerCase() || b.verb === match : match.test(b.title) || (b.verb !== undefined && match.test(b.verb)));
  const found = buttons.find(predicate);
  if (!found) throw new Error(`No button matching ${String(match)}; the card offers: ${buttons.map((b) => `"${b.title}"`).join(', ') || 'none'}`);
  return found;
}
