import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Template } from 'adaptivecards-templating';
import { renderApprovalCard } from '../../../bot/present/approval-card';
import { CARD_TEMPLATES, prepareCardTemplates } from '../../../bot/present/templates';
import { buildApproval } from '../../fakes/bot-ports';

/** Its own file: a fresh module registry, so no other test has prepared a template before this one. */
describe('card templates prepared at start-up', () => {
  it('when the bot starts, then every bundled template is prepared, and the first card rendered afterwards parses nothing', () => {
    const dir = join(__dirname, '../../../bot/present/templates');
    const bundled = readdirSync(dir).filter((f) => f.endsWith('.json')).map((f) => JSON.stringify(JSON.parse(readFileSync(join(dir, f), 'utf8'))));
    expect(CARD_TEMPLATES.map((t) => JSON.stringify(t)).sort()).toEqual(bundled.sort());

    prepareCardTemplates();
    const prepare = jest.spyOn(Template as unknown as { prepare: (node: unknown) => unknown }, 'prepare');
    const card = renderApprovalCard({ approval: buildApproval(), viewer: 'actor', refreshUserIds: [] });
    expect(JSON.stringify(card)).toContain('UPDATE sales.orders');
    expect(prepare).not.toHaveBeenCalled();
  });
});
