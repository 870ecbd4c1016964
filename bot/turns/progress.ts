import { type Activity, ActivityTypes, CardFactory } from 'botbuilder';
import type { HostTurn } from './host-turn';
import type { ConversationKind } from '../../src/context/request-context';
import { renderProgressCard } from '../present/render';
import { StreamSender, type StreamActivity, type StreamSenderOptions } from './stream-sender';

/** Key under which the id of a turn's progress card sits in `turnState`, so `onTurnError` can replace it. */
export const PROGRESS_ACTIVITY_KEY = Symbol('progressActivityId');
/** Key under which a 1:1 turn's stream sits in `turnState`, so `onTurnError` can end it with the error card. */
export const PROGRESS_STREAM_KEY = Symbol('progressStream');

/** Progress of one background turn, ending with exactly one final activity. */
export interface Progress {
  update(text: string): void;
  finish(final: Partial<Activity>): Promise<void>;
}

/**
 * 1:1 chats get typing at once and an informative stream only when the answer takes more than about a
 * second (`turns/stream-sender.ts`, paced by Teams' rules, not teams-ai's 1.5 s sleeps); group chats
 * and channels get a progress card at once, updated in place.
 */
export async function startProgress(turn: HostTurn, kind: ConversationKind, title: string, status: string, stream: StreamSenderOptions = {}): Promise<Progress> {
  if (kind === 'personal') {
    const sender = new StreamSender((activity) => turn.sendActivity(activity as Partial<Activity>), stream);
    turn.turnState.set(PROGRESS_STREAM_KEY, sender);
    sender.start(status);
    return new StreamingProgress(turn, sender);
  }
  const progress = new CardProgress(turn, title);
  await progress.start(status);
  return progress;
}

class StreamingProgress implements Progress {
  constructor(
    private readonly turn: HostTurn,
    private readonly sender: StreamSender,
  ) {}

  update(text: string): void {
    this.sender.update(text);
  }

  async finish(final: Partial<Activity>): Promise<void> {
    this.turn.turnState.delete(PROGRESS_STREAM_KEY);
    await this.sender.finish({ type: ActivityTypes.Message, ...final } as StreamActivity);
  }
}

class CardProgress implements Progress {
  private activityId: Promise<string | undefined> | undefined;
  private pendingText: string | undefined;
  private updating: Promise<void> = Promise.resolve();

  constructor(private readonly turn: HostTurn, private readonly title: string) {}

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
