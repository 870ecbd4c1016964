import type { Activity } from 'botbuilder';
import type { Principal } from '../../../src/approvals/record';
import { ALICE, BOB, BOT_ID, GROUP_CHAT_ID, TENANT, buildCardAction, buildMessage, type Person } from '../../fakes/bot-activities';
import { createBotHarness, type BotHarness } from '../../fakes/bot-harness';
import { InMemoryApprovalIndex } from '../../fakes/in-memory-approval-index';
import { InMemoryApprovals } from '../../fakes/in-memory-approvals';
import { InMemoryAuditLog } from '../../fakes/in-memory-audit';
import { instantsWithTie, seedRequests } from '../../fakes/seeded-requests';

const VERB = 'requests.older';
const principal = (p: Person): Principal => ({ tenantId: TENANT, objectId: p.oid, name: p.name });

type Card = { body?: { type: string; items?: { text?: string }[] }[]; actions?: { type: string; title: string; verb: string; data: Record<string, unknown> }[] };

function harness(): BotHarness {
  const h = createBotHarness({ signedIn: [ALICE.oid, BOB.oid] });
  const approvals = new InMemoryApprovals();
  const index = new InMemoryApprovalIndex();
  h.deps.approvalReach = {
    approvals, index, audit: new InMemoryAuditLog(), isApprover: async () => false, approversChannelId: undefined, botId: `28:${BOT_ID}`, now: () => new Date(),
    references: { remember: async () => undefined, personal: async () => [], channel: async () => undefined },
  };
  return h;
}

async function seed(h: BotHarness, who: Person, count: number, first: number, start = '2026-11-01T09:00:00.000Z'): Promise<string[]> {
  const reach = h.deps.approvalReach!;
  const created = await seedRequests(reach.approvals as InMemoryApprovals, reach.index as InMemoryApprovalIndex, principal(who), instantsWithTie(new Date(start), count, 8, 7), first);
  return created.map((r) => r.sql);
}

const cardsOf = (a: Partial<Activity> | undefined): Card[] => (a?.attachments ?? []).map((x) => x.content as Card);
/** The SQL on each read-only request card of a listing activity, in order. */
const sqlOf = (a: Partial<Activity> | undefined): string[] => cardsOf(a).flatMap((c) => (c.body ?? []).filter((b) => b.type === 'Container').map((b) => b.items?.[0]?.text ?? ''));
const olderButton = (a: Partial<Activity> | undefined) => cardsOf(a).flatMap((c) => c.actions ?? []).find((x) => x.verb === VERB);

describe('requests: Show older requests', () => {
  it('when alice pages back from her listing, then she sees 10, 10 and then 3, with no overlap and no gap, and the last page has no button', async () => {
    const h = harness();
    const all = await seed(h, ALICE, 23, 1000);
    await h.send(buildMessage('requests'));
    const [summary, list] = h.adapter.sent;
    expect(summary?.text).toContain('Your change requests, newest first (10, older ones with "Show older requests" below)');
    expect(sqlOf(list)).toHaveLength(10);
    const button = olderButton(list);
    expect(button?.title).toBe('Show older requests');
    expect(Object.keys(button?.data ?? {}).sort()).toEqual(['olderThan', 'olderThanId']);
    expect(JSON.stringify(button?.data)).not.toContain(ALICE.oid);

    const seen = [...sqlOf(list)];
    let data = button?.data;
    for (const expected of [10, 3]) {
      h.adapter.clear();
      const response = await h.send(buildCardAction(VERB, data));
      expect(response).toEqual({ status: 200, body: { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: 'Listing your older requests…' } });
      const [olderSummary, olderList] = h.adapter.sent;
      expect(olderSummary?.text).toMatch(new RegExp(`^Your older change requests, newest first \\(${expected}`));
      expect(olderList?.conversation?.id).toBe(`a:personal-${ALICE.oid}`);
      expect(sqlOf(olderList)).toHaveLength(expected);
      seen.push(...sqlOf(olderList));
      data = olderButton(olderList)?.data;
    }
    expect(data).toBeUndefined();
    expect(seen).toEqual(all);
  });

  it('when bob clicks alice’s button (data forged to name her), then he sees only his own older requests', async () => {
    const h = harness();
    const alices = await seed(h, ALICE, 15, 1000);
    const bobs = await seed(h, BOB, 15, 2000, '2026-11-01T09:00:30.000Z');
    await h.send(buildMessage('requests'));
    const data = { ...olderButton(h.adapter.sent[1])?.data, userObjectId: ALICE.oid, requester: { tenantId: TENANT, objectId: ALICE.oid } };
    h.adapter.clear();
    await h.send(buildCardAction(VERB, data, { from: BOB }));
    const shown = sqlOf(h.adapter.sent[1]);
    expect(shown.length).toBeGreaterThan(0);
    expect(shown.every((sql) => bobs.includes(sql))).toBe(true);
    expect(shown.some((sql) => alices.includes(sql))).toBe(false);
    expect(JSON.stringify(h.adapter.sent)).not.toContain('order_id = 10');
  });

  it('when the click comes from a group chat, then the older page goes to the clicker’s 1:1 chat and the group chat gets nothing of it', async () => {
    const h = harness();
    await seed(h, ALICE, 15, 1000);
    await h.send(buildMessage('requests'));
    const data = olderButton(h.adapter.sent[1])?.data;
    h.adapter.clear();
    const response = await h.send(buildCardAction(VERB, data, { where: 'groupChat' }));
    expect(JSON.stringify(response?.body)).toContain('I am sending your older requests to our 1:1 chat');
    expect(h.adapter.createdConversations.map((c) => c.members?.[0]?.id)).toEqual([ALICE.mri]);
    expect(h.adapter.sent.length).toBeGreaterThan(0);
    expect(h.adapter.sent.every((a) => a.conversation?.id !== GROUP_CHAT_ID)).toBe(true);
    expect(sqlOf(h.adapter.sent[1])).toHaveLength(5);
  });

  const TIME = 'The card action has no valid "olderThan".';
  const ID = 'The card action has no valid "olderThanId".';
  it.each([
    ['no cursor', {}, TIME],
    ['a numeric time', { olderThan: 1764583380000, olderThanId: 'AbCdEfGhIjKlMnOpQrStUv_-' }, TIME],
    ['a time that is no date', { olderThan: '2026-02-30T10:00:00.000Z', olderThanId: 'AbCdEfGhIjKlMnOpQrStUv_-' }, TIME],
    ['an id with a quote', { olderThan: '2026-11-01T10:00:00.000Z', olderThanId: "x' OR c.key != ''" }, ID],
    ['an oversized id', { olderThan: '2026-11-01T10:00:00.000Z', olderThanId: 'A'.repeat(3000) }, ID],
    ['more than 4 KB', { olderThan: '2026-11-01T10:00:00.000Z', olderThanId: 'AbCdEfGhIjKlMnOpQrStUv_-', padding: 'x'.repeat(5000) }, 'The card action data is too large (5094 bytes).'],
  ])('when the card data has %s, then the click is answered 400 with the reason and nothing is listed', async (_name, data, message) => {
    const h = harness();
    await seed(h, ALICE, 15, 1000);
    const response = await h.send(buildCardAction(VERB, data));
    expect(response?.status).toBe(200);
    expect(response?.body).toEqual({ statusCode: 400, type: 'application/vnd.microsoft.error', value: { code: 'BadRequest', message } });
    expect(h.adapter.sent).toEqual([]);
  });
});
