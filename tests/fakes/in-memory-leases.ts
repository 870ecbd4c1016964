import type { Lease, LeaseStore } from '../../src/persistence/ports';

export class InMemoryLeaseStore implements LeaseStore {
  private readonly leases = new Map<string, Lease>();
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

  isHeld(key: string): boolean {
    const held = this.leases.get(key);
    return held !== undefined && held.expiresAt > this.clock();
  }
}
