import type { TokenCacheStore } from '../../../src/identity/ports';

/** In-memory TokenCacheStore for tests: a Map plus a log of reads and writes, shared by every service given it. */
export class MemoryTokenCacheStore implements TokenCacheStore {
  readonly blobs = new Map<string, string>();
  readonly writes: string[] = [];
  readonly reads: string[] = [];

  async read(partitionKey: string): Promise<string | undefined> {
    this.reads.push(partitionKey);
    return this.blobs.get(partitionKey);
  }

  async write(partitionKey: string, value: string): Promise<void> {
    this.writes.push(partitionKey);
    this.blobs.set(partitionKey, value);
  }

  async remove(partitionKey: string): Promise<void> {
    this.blobs.delete(partitionKey);
  }
}
