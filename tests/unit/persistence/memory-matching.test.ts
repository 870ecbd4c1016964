import { namespaceMatches, textScore, valueMatches } from '../../../src/persistence/memory-matching';
import { memoryPartitionOf } from '../../../src/persistence/memory-store';
import { userKeyOf } from '../../../src/context/request-context';

describe('memory value filters', () => {
  const value = { kind: 'fact', weight: 3, tags: ['a'] };

  it('when filters use equality or operators, then they follow the InMemoryStore semantics', () => {
    expect(valueMatches(value, { kind: 'fact' })).toBe(true);
    expect(valueMatches(value, { tags: ['a'] })).toBe(true);
    expect(valueMatches(value, { kind: 'preference' })).toBe(false);
    expect(valueMatches(value, { weight: { $gt: 2, $lte: 3 } })).toBe(true);
    expect(valueMatches(value, { weight: { $lt: 3 } })).toBe(false);
    expect(valueMatches(value, { kind: { $in: ['fact', 'x'] } })).toBe(true);
    expect(valueMatches(value, { kind: { $nin: ['fact'] } })).toBe(false);
    expect(valueMatches(value, { kind: { $ne: 'x' } })).toBe(true);
  });

  it('when a query shares words with the value, then the score is the share of words found', () => {
    expect(textScore({ text: 'West region sales' }, 'west region')).toBe(1);
    expect(textScore({ text: 'West region sales' }, 'west east')).toBe(0.5);
    expect(textScore({ text: 'West region sales' }, 'north')).toBe(0);
  });
});

describe('namespaces', () => {
  it('when matching prefix or suffix conditions with wildcards, then labels compare position by position', () => {
    const ns = ['t-1', 'alice', 'memories'];
    expect(namespaceMatches(ns, { matchType: 'prefix', path: ['t-1', '*'] })).toBe(true);
    expect(namespaceMatches(ns, { matchType: 'prefix', path: ['t-2'] })).toBe(false);
    expect(namespaceMatches(ns, { matchType: 'suffix', path: ['*', 'memories'] })).toBe(true);
    expect(namespaceMatches(ns, { matchType: 'suffix', path: ['x', 't-1', 'alice', 'memories'] })).toBe(false);
  });

  it('when a namespace is (tenant, user, ...), then its partition is the user key', () => {
    expect(memoryPartitionOf(['t-1', 'alice', 'memories'])).toBe(userKeyOf({ tenantId: 't-1', objectId: 'alice' }));
  });
});
