import { createApproverCheck } from '../../../src/agents';
import { AppError, isAppError } from '../../../src/errors';

const carol = { tenantId: 't', objectId: 'carol', name: 'Carol' };
const groups: Record<string, string[]> = { carol: ['g-approvers', 'g-admins'], bob: ['g-analysts'] };
const membership = async (u: { objectId: string }, groupId: string) => (groups[u.objectId] ?? []).includes(groupId);

async function failureOf(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  if (!isAppError(error)) throw new Error(`expected an AppError, got ${String(error)}`);
  return error;
}

describe('createApproverCheck', () => {
  it('when the person is in the approvers group, then they are an approver', async () => {
    expect(await createApproverCheck('g-approvers', membership)(carol)).toBe(true);
  });

  it('when the person is not in the group, then they are not an approver', async () => {
    expect(await createApproverCheck('g-approvers', membership)({ ...carol, objectId: 'bob' })).toBe(false);
  });

  it('when no approvers group is configured, then nobody is an approver and the directory is not asked', async () => {
    const asked = jest.fn(membership);
    expect(await createApproverCheck(undefined, asked)(carol)).toBe(false);
    expect(asked).not.toHaveBeenCalled();
  });

  it('when the lookup fails with a coded error, then it is refused as unverified with that code as the reason', async () => {
    const check = createApproverCheck('g-approvers', async () => {
      throw new AppError('DIRECTORY.UNAVAILABLE', 'Graph answered 503', { details: { status: 503 } });
    });
    const error = await failureOf(check(carol));
    expect(error.code).toBe('APPROVAL.MEMBERSHIP_UNVERIFIED');
    expect(error.details).toMatchObject({ reason: 'DIRECTORY.UNAVAILABLE', status: 503 });
  });

  it('when the lookup fails with anything else, then it is still unverified, never an answer', async () => {
    const check = createApproverCheck('g-approvers', async () => {
      throw new TypeError('fetch failed');
    });
    const error = await failureOf(check(carol));
    expect(error.code).toBe('APPROVAL.MEMBERSHIP_UNVERIFIED');
    expect(error.details.reason).toBe('INTERNAL.UNEXPECTED');
  });
});
