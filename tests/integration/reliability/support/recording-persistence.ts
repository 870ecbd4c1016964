/**
 * Wraps the real Cosmos checkpointer and store so a test can see which thread ids and memory
 * namespaces every call touched. Calls still go to Cosmos unchanged.
 */
import type { BaseCheckpointSaver, BaseStore } from '@langchain/langgraph';

export interface Touched {
  threadIds: string[];
  namespaces: string[][];
}

function threadIdIn(arg: unknown): string | undefined {
  if (typeof arg === 'string') return arg;
  const id = (arg as { configurable?: { thread_id?: unknown } } | undefined)?.configurable?.thread_id;
  return typeof id === 'string' ? id : undefined;
}

/** Records the thread id of every checkpointer call (a call without one is recorded as '<none>'). */
export function recordingCheckpointer<T extends BaseCheckpointSaver>(inner: T, touched: Touched): T {
  return new Proxy(inner, {
    get(target, prop, receiver) {
      const value: unknown = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function' || !['getTuple', 'list', 'put', 'putWrites', 'deleteThread'].includes(String(prop))) return value;
      return (...args: unknown[]) => {
        touched.threadIds.push(threadIdIn(args[0]) ?? '<none>');
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}

/** Records the namespace (or namespace prefix) of every store operation, whichever API led to it. */
export function recordingStore<T extends BaseStore>(inner: T, touched: Touched): T {
  return new Proxy(inner, {
    get(target, prop, receiver) {
      const value: unknown = Reflect.get(target, prop, receiver);
      if (prop !== 'batch' || typeof value !== 'function') return value;
      return (operations: unknown[]) => {
        for (const op of operations) {
          const o = op as { namespace?: string[]; namespacePrefix?: string[]; matchConditions?: { path: string[] }[] };
          touched.namespaces.push(o.namespace ?? o.namespacePrefix ?? o.matchConditions?.[0]?.path ?? ['<all namespaces>']);
        }
        return (value as (ops: unknown[]) => unknown).apply(target, [operations]);
      };
    },
  });
}
