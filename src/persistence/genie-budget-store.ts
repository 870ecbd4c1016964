import type { Container } from '@azure/cosmos';
import type { BudgetStore } from '../databricks/genie-budget';
import { type BudgetState, emptyBudget } from '../databricks/genie-budget-state';
import { cosmosStatus, mapCosmosError } from './cosmos-errors';
import { readItem } from './cosmos-items';
import { itemIdOf } from './item-ids';

/**
 * The shared Genie budget of one workspace: a single item in the `leases` container (partition key
 * `/id`), replaced only with If-Match on the ETag it was read at. A 412 (or a 409 when two instances
 * create it at once) means another instance changed it first: `write` answers false and the caller
 * reads again. The item holds timestamps, opaque user hashes and counters only, so the version this
 * process last saw is kept here and offered to the next change (issue 18: one request per
 * uncontended grant); a stale one fails its If-Match write and the caller reads fresh.
 */
interface BudgetDoc {
  id: string;
  key: string;
  kind: 'genie-budget';
  state: BudgetState;
}

const LOST_RACE = new Set([409, 412]);

export function createCosmosBudgetStore(container: Container, workspaceKey: string): BudgetStore {
  const key = `genie-budget:${workspaceKey}`;
  const id = itemIdOf(key);
  /** The version this process last read or wrote: workspace-shared counters, no identity. */
  let lastSeen: { state: BudgetState; etag: string } | undefined;
  const copy = (seen: { state: BudgetState; etag: string }) => ({ state: structuredClone(seen.state), etag: seen.etag });
  return {
    async read(options) {
      if (!options?.fresh && lastSeen) return copy(lastSeen);
      const doc = await readItem<BudgetDoc>(container, id, id, 'read genie budget');
      lastSeen = doc?._etag ? { state: doc.state, etag: doc._etag } : undefined;
      return doc ? { state: structuredClone(doc.state), etag: doc._etag } : { state: emptyBudget(), etag: undefined };
    },
    async write(state, etag) {
      const doc: BudgetDoc = { id, key, kind: 'genie-budget', state };
      try {
        const written =
          etag === undefined
            ? await container.items.create(doc)
            : await container.item(id, id).replace(doc, { accessCondition: { type: 'IfMatch', condition: etag } });
        const newEtag = written.resource?._etag ?? written.etag;
        lastSeen = newEtag ? { state: structuredClone(state), etag: newEtag } : undefined;
        return true;
      } catch (error) {
        lastSeen = undefined;
        const status = cosmosStatus(error);
        if (status !== undefined && LOST_RACE.has(status)) return false;
        throw mapCosmosError(error, 'write genie budget');
      }
    },
  };
}
