import type { Lease, LeaseStore, TurnClaim, TurnLeaseStore } from '../../src/persistence/ports';

/** Leases and activity markers in memory (no checkpoint commit: unit tests use an in-memory saver). */
export class InMemoryLeaseStore implements LeaseStore, TurnLeaseStore {
  private readonly leases = new Map<string, Lease>();
  private readonly seen = new Set<string>();
  private version = 0;

  constructor(private readonly clock: () => number = Date.now) {}

  async acquire(key: string, owner: string, ttlMs: number): Promise<Lease | undefined> {
    const held = this.leases.get(key);
    if (held && held.expiresAt > this.clock() && held.owner !== owner) return undefined;
    this.version += 1;
    const lease: Lease = { key, owner, expiresAt: this.clock() + ttlMs, etag: `"${this.version}"` };
    this.leases.set(key, lease);
    return lease;
  }

  async release(lease: Lease): Promise<void> {
    const held = this.leases.get(lease.key);
    if (held && held.etag === lease.etag) this.leases.delete(lease.key);
  }

  async beginTurn(threadId: string, owner: string, ttlMs: number, activityKey?: string): Promise<TurnClaim> {
    if (activityKey !== undefined && this.seen.has(activityKey)) return { kind: 'duplicate' };
    const lease = await this.acquire(`thread:${threadId}`, owner, ttlMs);
    if (activityKey !== undefined) this.seen.add(activityKey);
    return lease ? { kind: 'claimed', lease } : { kind: 'busy' };
  }

  async endTurn(lease: Lease): Promise<void> {
    await this.release(lease);
  }

  isHeld(key: string): boolean {
    const held = this.leases.get(key);
    return held !== undefined && held.expiresAt > this.clock();
  }
}
