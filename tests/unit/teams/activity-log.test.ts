import { ActivityLog } from '../../../emulators/teams/activity-log';

describe('the connector activity log', () => {
  it('when an activity is updated twice, then every version is kept and the latest is current', () => {
    const log = new ActivityLog();
    const record = log.add('c1', { type: 'message', text: 'v1' });
    log.update(record.id, { type: 'message', text: 'v2' }, 'connector');
    log.update(record.id, { type: 'message', text: 'v3' }, 'invoke-response', 'alice-oid');
    const stored = log.get(record.id);
    expect(stored?.activity.text).toBe('v2');
    expect(stored?.versions.map((v) => [v.activity.text, v.source])).toEqual([
      ['v1', 'original'],
      ['v2', 'connector'],
      ['v3', 'invoke-response'],
    ]);
  });

  it('when a card is answered to one person, then only that person sees the new version', () => {
    const log = new ActivityLog();
    const record = log.add('c1', { type: 'message', text: 'shared' });
    log.update(record.id, { type: 'message', text: 'alice only' }, 'invoke-response', 'alice-oid');
    expect(log.viewOf(record.id, 'alice-oid')?.text).toBe('alice only');
    expect(log.viewOf(record.id, 'bob-oid')?.text).toBe('shared');
    log.update(record.id, { type: 'message', text: 'shared again' }, 'connector');
    expect(log.viewOf(record.id, 'alice-oid')?.text).toBe('shared again');
  });

  it('when waiting for an activity that arrives later in the right conversation, then the wait resolves with it', async () => {
    const log = new ActivityLog();
    const waiting = log.waitFor((r) => r.activity.text === 'answer', { conversationId: 'c2', timeoutMs: 1000 });
    log.add('c1', { type: 'message', text: 'answer' });
    log.add('c2', { type: 'message', text: 'answer' });
    await expect(waiting).resolves.toMatchObject({ conversationId: 'c2' });
  });

  it('when nothing matches before the timeout, then the wait fails and lists what was seen', async () => {
    const log = new ActivityLog();
    log.add('c1', { type: 'message', text: 'something else' });
    await expect(log.waitFor((r) => r.activity.text === 'never', { timeoutMs: 50 })).rejects.toThrow(/something else/);
  });

  it('when waiting for an update since a moment, then earlier updates do not count', async () => {
    const log = new ActivityLog();
    const record = log.add('c1', { type: 'message', text: 'card' });
    log.update(record.id, { type: 'message', text: 'old update' }, 'connector');
    const since = Date.now() + 1;
    const waiting = log.waitFor((r) => r.id === record.id, { kind: 'updated', since, timeoutMs: 1000 });
    await new Promise((r) => setTimeout(r, 5));
    log.update(record.id, { type: 'message', text: 'new update' }, 'connector');
    await expect(waiting).resolves.toMatchObject({ activity: { text: 'new update' } });
  });
});
