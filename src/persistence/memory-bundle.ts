import type { Container } from '@azure/cosmos';
import { AppError } from '../errors';
import { cosmosStatus, mapCosmosError } from './cosmos-errors';
import { deleteIfPresent, forEachLimited, queryAll, readItem } from './cosmos-items';
import { compositeId } from './item-ids';
import { assertItemSize } from './payloads';

/**
 * A bundled namespace (one user's memories) lives in ONE item: every key of the namespace in a map,
 * so the turn reads all of a user's memories with one point read (issue 18) instead of a query plan
 * and a query. Writes are read-modify-write with If-Match on the item's ETag and start over on a 412
 * (or a 409 when two writers create it at once), so two instances adding memories at once both keep
 * theirs. The item is bounded by `maxEntries` and by the 1.9 MB item limit (payloads.ts).
 *
 * Lazy migration: items of the old layout (one item per key, `m.` ids, same partition) are folded
 * into the bundle the first time the namespace is read or written and then deleted. A namespace
 * with nothing to fold gets an empty bundle, so the next read is one point read again.
 */
export interface BundleEntry {
  value: Record<string, unknown>;
  createdAt: string;
  updatedAt: string;
}

export interface BundleDoc {
  id: string;
  pk: string;
  kind: 'bundle';
  namespace: string[];
  nsPath: string;
  /** Number of entries (listNamespaces skips empty bundles without reading their entries). */
  entryCount: number;
  entries: Record<string, BundleEntry>;
}

/** The old layout's item (memory-store.ts), read only to migrate it. */
export interface LegacyMemoryDoc {
  id: string;
  namespace: string[];
  key: string;
  value: Record<string, unknown>;
  createdAt: string;
  updatedAt: string;
}

/** Most memories one user keeps (one bundle); the memory agent lists at most this many. */
export const MAX_BUNDLE_ENTRIES = 200;

const ATTEMPTS = 20;
const LOST_RACE = new Set([409, 412]);

export const bundleIdOf = (namespace: readonly string[]): string => compositeId('b.', [namespace]);

export class MemoryBundles {
  constructor(
    private readonly container: Container,
    private readonly maxEntries: number,
    private readonly partitionOf: (namespace: readonly string[]) => string,
    private readonly nsPathOf: (namespace: readonly string[]) => string,
  ) {}

  /** The bundle of `namespace` (migrating the old layout on first use). */
  async read(namespace: readonly string[]): Promise<BundleDoc & { _etag: string }> {
    const pk = this.partitionOf(namespace);
    const found = await readItem<BundleDoc>(this.container, bundleIdOf(namespace), pk, 'read memory');
    return found ?? this.migrate(namespace);
  }

  /**
   * Applies `change` to the entries and writes them If-Match; on a lost race reads again and
   * re-applies. `change` answers false when there is nothing to write.
   */
  async update(namespace: readonly string[], change: (entries: Map<string, BundleEntry>) => boolean): Promise<void> {
    for (let attempt = 1; attempt <= ATTEMPTS; attempt += 1) {
      const current = await this.read(namespace);
      const entries = new Map(Object.entries(current.entries));
      if (!change(entries)) return;
      const entryCount = entries.size;
      if (entryCount > this.maxEntries && entryCount > current.entryCount) {
        throw new AppError('STORAGE.TOO_LARGE', `memory namespace holds ${current.entryCount} entries, the most kept is ${this.maxEntries}`, {
          userMessage: `I keep at most ${this.maxEntries} memories. Forget some first (\`forget 1\`), then tell me again.`,
          details: { entries: current.entryCount, max: this.maxEntries },
        });
      }
      const next: BundleDoc = { ...this.empty(namespace), entryCount, entries: Object.fromEntries(entries) };
      assertItemSize(next, 'memory bundle');
      try {
        await this.container.item(next.id, next.pk).replace(next, { accessCondition: { type: 'IfMatch', condition: current._etag } });
        return;
      } catch (error) {
        if (!LOST_RACE.has(cosmosStatus(error) ?? 0)) throw mapCosmosError(error, 'write memory');
      }
    }
    throw new AppError('STORAGE.CONFLICT', `memory still contended after ${ATTEMPTS} attempts`);
  }

  private empty(namespace: readonly string[]): BundleDoc {
    return { id: bundleIdOf(namespace), pk: this.partitionOf(namespace), kind: 'bundle', namespace: [...namespace], nsPath: this.nsPathOf(namespace), entryCount: 0, entries: {} };
  }

  /** Folds the old layout's items of exactly this namespace into a new bundle, then deletes them. */
  private async migrate(namespace: readonly string[]): Promise<BundleDoc & { _etag: string }> {
    const pk = this.partitionOf(namespace);
    const query = {
      query: 'SELECT * FROM c WHERE c.nsPath = @nsPath AND NOT IS_DEFINED(c.kind)',
      parameters: [{ name: '@nsPath', value: this.nsPathOf(namespace) }],
    };
    const legacy = (await queryAll<LegacyMemoryDoc>(this.container, query, pk, 'read old memory layout')).sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
    const bundle = this.empty(namespace);
    for (const doc of legacy.slice(0, this.maxEntries)) bundle.entries[doc.key] = { value: doc.value, createdAt: doc.createdAt, updatedAt: doc.updatedAt };
    bundle.entryCount = Object.keys(bundle.entries).length;
    assertItemSize(bundle, 'memory bundle');
    try {
      const { resource } = await this.container.items.create(bundle);
      if (!resource) throw new AppError('STORAGE.UNAVAILABLE', 'memory bundle create returned no item');
      await forEachLimited(legacy, 4, (doc) => deleteIfPresent(this.container, doc.id, pk, 'delete old memory item'));
      return resource as BundleDoc & { _etag: string };
    } catch (error) {
      // Another instance migrated (or wrote) first: its bundle is the one to use.
      if (cosmosStatus(error) !== 409) throw mapCosmosError(error, 'write memory');
      const found = await readItem<BundleDoc>(this.container, bundle.id, pk, 'read memory');
      if (!found) throw new AppError('STORAGE.CONFLICT', 'memory bundle vanished while being created');
      return found;
    }
  }
}
