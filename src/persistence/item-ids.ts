import { createHash } from 'node:crypto';

/**
 * Cosmos item ids are at most 255 characters and may not contain `/ \ ? #`. Composite keys are
 * hashed into ids; single keys are kept readable when they are already safe.
 */
const SAFE_ID = /^[^/\\?#~][^/\\?#]{0,199}$/;

export function sha256Base64Url(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('base64url');
}

/** A deterministic id for a tuple of key parts (order and types matter). */
export function compositeId(prefix: string, parts: readonly unknown[]): string {
  return `${prefix}${sha256Base64Url(JSON.stringify(parts))}`;
}

/** `key` itself when it is a legal, short id; otherwise `~` + its SHA-256 (never collides with a verbatim id). */
export function itemIdOf(key: string): string {
  return SAFE_ID.test(key) && !/\s$/.test(key) ? key : `~${sha256Base64Url(key)}`;
}
