import { isDeepStrictEqual } from 'node:util';
import type { MatchCondition } from '@langchain/langgraph-checkpoint';

/** Client-side parts of the memory store: value filters, text scoring, namespace matching. */

const OPERATORS = new Set(['$eq', '$ne', '$gt', '$gte', '$lt', '$lte', '$in', '$nin']);

function isOperatorObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length > 0 && Object.keys(value).every((k) => OPERATORS.has(k));
}

function compare(itemValue: unknown, filterValue: unknown): boolean {
  if (!isOperatorObject(filterValue)) return isDeepStrictEqual(itemValue, filterValue);
  return Object.entries(filterValue).every(([op, value]) => {
    switch (op) {
      case '$eq': return isDeepStrictEqual(itemValue, value);
      case '$ne': return !isDeepStrictEqual(itemValue, value);
      case '$gt': return Number(itemValue) > Number(value);
      case '$gte': return Number(itemValue) >= Number(value);
      case '$lt': return Number(itemValue) < Number(value);
      case '$lte': return Number(itemValue) <= Number(value);
      case '$in': return Array.isArray(value) && value.some((v) => isDeepStrictEqual(itemValue, v));
      default: return !Array.isArray(value) || !value.some((v) => isDeepStrictEqual(itemValue, v));
    }
  });
}

/** The InMemoryStore filter semantics: top-level keys, equality or `$eq/$ne/$gt/$gte/$lt/$lte/$in/$nin`. */
export function valueMatches(value: Record<string, unknown>, filter: Record<string, unknown>): boolean {
  return Object.entries(filter).every(([key, expected]) => compare(value[key], expected));
}

/** Share of the query's words found in the value's text (0 = no match). Not semantic search. */
export function textScore(value: Record<string, unknown>, query: string): number {
  const words = query.toLowerCase().split(/\W+/u).filter((w) => w.length > 0);
  if (words.length === 0) return 1;
  const text = JSON.stringify(value).toLowerCase();
  return words.filter((w) => text.includes(w)).length / words.length;
}

export function namespaceMatches(namespace: readonly string[], condition: MatchCondition): boolean {
  const { path, matchType } = condition;
  if (path.length > namespace.length) return false;
  const offset = matchType === 'prefix' ? 0 : namespace.length - path.length;
  return path.every((label, index) => label === '*' || namespace[offset + index] === label);
}
