import { CURSOR_FIELDS, cursorCardData, parseRequestsCursor } from '../../../src/agents/requests-cursor';

const ID = 'AbCdEfGhIjKlMnOpQrStUv_-';
const AT = '2026-12-01T10:03:00.000Z';
const data = (createdAt: unknown, id: unknown): Record<string, unknown> => ({ [CURSOR_FIELDS.createdAt]: createdAt, [CURSOR_FIELDS.id]: id });

describe('requests cursor (the "Show older requests" card data)', () => {
  it('when the card data is written from a cursor and read back, then it is the same cursor, and it names no person', () => {
    const written = cursorCardData({ createdAt: AT, id: ID });
    expect(Object.keys(written).sort()).toEqual(['olderThan', 'olderThanId']);
    expect(parseRequestsCursor(written)).toEqual({ ok: true, value: { createdAt: AT, id: ID } });
  });

  it('when the data also carries a user id or anything else, then only the cursor is read', () => {
    expect(parseRequestsCursor({ ...data(AT, ID), userObjectId: 'someone-else', tenantId: 'other', requester: { objectId: 'x' } })).toEqual({ ok: true, value: { createdAt: AT, id: ID } });
  });

  it.each([
    ['missing', undefined],
    ['a number', 1764583380000],
    ['an object', { $date: AT }],
    ['an array', [AT]],
    ['empty', ''],
    ['a date without time', '2026-12-01'],
    ['without milliseconds', '2026-12-01T10:03:00Z'],
    ['with an offset', '2026-12-01T10:03:00.000+01:00'],
    ['with microseconds', '2026-12-01T10:03:00.000000Z'],
    ['not a real day', '2026-02-30T10:03:00.000Z'],
    ['not a real hour', '2026-12-01T24:03:00.000Z'],
    ['padded', ` ${AT}`],
    ['followed by SQL', `${AT}' OR 1=1 --`],
    ['very long', AT + 'x'.repeat(10_000)],
  ])('when the creation time is %s, then the cursor is refused naming the field', (_name, createdAt) => {
    expect(parseRequestsCursor(data(createdAt, ID))).toEqual({ ok: false, message: 'The card action has no valid "olderThan".' });
  });

  it.each([
    ['missing', undefined],
    ['a number', 12345],
    ['null', null],
    ['too short', ID.slice(1)],
    ['too long', `${ID}A`],
    ['with other characters', 'AbCdEfGhIjKlMnOpQrStUv/+'],
    ['a quote', "AbCdEfGhIjKlMnOpQrStU' OR"],
    ['very long', 'A'.repeat(100_000)],
  ])('when the id is %s, then the cursor is refused naming the field', (_name, id) => {
    expect(parseRequestsCursor(data(AT, id))).toEqual({ ok: false, message: 'The card action has no valid "olderThanId".' });
  });
});
