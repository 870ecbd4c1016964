/**
 * "Teams supports only one concurrent streaming response per chat at a time" ("Stream bot messages",
 * learn.microsoft.com/microsoftteams/platform/bots/streaming-ux): a second stream opened while one
 * is still going in the same chat is refused (403 ContentStreamNotAllowed). Two turns of one 1:1
 * chat can overlap (a question sent while the previous answer is still coming), so the turns of
 * this process take the chat's stream one at a time: a turn that finds it taken sends typing only,
 * and opens its own stream when the other one has ended, or sends its answer as a plain message if
 * it is ready first (`StreamSender`'s `slot`).
 *
 * Per process: holds chat ids and callbacks only, never an identity or a client.
 */
import type { StreamSlot } from './stream-sender';

export class ChatStreams {
  private readonly holders = new Map<string, symbol>();
  private readonly waiters = new Map<string, Set<() => void>>();

  /** The slot of one turn in `chatId`; take it before a stream's first request, release it when the stream ended. */
  slot(chatId: string): StreamSlot {
    const owner = Symbol(chatId);
    let waiting: (() => void) | undefined;
    return {
      tryTake: () => {
        const holder = this.holders.get(chatId);
        if (holder !== undefined && holder !== owner) return false;
        this.holders.set(chatId, owner);
        return true;
      },
      release: () => {
        if (waiting) this.waiters.get(chatId)?.delete(waiting);
        waiting = undefined;
        if (this.holders.get(chatId) !== owner) return;
        this.holders.delete(chatId);
        const next = this.waiters.get(chatId);
        this.waiters.delete(chatId);
        for (const wake of next ?? []) wake();
      },
      whenFree: (wake) => {
        if (waiting) this.waiters.get(chatId)?.delete(waiting);
        waiting = wake;
        const set = this.waiters.get(chatId) ?? new Set<() => void>();
        set.add(wake);
        this.waiters.set(chatId, set);
      },
    };
  }

  /** Chats with an open stream (diagnostics and tests). */
  get openChats(): number {
    return this.holders.size;
  }
}
