import { hasCode } from '../../../src/errors';
import { effectiveStatus, isExpired, sha256Hex, sqlMatchesHash } from '../../../src/approvals/rules';
import { COSMOS_RETRY_OPTIONS } from '../../../src/persistence/cosmos-client';
import { compositeId, itemIdOf } from '../../../src/persistence/item-ids';
import { MAX_ITEM_BYTES, assertItemSize } from '../../../src/persistence/payloads';
import { metadataMatches } from '../../../src/persistence/checkpointer/metadata-filter';

describe('approval expiry', () => {
  const record = { status: 'pending' as const, expiresAt: '2026-11-28T10:30:00.000Z' };

  it('when a pending record is at or past expiresAt, then it is expired; before that it is not', () => {
    expect(isExpired(record, new Date('2026-11-28T10:29:59.999Z'))).toBe(false);
    expect(isExpired(record, new Date('2026-11-28T10:30:00.000Z'))).toBe(true);
    expect(effectiveStatus(record, new Date('2026-11-28T11:00:00.000Z'))).toBe('expired');
  });

  it('when a record is already decided, then expiry does not change its status', () => {
    expect(effectiveStatus({ ...record, status: 'approved' }, new Date('2027-01-01T00:00:00.000Z'))).toBe('approved');
  });

  it('when the SQL changes by one character, then the hash no longer matches', () => {
    const sql = 'DELETE FROM t WHERE id = 1';
    expect(sqlMatchesHash({ sql, sqlSha256: sha256Hex(sql) })).toBe(true);
    expect(sqlMatchesHash({ sql: `${sql} `, sqlSha256: sha256Hex(sql) })).toBe(false);
  });
});

describe('item ids', () => {
  it('when a key is a legal Cosmos id, then it is kept; when it has / \\ ? # or a leading ~, then it is hashed', () => {
    expect(itemIdOf('t-1:alice')).toBe('t-1:alice');
    for (const key of ['a/b', 'a\\b', 'a?b', 'a#b', '~x', 'x'.repeat(300), 'trailing ']) {
      expect(itemIdOf(key)).toMatch(/^~[A-Za-z0-9_-]{43}$/);
    }
    expect(itemIdOf('a/b')).not.toBe(itemIdOf('a/c'));
  });

  it('when parts differ only in how they split, then composite ids differ', () => {
    expect(compositeId('c.', ['a|b', 'c'])).not.toBe(compositeId('c.', ['a', 'b|c']));
    expect(compositeId('c.', ['a', 1])).not.toBe(compositeId('c.', ['a', '1']));
  });
});

describe('item size guard', () => {
  it('when an item would exceed the limit, then STORAGE.TOO_LARGE is thrown before any request', () => {
    let thrown: unknown;
    try {
      assertItemSize({ data: 'x'.repeat(MAX_ITEM_BYTES) }, 'thing');
    } catch (error) {
      thrown = error;
    }
    expect(hasCode(thrown, 'STORAGE.TOO_LARGE')).toBe(true);
    expect(() => assertItemSize({ data: 'x'.repeat(1000) }, 'thing')).not.toThrow();
  });
});

describe('checkpoint metadata filter', () => {
  it('when every filter key deeply equals the metadata value, then it matches', () => {
    const metadata = { source: 'loop', step: 2, parents: { '': 'abc' } };
    expect(metadataMatches(metadata, {})).toBe(true);
    expect(metadataMatches(metadata, { source: 'loop', parents: { '': 'abc' } })).toBe(true);
    expect(metadataMatches(metadata, { source: 'input' })).toBe(false);
    expect(metadataMatches(metadata, { missing: 'x' })).toBe(false);
  });
});

describe('throttling retry configuration', () => {
  it('when 429s arrive, then the SDK honours the service retry-after (no fixed interval), 9 retries within 30 s', () => {
    expect(COSMOS_RETRY_OPTIONS).toEqual({ maxRetryAttemptCount: 9, fixedRetryIntervalInMilliseconds: 0, maxWaitTimeInSeconds: 30 });
  });
});
