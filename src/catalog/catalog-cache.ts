/**
 * A short-lived cache of each user's catalog view. One instance is built by the composition root
 * (never module state). Entries are keyed by the validated tenant and object id of the user plus
 * the space the turn asks (the configured default unless the conversation switched), so one user's view is never served to another; they hold table and column names only,
 * never a token. Concurrent loads for the same key share one read; failures are not cached.
 */
import type { UserIdentity } from '../context/request-context';
import type { UserCatalog } from './types';

export interface UserCatalogCacheOptions {
  spaceId: string;
  /** `CATALOG_FALLBACK_TABLES` (validated at start-up): described as the user when they cannot read the space's definition. */
  fallbackTables?: readonly string[];
  /** How long a view is served before it is read again. Default 5 minutes. */
  ttlMs?: number;
  /** Entries kept at most; the oldest goes first. Default 5,000. */
  maxEntries?: number;
  now?: () => number;
}

export const DEFAULT_CATALOG_TTL_MS = 5 * 60_000;

export class UserCatalogCache {
  readonly spaceId: string;
  readonly fallbackTables: readonly string[];
  private readonly ttlMs: number;
  private readonly maxEntries: number;
  private readonly now: () => number;
  private readonly entries = new Map<string, { catalog: UserCatalog; expiresAt: number }>();
  private readonly loading = new Map<string, Promise<UserCatalog>>();

  constructor(options: UserCatalogCacheOptions) {
    this.spaceId = options.spaceId;
    this.fallbackTables = options.fallbackTables ?? [];
    this.ttlMs = options.ttlMs ?? DEFAULT_CATALOG_TTL_MS;
    this.maxEntries = options.maxEntries ?? 5_000;
    this.now = options.now ?? Date.now;
  }

  keyOf(user: Pick<UserIdentity, 'tenantId' | 'objectId'>, spaceId = this.spaceId): string {
    return JSON.stringify([user.tenantId, user.objectId, spaceId]);
  }

  /** The user's cached view of `spaceId` (default: the configured space), or the one `load` reads now (as that user). */
  async get(user: Pick<UserIdentity, 'tenantId' | 'objectId'>, load: () => Promise<UserCatalog>, spaceId = this.spaceId): Promise<UserCatalog> {
    const key = this.keyOf(user, spaceId);
    const hit = this.entries.get(key);
    if (hit && hit.expiresAt > this.now()) return hit.catalog;
    if (hit) this.entries.delete(key);
    const pending = this.loading.get(key);
    if (pending) return pending;
    const read = load().then((catalog) => {
      this.entries.delete(key);
      this.entries.set(key, { catalog, expiresAt: this.now() + this.ttlMs });
      while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
      return catalog;
    });
    this.loading.set(key, read);
    try {
      return await read;
    } finally {
      this.loading.delete(key);
    }
  }

  /** Drops a user's view of `spaceId` (e.g. after a permission error showed it is stale). */
  invalidate(user: Pick<UserIdentity, 'tenantId' | 'objectId'>, spaceId = this.spaceId): void {
    this.entries.delete(this.keyOf(user, spaceId));
  }
}
