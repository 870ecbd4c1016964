import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ALICE, BOB, GROUP_CHAT_ID, buildCardAction, buildInvoke, buildMessage } from '../../fakes/bot-activities';
import { createBotHarness } from '../../fakes/bot-harness';
import { buildApproval, buildGenieAnswer } from '../../fakes/bot-ports';
import { AppError } from '../../../src/errors';

type CardBody = { type: string; value: unknown; statusCode: number };

function json(value: unknown): string {
  return JSON.stringify(value ?? null);
}

/** Posts a Genie answer in a group chat as Alice and returns the result ref the card carries. */
async function groupResult(h: ReturnType<typeof createBotHarness>): Promise<Record<string, unknown>> {
  h.agents.onMessage = async () => ({ kind: 'genie', answer: buildGenieAnswer() });
  await h.send(buildMessage('sales by region', { where: 'groupChat' }));
  const card = h.adapter.updated.at(-1)?.attachments?.[0]?.content as { refresh: { action: { data: Record<string, unknown> } } };
  return card.refresh.action.data;
}

describe('approval card actions', () => {
  it('when the requester approves, then agents.decide runs as the clicker and the card is updated in place for everyone', async () => {
    const h = createBotHarness({ signedIn: [ALICE.oid] });
    h.agents.approvals.set('appr-1', buildApproval());
    const response = await h.send(buildCardAction('approval.approve', { approvalId: 'appr-1' }, { where: 'groupChat' }));
    expect(h.agents.decisions).toEqual([{ user: ALICE.oid, approvalId: 'appr-1', decision: 'approve' }]);
    expect(response?.status).toBe(200);
    expect((response?.body as CardBody).type).toBe('application/vnd.microsoft.card.adaptive');
    expect(h.adapter.updated[0]?.id).toBe('card-1');
    expect(json(h.adapter.updated[0])).toContain('Done: 1 row changed');
    expect(json(h.adapter.updated[0])).not.toContain('approval.approve');
  });

  it('when the change runs longer than the invoke budget, then "running" is answered at once and the card is updated when it finishes', async () => {
    const h = createBotHarness({ invokeBudgetMs: 50 });
    const approval = buildApproval();
    h.agents.approvals.set('appr-1', approval);
    let finish: () => void = () => undefined;
    h.agents.onDecide = () => new Promise((resolve) => (finish = () => resolve({ kind: 'executed', approval: { ...approval, status: 'executed', rowsAffected: 3 } })));
    const started = Date.now();
    const response = await h.deliver(buildCardAction('approval.approve', { approvalId: 'appr-1' }));
    expect(Date.now() - started).toBeLessThan(2000);
    expect(json(response?.body)).toContain('Running the change');
    expect(h.adapter.updated).toHaveLength(0);
    finish();
    await h.settle();
    expect(h.adapter.updated.at(-1)?.id).toBe('card-1');
    expect(json(h.adapter.updated.at(-1))).toContain('Done: 3 rows changed');
  });

  it('when a late or duplicate click arrives, then the clicker gets the "already decided" card', async () => {
    const h = createBotHarness();
    const decided = buildApproval({ status: 'executed', rowsAffected: 1, decidedBy: { tenantId: 't', objectId: ALICE.oid, name: 'Alice Wong' } });
    h.agents.onDecide = async () => ({ kind: 'refused', approval: decided, code: 'APPROVAL.ALREADY_DECIDED' });
    const response = await h.send(buildCardAction('approval.approve', { approvalId: 'appr-1' }));
    expect(json(response?.body)).toContain('already been decided');
    expect(json(response?.body)).not.toContain('approval.approve');
  });

  it('when someone other than the requester clicks, then they get a read-only view and the chat card is left alone', async () => {
    const h = createBotHarness();
    h.agents.onDecide = async () => ({ kind: 'refused', approval: buildApproval(), code: 'APPROVAL.NOT_REQUESTER' });
    const response = await h.send(buildCardAction('approval.approve', { approvalId: 'appr-1' }, { from: BOB, where: 'groupChat' }));
    expect(h.agents.decisions[0]?.user).toBe(BOB.oid);
    expect(json(response?.body)).toContain('Only the person who asked');
    expect(json(response?.body)).not.toContain('approval.approve');
    expect(h.adapter.updated).toHaveLength(0);
  });

  it('when the requester refreshes, then they see Approve and Reject; when another member refreshes, then they see a read-only view', async () => {
    const h = createBotHarness();
    h.agents.approvals.set('appr-1', buildApproval({ conversationId: GROUP_CHAT_ID }));
    const mine = await h.send(buildCardAction('approval.refresh', { approvalId: 'appr-1' }, { where: 'groupChat' }));
    expect(json(mine?.body)).toContain('approval.approve');
    const theirs = await h.send(buildCardAction('approval.refresh', { approvalId: 'appr-1' }, { where: 'groupChat', from: BOB }));
    expect(json(theirs?.body)).not.toContain('approval.approve');
    expect(json(theirs?.body)).toContain('UPDATE sales.orders');
  });

  it('when the decision fails with an AppError, then the clicker gets the message with a reference id', async () => {
    const h = createBotHarness();
    h.agents.onDecide = async () => {
      throw new AppError('STORAGE.UNAVAILABLE', 'cosmos down');
    };
    const response = await h.send(buildCardAction('approval.reject', { approvalId: 'appr-1' }));
    expect((response?.body as CardBody).type).toBe('application/vnd.microsoft.activity.message');
    expect(json(response?.body)).toMatch(/storage is not answering.*reference [0-9a-f-]{36}/);
  });
});

describe('result card actions', () => {
  it('when the asker refreshes the user-specific card, then they get the rows; when another member does, then no rows', async () => {
    const h = createBotHarness({ signedIn: [ALICE.oid] });
    const ref = await groupResult(h);
    const mine = await h.send(buildCardAction('result.refresh', ref, { where: 'groupChat' }));
    expect(json(mine?.body)).toContain('west');
    expect(json(mine?.body)).toContain('Chart.VerticalBar');
    expect(json(mine?.body)).toContain('result.share');
    const theirs = await h.send(buildCardAction('result.refresh', ref, { where: 'groupChat', from: BOB }));
    expect(json(theirs?.body)).not.toContain('west');
    expect(h.databricks.calls).toEqual([]);
  });

  it('when a member edits the card data to claim to be the asker, then their own identity still decides', async () => {
    const h = createBotHarness({ signedIn: [ALICE.oid] });
    const ref = await groupResult(h);
    const forged = await h.send(buildCardAction('result.refresh', { ...ref, askerOid: BOB.oid }, { where: 'groupChat', from: BOB }));
    expect(json(forged?.body)).not.toContain('West sold');
    expect(h.databricks.calls.every((c) => c.asUser === BOB.oid)).toBe(true);
  });

  it('when the answer is not cached on this instance, then the rows are re-read from Genie as the asker', async () => {
    const h = createBotHarness({ signedIn: [ALICE.oid] });
    const ref = await groupResult(h);
    const response = await h.send(buildCardAction('result.refresh', { ...ref, resultId: 'other-instance' }, { where: 'groupChat' }));
    expect(h.databricks.calls).toEqual([{ op: 'getMessage', asUser: ALICE.oid, args: ['conv-1', 'msg-1'] }]);
    expect(json(response?.body)).toContain('east');
  });

  it('when the asker shares the result, then the card is updated for everyone with the rows; others cannot share', async () => {
    const h = createBotHarness({ signedIn: [ALICE.oid] });
    const ref = await groupResult(h);
    const denied = await h.send(buildCardAction('result.share', ref, { where: 'groupChat', from: BOB }));
    expect(json(denied?.body)).toContain('Only Alice Wong can share');
    h.adapter.clear();
    await h.send(buildCardAction('result.share', ref, { where: 'groupChat' }));
    expect(h.adapter.updated[0]?.id).toBe('card-1');
    expect(json(h.adapter.updated[0])).toContain('west');
    expect(json(h.adapter.updated[0])).not.toContain('result.refresh');
  });

  it('when the asker rates an answer, then Genie feedback is sent as them; another member is refused', async () => {
    const h = createBotHarness({ signedIn: [ALICE.oid] });
    const ref = await groupResult(h);
    const ok = await h.send(buildCardAction('result.feedback', { ...ref, rating: 'POSITIVE' }, { where: 'groupChat' }));
    expect(json(ok?.body)).toContain('Thanks');
    expect(h.databricks.calls).toEqual([{ op: 'sendFeedback', asUser: ALICE.oid, args: ['conv-1', 'msg-1', 'POSITIVE'] }]);
    const refused = await h.send(buildCardAction('result.feedback', { ...ref, rating: 'NEGATIVE' }, { where: 'groupChat', from: BOB }));
    expect(json(refused?.body)).toContain('Only Alice Wong');
    expect(h.databricks.calls).toHaveLength(1);
  });

  it('when the asker exports from a group chat, then a file-consent card carrying ids only goes to their 1:1 chat', async () => {
    const h = createBotHarness({ signedIn: [ALICE.oid] });
    const ref = await groupResult(h);
    h.adapter.clear();
    const response = await h.send(buildCardAction('result.export', ref, { where: 'groupChat' }));
    expect(json(response?.body)).toContain('1:1 chat');
    expect(h.adapter.createdConversations[0]?.members?.[0]?.aadObjectId).toBe(ALICE.oid);
    const sent = h.adapter.sent[0];
    expect(sent?.conversation?.id).toBe(`personal-${ALICE.mri}`);
    const consent = sent?.attachments?.[0];
    expect(consent?.contentType).toBe('application/vnd.microsoft.teams.card.file.consent');
    const content = consent?.content as { sizeInBytes: number; acceptContext: Record<string, unknown> };
    expect(content.sizeInBytes).toBe(Buffer.byteLength('region,sales\r\nwest,10\r\neast,20\r\n'));
    expect(content.acceptContext).toEqual(ref);
    expect(json(consent)).not.toContain('west');
  });

  it('when the asker accepts the file consent, then the CSV is uploaded as them and a file card is sent; anyone else is refused', async () => {
    const uploads: { range: string | undefined; body: string }[] = [];
    const server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString('utf8')));
      req.on('end', () => {
        uploads.push({ range: req.headers['content-range'], body });
        res.writeHead(201);
        res.end('{}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const uploadUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/upload`;
    try {
      const h = createBotHarness({ signedIn: [ALICE.oid] });
      const ref = await groupResult(h);
      const uploadInfo = { uploadUrl, contentUrl: 'https://onedrive.example/result.csv', name: 'query-result.csv', uniqueId: 'u-1', fileType: 'csv' };
      const refused = await h.send(buildInvoke('fileConsent/invoke', { type: 'fileUpload', action: 'accept', context: ref, uploadInfo }, { from: BOB }));
      expect(refused?.status).toBe(400);
      expect(uploads).toEqual([]);
      h.adapter.clear();
      const accepted = await h.send(buildInvoke('fileConsent/invoke', { type: 'fileUpload', action: 'accept', context: ref, uploadInfo }));
      expect(accepted?.status).toBe(200);
      expect(uploads).toEqual([{ range: 'bytes 0-31/32', body: 'region,sales\r\nwest,10\r\neast,20\r\n' }]);
      expect(h.databricks.calls.at(-1)).toEqual({ op: 'download', asUser: ALICE.oid, args: ['conv-1', 'msg-1', 'att-1'] });
      expect(h.adapter.sent.at(-1)?.attachments?.[0]).toMatchObject({ contentType: 'application/vnd.microsoft.teams.card.file.info', name: 'query-result.csv' });
      const declined = await h.send(buildInvoke('fileConsent/invoke', { type: 'fileUpload', action: 'decline', context: ref }));
      expect(declined?.status).toBe(200);
      expect(h.adapter.sent.at(-1)?.text).toContain('will not upload');
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('when a follow-up button is clicked, then the question runs as the clicker', async () => {
    const h = createBotHarness({ signedIn: [BOB.oid] });
    const response = await h.send(buildCardAction('result.followup', { question: 'Sales by month?' }, { where: 'groupChat', from: BOB }));
    expect(json(response?.body)).toContain('Asking: Sales by month?');
    expect(h.agents.messages).toEqual([expect.objectContaining({ user: BOB.oid, text: 'Sales by month?' })]);
  });
});

describe('bad card actions and invokes', () => {
  it('when the verb is unknown, then a 400 card error names it', async () => {
    const h = createBotHarness();
    const response = await h.send(buildCardAction('approval.hack', { approvalId: 'x' }));
    expect(response).toEqual({ status: 200, body: { statusCode: 400, type: 'application/vnd.microsoft.error', value: { code: 'BadRequest', message: 'Unknown card action "approval.hack".' } } });
  });

  it.each([
    ['not an object', 'appr-1'],
    ['an array', ['appr-1']],
    ['missing the id', {}],
    ['an id with odd characters', { approvalId: "x' OR 1=1" }],
    ['oversized', { approvalId: 'appr-1', pad: 'x'.repeat(10_000) }],
  ])('when the card data is %s, then a 400 card error is answered and nothing runs', async (_label, data) => {
    const h = createBotHarness();
    const response = await h.send(buildCardAction('approval.approve', data));
    expect((response?.body as CardBody).statusCode).toBe(400);
    expect(h.agents.decisions).toEqual([]);
  });

  it('when an invoke name is unknown, then it answers 501 with a clear message', async () => {
    const h = createBotHarness();
    const response = await h.send(buildInvoke('task/fetch', {}));
    expect(response).toEqual({ status: 501, body: { code: 'NotImplemented', message: 'This bot does not handle the "task/fetch" invoke.' } });
  });

  it('when a card action has no action object, then it answers a 400 card error', async () => {
    const h = createBotHarness();
    const response = await h.send(buildInvoke('adaptiveCard/action', { nope: true }));
    expect((response?.body as CardBody).statusCode).toBe(400);
  });

  it('when an activity lacks the user object id, then the user is told the request was not understood', async () => {
    const h = createBotHarness();
    const activity = buildMessage('hi');
    await h.send({ ...activity, from: { id: '29:x', name: 'X' } });
    expect(json(h.adapter.cards()[0])).toContain('could not be understood');
  });
});
