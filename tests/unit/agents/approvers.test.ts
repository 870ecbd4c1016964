import { createApproverCheck } from '../../../src/agents';

const carol = { tenantId: 't', objectId: 'carol', name: 'Carol' };
const groups: Record<string, string[]> = { carol: ['g-approvers', 'g-admins'], bob: ['g-analysts'] };
const groupsOf = async (u: { objectId: string }) => groups[u.objectId] ?? [];

describe('createApproverCheck', () => {
  it('when the person is in the approvers group, then they are an approver', async () => {
    expect(await createApproverCheck('g-approvers', groupsOf)(carol)).toBe(true);
  });

  it('when the person is not in the group, then they are not an approver', async () => {
    expect(await createApproverCheck('g-approvers', groupsOf)({ ...carol, objectId: 'bob' })).toBe(false);
  });

  it('when no approvers group is configured, then nobody is an approver', async () => {
    expect(await createApproverCheck(undefined, groupsOf)(carol)).toBe(false);
  });

  it('when the group lookup fails, then the answer is no and the error is reported', async () => {
    const onError = jest.fn();
    const check = createApproverCheck('g-approvers', async () => { throw new Error('directory down'); }, onError);
    expect(await check(carol)).toBe(false);
    expect(onError).toHaveBeenCalledTimes(1);
  });
});
