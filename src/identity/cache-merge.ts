import { AppError } from '../errors';

type Sections = Record<string, Record<string, unknown> | undefined>;

function parse(serialized: string): Sections {
  try {
    const value: unknown = JSON.parse(serialized);
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Sections;
  } catch (error) {
    throw new AppError('INTERNAL.UNEXPECTED', 'A token cache did not parse as JSON', { cause: error });
  }
  throw new AppError('INTERNAL.UNEXPECTED', 'A token cache is not a JSON object');
}

/**
 * Merges two serialized MSAL caches of ONE user partition: every section (Account, IdToken,
 * AccessToken, RefreshToken, AppMetadata) is a map keyed by credential key, so the union keeps what
 * both writers hold; on the same key `mine` (the newer write) wins. Used when a conditional write lost
 * to another instance's write. Ownership is checked again by the caller before writing.
 */
export function mergeSerializedCaches(theirs: string, mine: string): string {
  const a = parse(theirs);
  const b = parse(mine);
  const merged: Sections = {};
  for (const section of new Set([...Object.keys(a), ...Object.keys(b)])) {
    merged[section] = { ...(a[section] ?? {}), ...(b[section] ?? {}) };
  }
  return JSON.stringify(merged);
}
