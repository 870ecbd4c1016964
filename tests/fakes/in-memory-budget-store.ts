import type { BudgetStore } from '../../src/databricks/genie-budget';
import { type BudgetState, emptyBudget } from '../../src/databricks/genie-budget-state';

/** The budget record in memory with ETag semantics (a stale version is refused like a 412). */
export function inMemoryBudgetStore(): BudgetStore & { current(): BudgetState; reads: number; writes: number } {
  let state: BudgetState | undefined;
  let version = 0;
  const store = {
    reads: 0,
    writes: 0,
    current: () => structuredClone(state ?? emptyBudget()),
    async read() {
      store.reads += 1;
      await Promise.resolve();
      return { state: structuredClone(state ?? emptyBudget()), etag: state ? String(version) : undefined };
    },
    async write(next: BudgetState, etag: string | undefined) {
      store.writes += 1;
      await Promise.resolve();
      if ((etag === undefined) !== (state === undefined) || (etag !== undefined && etag !== String(version))) return false;
      state = structuredClone(next);
      version += 1;
      return true;
    },
  };
  return store;
}
