import {
  type Activity,
  ActivityTypes,
  BotAdapter,
  type ConversationParameters,
  type ConversationReference,
  INVOKE_RESPONSE_KEY,
  type ResourceResponse,
  TurnContext,
} from 'botbuilder';
import type { ClaimsIdentity } from 'botframework-connector';

export interface RecordedInvokeResponse {
  status: number;
  body: unknown;
}

/**
 * A BotAdapter that records what the bot sends and updates instead of calling a connector, and runs
 * proactive continuations in-process (through the middleware, so `onTurnError` applies as in production).
 */
export class RecordingAdapter extends BotAdapter {
  readonly sent: Partial<Activity>[] = [];
  readonly updated: Partial<Activity>[] = [];
  readonly createdConversations: ConversationParameters[] = [];
  private nextId = 1;

  async sendActivities(context: TurnContext, activities: Partial<Activity>[]): Promise<ResourceResponse[]> {
    return activities.map((activity) => {
      if (activity.type === ActivityTypes.InvokeResponse) {
        context.turnState.set(INVOKE_RESPONSE_KEY, activity);
        return { id: '' };
      }
      const id = `bot-${this.nextId++}`;
      this.sent.push({ ...activity, id });
      return { id };
    });
  }

  async updateActivity(_context: TurnContext, activity: Partial<Activity>): Promise<ResourceResponse | void> {
    this.updated.push(activity);
  }

  async deleteActivity(): Promise<void> {}

  async continueConversation(reference: Partial<ConversationReference>, logic: (context: TurnContext) => Promise<void>): Promise<void> {
    const activity = TurnContext.applyConversationReference({ type: ActivityTypes.Event, name: 'ContinueConversation' }, reference, true);
    await this.runMiddleware(new TurnContext(this, activity), logic);
  }

  async continueConversationAsync(
    _botAppIdOrClaims: string | ClaimsIdentity,
    reference: Partial<ConversationReference>,
    logicOrAudience: ((context: TurnContext) => Promise<void>) | string,
    maybeLogic?: (context: TurnContext) => Promise<void>,
  ): Promise<void> {
    const logic = typeof logicOrAudience === 'function' ? logicOrAudience : maybeLogic;
    if (!logic) throw new Error('continueConversationAsync needs a logic function');
    await this.continueConversation(reference, logic);
  }

  async createConversationAsync(
    _botAppId: string,
    channelId: string,
    serviceUrl: string,
    _audience: string,
    parameters: ConversationParameters,
    logic: (context: TurnContext) => Promise<void>,
  ): Promise<void> {
    this.createdConversations.push(parameters);
    const reference: Partial<ConversationReference> = {
      channelId,
      serviceUrl,
      conversation: { id: `personal-${parameters.members?.[0]?.id ?? 'unknown'}`, isGroup: false, conversationType: 'personal', name: '' },
      user: parameters.members?.[0],
      bot: parameters.bot,
    };
    await this.continueConversation(reference, logic);
  }

  /** Runs one inbound activity through `logic` as the adapter would; returns the invoke response if any. */
  async receive(activity: Partial<Activity>, logic: (context: TurnContext) => Promise<unknown>): Promise<RecordedInvokeResponse | undefined> {
    const context = new TurnContext(this, activity);
    await this.runMiddleware(context, async (ctx) => {
      await logic(ctx);
    });
    const response = context.turnState.get(INVOKE_RESPONSE_KEY) as Partial<Activity> | undefined;
    return response?.value as RecordedInvokeResponse | undefined;
  }

  /** Every card attachment content the bot sent or updated, in order. */
  cards(): Record<string, unknown>[] {
    return [...this.sent, ...this.updated]
      .flatMap((a) => a.attachments ?? [])
      .filter((a) => a.contentType === 'application/vnd.microsoft.card.adaptive')
      .map((a) => a.content as Record<string, unknown>);
  }

  clear(): void {
    this.sent.length = 0;
    this.updated.length = 0;
  }
}
