import { EventEmitter } from 'node:events';
import type { Activity, ActivityEvent, ActivityVersion, RecordedActivity, UpdateSource } from './types';

export type ActivityMatcher = (record: RecordedActivity) => boolean;

export interface WaitOptions {
  conversationId?: string;
  timeoutMs?: number;
  /** Only records received (or updated, with `kind: 'updated'`) after this time (ms since epoch). */
  since?: number;
  kind?: 'sent' | 'updated';
}

/**
 * Every activity the bot sent through the local connector, per conversation, with every version
 * (updates are kept, never overwritten) so a test can ask "was this card updated exactly once?".
 */
export class ActivityLog {
  private readonly records = new Map<string, RecordedActivity>();
  private readonly events = new EventEmitter();
  private counter = 0;

  constructor() {
    this.events.setMaxListeners(100);
  }

  /** A fresh activity id not used by any record (a stream id, whose message arrives with the final request). */
  reserveId(): string {
    return `${Date.now()}${String(++this.counter).padStart(4, '0')}`;
  }

  add(conversationId: string, activity: Activity, id?: string): RecordedActivity {
    const assigned = id ?? this.reserveId();
    const now = Date.now();
    const stored: Activity = { ...activity, id: assigned, conversation: { ...activity.conversation, id: conversationId } };
    const version: ActivityVersion = { activity: stored, source: 'original', at: now };
    const record: RecordedActivity = { id: assigned, conversationId, activity: stored, versions: [version], deleted: false, receivedAt: now };
    this.records.set(assigned, record);
    this.emit({ kind: 'sent', record, version });
    return record;
  }

  /**
   * A new version: from the connector it replaces what everyone sees; an invoke response is only
   * what `viewer` (an object id) sees, as in Teams, where the card returned to a click is per user.
   */
  update(activityId: string, activity: Activity, source: UpdateSource, viewer?: string): RecordedActivity | undefined {
    const record = this.records.get(activityId);
    if (!record) return undefined;
    const stored: Activity = { ...activity, id: activityId, conversation: { ...activity.conversation, id: record.conversationId } };
    const version: ActivityVersion = { activity: stored, source, at: Date.now(), ...(source === 'invoke-response' ? { viewer } : {}) };
    if (source === 'connector') record.activity = stored;
    record.versions.push(version);
    this.emit({ kind: 'updated', record, version });
    return record;
  }

  /** What one person sees: the latest shared version or their own invoke-response view, whichever is newer. */
  viewOf(activityId: string, viewer: string): Activity | undefined {
    const record = this.records.get(activityId);
    if (!record) return undefined;
    const visible = record.versions.filter((v) => v.source !== 'invoke-response' || v.viewer === viewer);
    return visible[visible.length - 1]?.activity;
  }

  delete(activityId: string): boolean {
    const record = this.records.get(activityId);
    if (!record) return false;
    record.deleted = true;
    this.emit({ kind: 'deleted', record, version: record.versions[record.versions.length - 1] as ActivityVersion });
    return true;
  }

  get(activityId: string): RecordedActivity | undefined {
    return this.records.get(activityId);
  }

  list(conversationId?: string): RecordedActivity[] {
    const all = [...this.records.values()];
    return conversationId === undefined ? all : all.filter((r) => r.conversationId === conversationId);
  }

  onEvent(listener: (event: ActivityEvent) => void): () => void {
    this.events.on('event', listener);
    return () => this.events.off('event', listener);
  }

  /** Resolves with the first record (existing or future) that matches; rejects after the timeout. */
  waitFor(matcher: ActivityMatcher, options: WaitOptions = {}): Promise<RecordedActivity> {
    const timeoutMs = options.timeoutMs ?? 20_000;
    const accepts = (record: RecordedActivity, kind: 'sent' | 'updated' | 'deleted'): boolean => {
      if (options.conversationId !== undefined && record.conversationId !== options.conversationId) return false;
      if (options.kind === 'updated' && kind !== 'updated') return false;
      if (options.since !== undefined) {
        const at = options.kind === 'updated' ? record.versions[record.versions.length - 1]?.at ?? 0 : record.receivedAt;
        if (at < options.since) return false;
      }
      return matcher(record);
    };
    const existing = this.list().find((r) => accepts(r, r.versions.length > 1 ? 'updated' : 'sent'));
    if (existing) return Promise.resolve(existing);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        off();
        const seen = this.list(options.conversationId).map(describe).join('\n  ');
        reject(new Error(`No matching activity within ${timeoutMs} ms. Seen:\n  ${seen || '(none)'}`));
      }, timeoutMs);
      const off = this.onEvent((event) => {
        if (event.kind === 'deleted' || !accepts(event.record, event.kind)) return;
        clearTimeout(timer);
        off();
        resolve(event.record);
      });
    });
  }

  private emit(event: ActivityEvent): void {
    this.events.emit('event', event);
  }
}

function describe(record: RecordedActivity): string {
  const a = record.activity;
  const kinds = (a.attachments ?? []).map((x) => x.contentType).join(',');
  return `${record.id} ${a.type}${record.versions.length > 1 ? ` (v${record.versions.length})` : ''}: ${(a.text ?? '').slice(0, 120)} ${kinds}`;
}
