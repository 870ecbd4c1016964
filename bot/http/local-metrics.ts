import type { Profile } from '../../src/config/schema';

/** A GET route the server answers with JSON; the query string comes as a plain record. */
export interface LocalGetRoute {
  path: string;
  answer(query: Readonly<Record<string, string>>): unknown;
}

export const LOCAL_MEMORY_PATH = '/_local/memory';

/** What `GET /_local/memory` answers: the bot process's own memory figures, in bytes. */
export interface LocalMemoryFigures {
  rss: number;
  heapTotal: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
  /** Whether a full GC ran first (`?gc=1` and the process started with `--expose-gc`). */
  collected: boolean;
}

/**
 * Process memory for the local bench (B6 samples it every 1,000 turns). Only the local profile
 * serves it: in the azure profile the route does not exist, so nothing about the process is
 * readable from outside. `?gc=1` collects garbage first when Node runs with `--expose-gc`.
 */
export function localMetricsRoutes(profile: Profile): LocalGetRoute[] {
  if (profile !== 'local') return [];
  return [
    {
      path: LOCAL_MEMORY_PATH,
      answer: (query): LocalMemoryFigures => {
        const gc = (globalThis as { gc?: () => void }).gc;
        const collected = query.gc === '1' && typeof gc === 'function';
        if (collected) gc();
        const { rss, heapTotal, heapUsed, external, arrayBuffers } = process.memoryUsage();
        return { rss, heapTotal, heapUsed, external, arrayBuffers, collected };
      },
    },
  ];
}
