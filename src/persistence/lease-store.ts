import type { Container } from '@azure/cosmos';
import { AppError } from '../errors';
import { cosmosStatus, mapCosmosError } from './cosmos-errors';
import { readItem } from './cosmos-items';
import { itemIdOf } from './item-ids';
import type { Lease, LeaseStore } from './ports';

/**
 * Short leases (container `leases`, partition key `/id`). Taking a free lease is a `create` (409 →
 * lost), taking an expired one is an ETag-conditional replace (412 → lost), so two instances never
 * hold one key at once. `owner` must identify one run; the same owner may renew its own lease.
 */
interface LeaseDoc {
  id: string;
  key: string;
  owner: string;
  expiresAt: number;
}

const LOST_RACE = new Set([404, 409, 412]);

export class CosmosLeaseStore implements LeaseStore {
  constructor(
    private readonly container: Container,
    private readonly now: () => number = Date.now,
  ) {}

  async acquire(key: string, owner: string, ttlMs: number): Promise<Lease | undefined> {
    const id = itemIdOf(key);
    const doc: LeaseDoc = { id, key, owner, expiresAt: this.now() + ttlMs };
    try {
      // A released lease is deleted, so the usual case is one create; only a 409 costs a read.
      const { resource } = await this.container.items.create(doc);
      if (!resource) throw new AppError('STORAGE.UNAVAILABLE', 'lease write returned no item');
      return { key, owner, expiresAt: doc.expiresAt, etag: resource._etag };
    } catch (error) {
      if (cosmosStatus(error) !== 409) return this.lostOr(error);
    }
    const existing = await readItem<LeaseDoc>(this.container, id, id, 'read lease');
    const now = this.now();
    if (!existing) return undefined;
    if (existing.expiresAt > now && existing.owner !== owner) return undefined;
    const renewed: LeaseDoc = { id, key, owner, expiresAt: now + ttlMs };
    try {
      const { resource } = await this.container.item(id, id).replace(renewed, { accessCondition: { type: 'IfMatch', condition: existing._etag } });
      if (!resource) throw new AppError('STORAGE.UNAVAILABLE', 'lease write returned no item');
      return { key, owner, expiresAt: renewed.expiresAt, etag: resource._etag };
    } catch (error) {
      return this.lostOr(error);
    }
  }

  private lostOr(error: unknown): undefined {
    if (error instanceof AppError) throw error;
    const status = cosmosStatus(error);
    if (status !== undefined && LOST_RACE.has(status)) return undefined;
    throw mapCosmosError(error, 'acquire lease');
  }

  /** Deletes the lease only if it is still this version; a lease someone else took over is left alone. */
  async release(lease: Lease): Promise<void> {
    const id = itemIdOf(lease.key);
    try {
      await this.container.item(id, id).delete({ accessCondition: { type: 'IfMatch', condition: lease.etag } });
    } catch (error) {
      const status = cosmosStatus(error);
      if (status === 404 || status === 412) return;
      throw mapCosmosError(error, 'release lease');
    }
  }
}
