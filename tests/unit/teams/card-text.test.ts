import { activityText, elementsText, plainText, renderActivity, renderAdaptiveCard } from '../../../emulators/teams/card-text';

const approvalCard = {
  type: 'AdaptiveCard',
  version: '1.5',
  refresh: { action: { type: 'Action.Execute', verb: 'approval.refresh', data: { approvalId: 'ap1' } }, userIds: ['29:x'] },
  body: [
    { type: 'TextBlock', text: 'Approve this change?', weight: 'Bolder' },
    { type: 'FactSet', facts: [{ title: 'Rows', value: '3' }, { title: 'Table', value: 'main.retail.orders' }] },
    { type: 'CodeBlock', language: 'SQL', codeSnippet: 'UPDATE orders\nSET status = 1' },
    { type: 'TextBlock', text: 'hidden', isVisible: false },
    {
      type: 'Table',
      columns: [{ width: 1 }, { width: 1 }],
      rows: [
        { type: 'TableRow', cells: [{ type: 'TableCell', items: [{ type: 'TextBlock', text: 'region' }] }, { type: 'TableCell', items: [{ type: 'TextBlock', text: 'n' }] }] },
        { type: 'TableRow', cells: [{ type: 'TableCell', items: [{ type: 'TextBlock', text: 'West' }] }, { type: 'TableCell', items: [{ type: 'TextBlock', text: '12' }] }] },
      ],
    },
    { type: 'Container', items: [{ type: 'ActionSet', actions: [{ type: 'Action.OpenUrl', title: 'Docs', url: 'https://example.test' }] }] },
  ],
  actions: [
    { type: 'Action.Execute', title: 'Approve', verb: 'approval.approve', data: { approvalId: 'ap1' } },
    { type: 'Action.Execute', title: 'Reject', verb: 'approval.reject', data: { approvalId: 'ap1' } },
  ],
};

describe('rendering Adaptive Cards as text', () => {
  it('when a card has text, facts, code and a table, then each is rendered in order and hidden elements are left out', () => {
    const { lines } = renderAdaptiveCard(approvalCard);
    expect(lines).toEqual([
      'Approve this change?',
      'Rows: 3',
      'Table: main.retail.orders',
      '```SQL',
      'UPDATE orders',
      'SET status = 1',
      '```',
      'region | n ',
      '-------+---',
      'West   | 12',
    ]);
  });

  it('when a card has nested and top-level actions, then every button is listed with its verb and data', () => {
    const { buttons } = renderAdaptiveCard(approvalCard);
    expect(buttons.map((b) => [b.title, b.type, b.verb])).toEqual([
      ['Docs', 'Action.OpenUrl', undefined],
      ['Approve', 'Action.Execute', 'approval.approve'],
      ['Reject', 'Action.Execute', 'approval.reject'],
    ]);
    expect(buttons[1]?.data).toEqual({ approvalId: 'ap1' });
  });

  it('when an activity has mention tags and an OAuthCard, then the text reads as a person sees it with a sign-in button', () => {
    const rendered = renderActivity({
      type: 'message',
      text: '<at>Data Agent</at> hello',
      attachments: [{ contentType: 'application/vnd.microsoft.card.oauth', content: { text: 'Please sign in', buttons: [{ type: 'signin', title: 'Sign in', value: 'https://x' }] } }],
    });
    expect(rendered.lines).toEqual(['@Data Agent hello', '[sign-in] Please sign in']);
    expect(rendered.buttons[0]?.title).toBe('Sign in');
  });

  it('when markup is in a message, then plainText drops the tags', () => {
    expect(plainText('<b>bold</b> and <at>Bot</at>')).toBe('bold and @Bot');
    expect(activityText({ type: 'message', text: 'a\nb' })).toBe('a\nb');
  });
});

describe('revealing hidden elements', () => {
  it('when Show SQL toggles a hidden container, then its text can be revealed by id', () => {
    const card = {
      type: 'AdaptiveCard',
      body: [{ type: 'Container', id: 'sqlBlock', isVisible: false, items: [{ type: 'TextBlock', text: 'SELECT 1' }] }],
      actions: [{ type: 'Action.ToggleVisibility', title: 'Show SQL', targetElements: ['sqlBlock'] }],
    };
    expect(renderAdaptiveCard(card).lines).toEqual([]);
    expect(renderAdaptiveCard(card).buttons[0]?.targets).toEqual(['sqlBlock']);
    expect(elementsText(card, ['sqlBlock'])).toEqual(['SELECT 1']);
  });
});
