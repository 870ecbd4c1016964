import { StreamingResponse } from '@microsoft/teams-ai';
import { type Activity, ActivityTypes, CardFactory, type TurnContext } from 'botbuilder';
import type { ConversationKind } from '../../src/context/request-context';
import { renderProgressCard } from '../present/render';

/** Key under which the id of a turn's progress card sits in `turnState`, so `onTurnError` can replace it. */
export const PROGRESS_ACTIVITY_KEY = Symbol('progressActivityId');

/** Progress of one background turn, ending with exactly one final activity. */
export interface Progress {
  update(text: string): void;
  finish(final: Partial<Activity>): Promise<void>;
}

const MAX_INFORMATIVE_UPDATES = 4;

/**
 * 1:1 chats stream informative updates (teams-ai StreamingResponse, which sleeps 1.5 s per send, so
 * updates are capped); group chats and channels get a progress card at once, updated in place.
 */
export async function startProgress(turn: TurnContext, kind: ConversationKind, title: string, status: string): Promise<Progress> {
  if (kind === 'personal') return new StreamingProgress(turn);
  const progress = new CardProgress(turn, title);
  await progress.start(status);
  return progress;
}

class StreamingProgress implements Progress {
  private stream: StreamingResponse | undefined;
  private last = '';
  private sent = 0;

  constructor(private readonly turn: TurnContext) {}

  update(text: string): void {
    if (text === this.last || this.sent >= MAX_INFORMATIVE_UPDATES) return;
    this.stream ??= new StreamingResponse(this.turn);
    this.stream.queueInformativeUpdate(text);
    this.last = text;
    this.sent += 1;
  }

  async finish(final: Partial<Activity>): Promise<void> {
    if (!this.stream) {
      await this.turn.sendActivity(final);
      return;
    }
    if (final.attachments) this.stream.setAttachments(final.attachments);
    this.stream.queueTextChunk(final.text ?? '');
    await this.stream.endStream();
  }
}

class CardProgress implements Progress {
  private activityId: Promise<string | undefined> | undefined;
  private pendingText: string | undefined;
  private updating: Promise<void> = Promise.resolve();

  constructor(private readonly turn: TurnContext, private readonly title: string) {}

  /** Posts the progress card at once so the chat sees the bot took the request. */
  async start(status: string): Promise<void> {
    this.activityId = this.turn
      .sendActivity({ type: ActivityTypes.Message, attachments: [CardFactory.adaptiveCard(renderProgressCard({ title: this.title, status }))] })
      .then((r) => {
        if (r?.id) this.turn.turnState.set(PROGRESS_ACTIVITY_KEY, r.id);
        return r?.id;
      });
    await this.activityId;
  }

  update(text: string): void {
    if (text === this.pendingText) return;
    this.pendingText = text;
    this.updating = this.updating.then(async () => {
      const id = await this.activityId;
      if (!id || this.pendingText !== text) return;
      await this.turn.updateActivity({ id, type: ActivityTypes.Message, attachments: [CardFactory.adaptiveCard(renderProgressCard({ title: this.title, status: text }))] });
    });
  }

  async finish(final: Partial<Activity>): Promise<void> {
    this.pendingText = undefined;
    await this.updating.catch(() => undefined);
    const id = this.activityId ? await this.activityId : undefined;
    if (id) await this.turn.updateActivity({ ...final, type: ActivityTypes.Message, id });
    else await this.turn.sendActivity(final);
  }
}
