import { isDeepStrictEqual } from 'node:util';

/** `list` filter semantics: every filter key equals (deeply) the metadata value under that key. */
export function metadataMatches(metadata: object, filter: Record<string, unknown>): boolean {
  const record = metadata as Record<string, unknown>;
  return Object.entries(filter).every(([key, value]) => isDeepStrictEqual(record[key], value));
}
