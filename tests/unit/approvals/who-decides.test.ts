import { decisionRefusal, isRequester, mayCarryOn, mayTryToDecide } from '../../../src/approvals';
import type { Principal } from '../../../src/approvals';

const alice: Principal = { tenantId: 't1', objectId: 'alice', name: 'Alice' };
const carol: Principal = { tenantId: 't1', objectId: 'carol', name: 'Carol' };
const bob: Principal = { tenantId: 't1', objectId: 'bob', name: 'Bob' };
const aliceElsewhere: Principal = { tenantId: 't2', objectId: 'alice', name: 'Alice' };
const small = { requester: alice, requiresApprover: false };
const large = { requester: alice, requiresApprover: true };
const members = new Set(['carol']);
const asked: string[] = [];
const approverCheck = (p: Principal) => async () => {
  asked.push(p.objectId);
  return members.has(p.objectId);
};

describe('who may decide an approval (src/approvals/who-decides.ts)', () => {
  beforeEach(() => asked.splice(0));

  it.each([
    ['small change, requester approves', small, alice, 'approve', undefined],
    ['small change, requester rejects', small, alice, 'reject', undefined],
    ['small change, another person approves', small, bob, 'approve', 'APPROVAL.NOT_REQUESTER'],
    ['small change, a group member approves', small, carol, 'approve', 'APPROVAL.NOT_REQUESTER'],
    ['small change, same object id in another tenant approves', small, aliceElsewhere, 'approve', 'APPROVAL.NOT_REQUESTER'],
    ['four-eyes, requester approves', large, alice, 'approve', 'APPROVAL.APPROVER_REQUIRED'],
    ['four-eyes, requester rejects', large, alice, 'reject', undefined],
    ['four-eyes, a group member approves', large, carol, 'approve', undefined],
    ['four-eyes, a group member rejects', large, carol, 'reject', undefined],
    ['four-eyes, a non-member approves', large, bob, 'approve', 'APPROVAL.APPROVER_REQUIRED'],
    ['four-eyes, a non-member rejects', large, bob, 'reject', 'APPROVAL.APPROVER_REQUIRED'],
  ] as const)('when %s, then the refusal is %s', async (_name, record, caller, decision, expected) => {
    await expect(decisionRefusal(record, caller, decision, approverCheck(caller))).resolves.toBe(expected);
  });

  it('when the answer does not depend on membership, then the directory is not asked', async () => {
    await decisionRefusal(small, alice, 'approve', approverCheck(alice));
    await decisionRefusal(large, alice, 'approve', approverCheck(alice));
    await decisionRefusal(large, alice, 'reject', approverCheck(alice));
    expect(asked).toEqual([]);
  });

  it('when membership cannot be verified, then its error is thrown through unchanged', async () => {
    const unverified = Object.assign(new Error('graph down'), { code: 'APPROVAL.MEMBERSHIP_UNVERIFIED' });
    await expect(decisionRefusal(large, carol, 'approve', async () => Promise.reject(unverified))).rejects.toBe(unverified);
  });

  it('when the tenant differs, then the same object id is not the requester, and is offered no buttons on a small change', () => {
    expect(isRequester(small, alice)).toBe(true);
    expect(isRequester(small, aliceElsewhere)).toBe(false);
    expect(mayTryToDecide(small, aliceElsewhere)).toBe(false);
    expect(mayTryToDecide(small, bob)).toBe(false);
    expect(mayTryToDecide(large, bob)).toBe(true);
  });

  it('when a claimed decision is carried on, then only an approve from the decider or the requester may do it', () => {
    const claimed = { requester: alice, decidedBy: carol };
    expect(mayCarryOn(claimed, 'approved', carol, 'approve')).toBe(true);
    expect(mayCarryOn(claimed, 'executing', alice, 'approve')).toBe(true);
    expect(mayCarryOn(claimed, 'approved', bob, 'approve')).toBe(false);
    expect(mayCarryOn(claimed, 'approved', carol, 'reject')).toBe(false);
    expect(mayCarryOn(claimed, 'pending', carol, 'approve')).toBe(false);
  });
});
