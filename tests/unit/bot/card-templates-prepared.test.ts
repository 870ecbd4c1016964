import { Template } from 'adaptivecards-templating';
import { expand } from '../../../bot/present/expand';
import resultTemplate from '../../../bot/present/templates/result.json';
import approvalTemplate from '../../../bot/present/templates/approval.json';

describe('card templates are prepared once', () => {
  afterEach(() => jest.restoreAllMocks());

  it('when one template is expanded for many turns, then it is parsed once and every card matches a freshly parsed template', () => {
    const local = { type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock', text: '${title}' }, { type: 'TextBlock', $when: '${show}', text: 'shown' }, { type: 'TextBlock', $data: '${items}', text: '${name}' }] };
    const prepare = jest.spyOn(Template as unknown as { prepare: (node: unknown) => unknown }, 'prepare');
    const inputs = [
      { title: 'first', show: true, items: [{ name: 'a' }, { name: 'b' }] },
      { title: 'second', show: false, items: [] },
      { title: 'third', show: true, items: [{ name: 'c' }] },
    ];
    const cards = inputs.map((data) => expand(local, data));
    const topLevelPrepares = prepare.mock.calls.filter(([node]) => node === local).length;
    prepare.mockRestore();

    expect(topLevelPrepares).toBe(1);
    expect(JSON.stringify(cards[0])).toContain('first');
    expect(JSON.stringify(cards[1])).not.toContain('shown');
    expect(JSON.stringify(cards[1])).not.toContain('first');
    expect(JSON.stringify(cards[2])).toContain('"c"');
    expect(JSON.stringify(cards[2])).not.toContain('"a"');
  });

  it('when the bundled result and approval templates are expanded twice with other data, then each card equals the expansion of a freshly parsed copy', () => {
    for (const [template, a, b] of [
      [resultTemplate, { title: 'Sales', text: 'West leads' }, { title: 'Headcount', text: 'HR only' }],
      [approvalTemplate, { sql: 'UPDATE a SET b = 1', status: 'pending' }, { sql: 'DELETE FROM c', status: 'approved' }],
    ] as const) {
      expand(template, a);
      const second = expand(template, b);
      expect(JSON.stringify(second)).toBe(JSON.stringify(expand(template, b)));
      expect(JSON.stringify(second)).not.toContain(Object.values(a)[0] as string);
      expect(second).toEqual(expand(JSON.parse(JSON.stringify(template)) as object, b));
    }
  });
});
