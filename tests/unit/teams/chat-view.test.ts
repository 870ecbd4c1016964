import { ChatView, parseChatLine } from '../../../emulators/teams/chat-view';
import { ActivityLog } from '../../../emulators/teams/activity-log';
import type { ActivityEvent } from '../../../emulators/teams/types';

const card = (title: string) => ({
  contentType: 'application/vnd.microsoft.card.adaptive',
  content: { type: 'AdaptiveCard', body: [{ type: 'TextBlock', text: title }], actions: [{ type: 'Action.Execute', title: 'Approve', verb: 'approval.approve' }] },
});

describe('the terminal chat view', () => {
  it('when two cards arrive, then their buttons get session-wide numbers and /N finds the right card', () => {
    const log = new ActivityLog();
    const view = new ChatView();
    const events: ActivityEvent[] = [];
    log.onEvent((e) => events.push(e));
    const first = log.add('c1', { type: 'message', from: { id: 'b', name: 'Data Agent' }, attachments: [card('first')] });
    const second = log.add('c1', { type: 'message', from: { id: 'b', name: 'Data Agent' }, attachments: [card('second')] });
    const printed = events.map((e) => view.render(e));
    expect(printed[0]).toContain('[/1] Approve');
    expect(printed[1]).toContain('[/2] Approve');
    expect(view.button(1)?.activityId).toBe(first.id);
    expect(view.button(2)?.activityId).toBe(second.id);
  });

  it('when a card is updated, then it is printed again marked (updated)', () => {
    const log = new ActivityLog();
    const view = new ChatView();
    const events: ActivityEvent[] = [];
    log.onEvent((e) => events.push(e));
    const record = log.add('c1', { type: 'message', from: { id: 'b', name: 'Data Agent' }, attachments: [card('pending')] });
    log.update(record.id, { type: 'message', from: { id: 'b', name: 'Data Agent' }, text: 'Executed: 3 rows' }, 'connector');
    expect(view.render(events[1] as ActivityEvent)).toBe('Data Agent (updated):\n  Executed: 3 rows');
  });

  it('when another person clicked a card and got their own view, then this terminal does not show it', () => {
    const log = new ActivityLog();
    const view = new ChatView();
    const events: ActivityEvent[] = [];
    log.onEvent((e) => events.push(e));
    const record = log.add('c1', { type: 'message', text: 'card' });
    log.update(record.id, { type: 'message', text: 'bob view' }, 'invoke-response', 'bob-oid');
    expect(view.render(events[1] as ActivityEvent, 'alice-oid')).toBeUndefined();
    expect(view.render(events[1] as ActivityEvent, 'bob-oid')).toContain('bob view');
  });

  it('when typing activities arrive, then only informative updates are shown', () => {
    const view = new ChatView();
    const log = new ActivityLog();
    const events: ActivityEvent[] = [];
    log.onEvent((e) => events.push(e));
    log.add('c1', { type: 'typing' });
    log.add('c1', { type: 'typing', text: 'Asking Genie…', channelData: { streamType: 'informative' } });
    expect(events.map((e) => view.render(e))).toEqual([undefined, '  … Asking Genie…']);
  });

  it('when lines are typed, then commands and messages are told apart', () => {
    expect(parseChatLine('/2')).toEqual({ kind: 'click', number: 2 });
    expect(parseChatLine('/refresh 3')).toEqual({ kind: 'refresh', number: 3 });
    expect(parseChatLine('/signin')).toEqual({ kind: 'signin' });
    expect(parseChatLine('  ')).toEqual({ kind: 'none' });
    expect(parseChatLine('how many orders?')).toEqual({ kind: 'say', text: 'how many orders?' });
  });
});

describe('the terminal chat view with repeated updates', () => {
  it('when the bot updates a card and the click returns the same card, then it is printed once', () => {
    const log = new ActivityLog();
    const view = new ChatView();
    const events: ActivityEvent[] = [];
    log.onEvent((e) => events.push(e));
    const record = log.add('c1', { type: 'message', text: 'pending' });
    log.update(record.id, { type: 'message', text: 'done' }, 'connector');
    log.update(record.id, { type: 'message', text: 'done' }, 'invoke-response', 'alice-oid');
    const printed = events.map((e) => view.render(e, 'alice-oid'));
    expect(printed).toEqual(['bot:\n  pending', 'bot (updated):\n  done', undefined]);
  });
});
