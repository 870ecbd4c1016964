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
 * reads again. The item holds timestamps, opaque user hashes and counters only.
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
  return {
    async read() {
      const doc = await readItem<BudgetDoc>(container, id, id, 'read genie budget');
      return doc ? { state: doc.state, etag: doc._etag } : { state: emptyBudget(), etag: undefined };
    },
    async write(state, etag) {
      const doc: BudgetDoc = { id, key, kind: 'genie-budget', state };
      try {
        if (etag === undefined) await container.items.create(doc);
        else await container.item(id, id).replace(doc, { accessCondition: { type: 'IfMatch', condition: etag } });
        return true;
      } catch (error) {
        const status = cosmosStatus(error);
        if (status !== undefined && LOST_RACE.has(status)) return false;
        throw mapCosmosError(error, 'write genie budget');
      }
    },
  };
}
