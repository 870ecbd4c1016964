/**
 * Live heap of a child Node process after a full GC, from a heap snapshot: the process runs with
 * `--heapsnapshot-signal=SIGUSR2` (a snapshot collects garbage first), we signal it, wait for the
 * file and sum the nodes' self sizes. Tells memory kept apart from garbage V8 has not returned.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface HeapProbe {
  /** NODE_OPTIONS for the child process. */
  nodeOptions: string;
  /** Bytes of live objects after GC; NaN if no snapshot appeared in time. */
  liveBytes(pid: number | undefined, timeoutMs?: number): Promise<number>;
  dispose(): void;
}

interface Snapshot {
  snapshot: { meta: { node_fields: string[] } };
  nodes: number[];
}

export function createHeapProbe(): HeapProbe {
  const dir = mkdtempSync(join(tmpdir(), 'bench-heap-'));
  return {
    nodeOptions: `--heapsnapshot-signal=SIGUSR2 --diagnostic-dir=${dir}`,
    async liveBytes(pid, timeoutMs = 120_000) {
      if (pid === undefined) return Number.NaN;
      const known = new Set(readdirSync(dir));
      process.kill(pid, 'SIGUSR2');
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        const file = readdirSync(dir).find((f) => f.endsWith('.heapsnapshot') && !known.has(f));
        if (file && (await settled(join(dir, file)))) {
          const total = selfSizeTotal(JSON.parse(readFileSync(join(dir, file), 'utf8')) as Snapshot);
          rmSync(join(dir, file));
          return total;
        }
        await new Promise((r) => setTimeout(r, 500));
      }
      return Number.NaN;
    },
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** The file stopped growing for a second (the process finished writing it). */
async function settled(path: string): Promise<boolean> {
  const size = statSync(path).size;
  await new Promise((r) => setTimeout(r, 1000));
  return size > 0 && statSync(path).size === size;
}

export function selfSizeTotal(snapshot: Snapshot): number {
  const fields = snapshot.snapshot.meta.node_fields;
  const stride = fields.length;
  const offset = fields.indexOf('self_size');
  let total = 0;
  for (let i = offset; i < snapshot.nodes.length; i += stride) total += snapshot.nodes[i] ?? 0;
  return total;
}
