/**
 * Per-user memories in the LangGraph store, namespace [tenant, user object id, 'memories']: one
 * user never reads or forgets another user's facts.
 */
import type { BaseStore } from '@langchain/langgraph';
import { randomUUID } from 'node:crypto';
import type { UserIdentity } from '../../context/request-context';
import { MAX_BUNDLE_ENTRIES as MAX_MEMORIES } from '../../persistence/memory-bundle';
import type { MemoryItem } from '../ports';

type StoreLike = Pick<BaseStore, 'search' | 'put' | 'delete'>;

export function memoryNamespace(user: Pick<UserIdentity, 'tenantId' | 'objectId'>): string[] {
  return [user.tenantId, user.objectId, 'memories'];
}

function toItem(key: string, value: Record<string, unknown>): MemoryItem | undefined {
  return typeof value.text === 'string' && typeof value.createdAt === 'string' ? { key, text: value.text, createdAt: value.createdAt } : undefined;
}

export async function listMemoryItems(store: StoreLike, user: Pick<UserIdentity, 'tenantId' | 'objectId'>): Promise<MemoryItem[]> {
  const found = await store.search(memoryNamespace(user), { limit: MAX_MEMORIES });
  return found
    .map((item) => toItem(item.key, item.value))
    .filter((item): item is MemoryItem => item !== undefined)
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
}

export async function rememberItem(store: StoreLike, user: Pick<UserIdentity, 'tenantId' | 'objectId'>, text: string, now: Date): Promise<MemoryItem> {
  const item: MemoryItem = { key: randomUUID(), text, createdAt: now.toISOString() };
  await store.put(memoryNamespace(user), item.key, { text: item.text, createdAt: item.createdAt });
  return item;
}

export type ForgetTarget = { all: true } | { key: string } | { phrase: string };

/** Forgets every memory, one by key, or those whose text contains a phrase; returns how many. */
export async function forgetItems(store: StoreLike, user: Pick<UserIdentity, 'tenantId' | 'objectId'>, target: ForgetTarget): Promise<number> {
  const items = await listMemoryItems(store, user);
  const doomed = items.filter((i) => {
    if ('all' in target) return true;
    if ('key' in target) return i.key === target.key;
    return i.text.toLowerCase().includes(target.phrase.toLowerCase());
  });
  for (const item of doomed) await store.delete(memoryNamespace(user), item.key);
  return doomed.length;
}
