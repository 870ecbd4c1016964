import { ALICE, BOB, TENANT, buildCardAction } from '../../fakes/bot-activities';
import { createBotHarness } from '../../fakes/bot-harness';
import { buildApproval } from '../../fakes/bot-ports';
import { AppError, type ErrorCode } from '../../../src/errors';

type Body = { statusCode: number; type: string; value: Record<string, unknown> | string };

const json = (value: unknown): string => JSON.stringify(value ?? null);
const aliceToken = `sso:${TENANT}:${ALICE.oid}`;

/** The same Approve click, re-sent by Teams with the SSO token it got for our `loginRequest`. */
function approveWithToken(token: string, options: Parameters<typeof buildCardAction>[2] = {}) {
  const click = buildCardAction('approval.approve', { approvalId: 'appr-1' }, options);
  return { ...click, value: { ...(click.value as object), authentication: { id: 'x', connectionName: '', token } } };
}

function refusedFor(code: ErrorCode) {
  return async () => ({ kind: 'refused' as const, approval: buildApproval(), code });
}

describe('approve click when the requester must sign in again', () => {
  it.each<ErrorCode>(['AUTH.SIGN_IN_REQUIRED', 'AUTH.INTERACTION_REQUIRED', 'AUTH.ASSERTION_EXPIRED'])(
    'when the requester clicks and decide says %s, then the invoke answers a loginRequest for Teams SSO and the card is left alone',
    async (code) => {
      const h = createBotHarness({ signedIn: [ALICE.oid] });
      h.agents.onDecide = refusedFor(code);
      const response = await h.send(buildCardAction('approval.approve', { approvalId: 'appr-1' }));
      const body = response?.body as Body;
      expect(response?.status).toBe(200);
      expect(body.statusCode).toBe(401);
      expect(body.type).toBe('application/vnd.microsoft.activity.loginRequest');
      expect(body.value).toMatchObject({ tokenExchangeResource: { id: expect.stringContaining(ALICE.oid), uri: expect.any(String) }, buttons: [{ type: 'signin' }] });
      expect(h.adapter.updated).toHaveLength(0);
    },
  );

  it('when an approved change is being settled after a crash and the requester must sign in, then they get a loginRequest too (nothing ran)', async () => {
    const h = createBotHarness({ signedIn: [ALICE.oid] });
    h.agents.onDecide = async () => ({ kind: 'refused', approval: buildApproval({ status: 'approved' }), code: 'AUTH.SIGN_IN_REQUIRED' });
    const response = await h.send(buildCardAction('approval.approve', { approvalId: 'appr-1' }));
    expect((response?.body as Body).type).toBe('application/vnd.microsoft.activity.loginRequest');
  });

  it('when an approver clicks an approved change being settled and the requester must sign in, then they read that it has not run yet', async () => {
    const h = createBotHarness();
    h.agents.onDecide = async () => ({ kind: 'refused', approval: buildApproval({ status: 'approved' }), code: 'AUTH.SIGN_IN_REQUIRED' });
    const response = await h.send(buildCardAction('approval.approve', { approvalId: 'appr-1' }, { from: BOB, where: 'groupChat' }));
    expect(json(response?.body)).toContain('Alice Wong has to sign in to me again before this change can run as them. The change has not run yet.');
  });

  it('when Teams re-sends the click with an SSO token, then the clicker is signed in before the decision runs', async () => {
    const h = createBotHarness();
    h.agents.onDecide = async (ctx) => {
      expect(await h.identity.hasSession(ctx.user)).toBe(true);
      return { kind: 'executed', approval: buildApproval({ status: 'executed', rowsAffected: 1 }) };
    };
    const response = await h.send(approveWithToken(aliceToken));
    expect(h.identity.signIns).toEqual([`${TENANT}:${ALICE.oid}`]);
    expect(json(response?.body)).toContain('Done: 1 row changed');
  });

  it('when the re-sent click still cannot get a token, then there is no second loginRequest: the card stays pending with the reason', async () => {
    const h = createBotHarness();
    h.agents.onDecide = refusedFor('AUTH.INTERACTION_REQUIRED');
    const response = await h.send(approveWithToken(aliceToken));
    const body = response?.body as Body;
    expect(body.type).toBe('application/vnd.microsoft.card.adaptive');
    expect(json(body)).toContain('additional verification');
    expect(json(body)).toContain('still waiting for approval');
    expect(json(body)).toContain('approval.approve');
  });

  it('when the token Teams attached belongs to someone else, then nothing is decided and the clicker is told', async () => {
    const h = createBotHarness();
    const response = await h.send(approveWithToken(`sso:${TENANT}:${BOB.oid}`));
    expect(h.agents.decisions).toHaveLength(0);
    expect(h.identity.signIns).toHaveLength(0);
    expect(json(response?.body)).toContain('different account');
  });

  it('when the OBO for the attached token fails (MFA), then nothing is decided and the clicker gets the message with a reference', async () => {
    const h = createBotHarness();
    h.identity.signInError = new AppError('AUTH.INTERACTION_REQUIRED', 'AADSTS50076');
    const response = await h.send(approveWithToken(aliceToken));
    expect(h.agents.decisions).toHaveLength(0);
    expect(json(response?.body)).toMatch(/additional verification.*reference [0-9a-f-]{36}/);
  });

  it('when consent is missing, then no loginRequest (signing in cannot fix it): the card stays pending with the admin-consent message', async () => {
    const h = createBotHarness();
    h.agents.onDecide = refusedFor('AUTH.CONSENT_REQUIRED');
    const response = await h.send(buildCardAction('approval.approve', { approvalId: 'appr-1' }));
    const body = response?.body as Body;
    expect(body.type).toBe('application/vnd.microsoft.card.adaptive');
    expect(json(body)).toContain('administrator must grant consent');
  });

  it('when an approver clicks but the requester must sign in, then the approver is told who has to sign in, without a loginRequest', async () => {
    const h = createBotHarness();
    h.agents.onDecide = refusedFor('AUTH.SIGN_IN_REQUIRED');
    const response = await h.send(buildCardAction('approval.approve', { approvalId: 'appr-1' }, { from: BOB, where: 'groupChat' }));
    const body = response?.body as Body;
    expect(body.type).toBe('application/vnd.microsoft.card.adaptive');
    expect(json(body)).toContain('Alice Wong has to sign in to me again');
  });

  it('when the refusal comes after the invoke budget, then the requester gets a sign-in card in the chat and the shared card stays pending', async () => {
    const h = createBotHarness({ invokeBudgetMs: 20 });
    let finish: () => void = () => undefined;
    h.agents.onDecide = () => new Promise((resolve) => (finish = () => resolve({ kind: 'refused', approval: buildApproval(), code: 'AUTH.SIGN_IN_REQUIRED' })));
    h.agents.approvals.set('appr-1', buildApproval());
    await h.deliver(buildCardAction('approval.approve', { approvalId: 'appr-1' }));
    finish();
    await h.settle();
    expect(json(h.adapter.updated.at(-1))).toContain('still waiting for approval');
    expect(json(h.adapter.sent)).toContain('application/vnd.microsoft.card.oauth');
  });
});
