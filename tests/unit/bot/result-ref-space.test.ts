import { resultRefOf } from '../../../bot/routes/card-data';

const base = { resultId: 'r-1', askerOid: 'oid-1', askerName: 'Carol', conversationId: 'c-1', messageId: 'm-1', attachmentId: 'a-1' };

describe('result card data: the optional space id', () => {
  test('when a card names its space, then the ref carries it; an old card without one has none (the default space is used)', () => {
    expect(resultRefOf({ ...base, spaceId: '01ef00000000000000000000000000e2' })).toEqual({ ok: true, value: { ...base, spaceId: '01ef00000000000000000000000000e2' } });
    const old = resultRefOf(base);
    expect(old.ok && 'spaceId' in old.value).toBe(false);
  });

  test.each([['a number', 42], ['a path', '../spaces/x'], ['empty', ''], ['null', null], ['too long', 'x'.repeat(201)]])('when the space id is %s, then the action is refused with a clear message', (_name, spaceId) => {
    expect(resultRefOf({ ...base, spaceId })).toEqual({ ok: false, message: 'The card action has no valid "spaceId".' });
  });
});
