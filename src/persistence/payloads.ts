import { randomUUID } from 'node:crypto';
import type { Container } from '@azure/cosmos';
import { AppError } from '../errors';
import { cosmosCall } from './cosmos-errors';
import { deleteIfPresent, forEachLimited, queryAll } from './cosmos-items';

/**
 * Values stored inside other items, either inline or by reference to chunks in the `blobs`
 * container. Invariant: chunks are written before the item that references them, so a crash
 * leaves at worst unreferenced chunks (removed with their owner), never a dangling reference.
 */
export type StoredPayload =
  | { enc: 'utf8'; type: string; data: string }
  | { enc: 'base64'; type: string; data: string }
  | { enc: 'ref'; type: string; ref: string; chunks: number; bytes: number; binary: boolean };

interface ChunkDoc {
  id: string;
  ownerKey: string;
  ref: string;
  index: number;
  data: string;
}

/** Cosmos rejects items over 2 MB; we keep every item comfortably below it. */
export const MAX_ITEM_BYTES = 1_900_000;

export interface PayloadLimits {
  /** Serialized size above which a value leaves its item for the blobs container. */
  inlineMaxBytes: number;
  /** Raw bytes per chunk (base64 adds a third). */
  chunkBytes: number;
}

export const DEFAULT_PAYLOAD_LIMITS: PayloadLimits = { inlineMaxBytes: 256 * 1024, chunkBytes: 1024 * 1024 };

export function jsonSize(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value), 'utf8');
}

/** Refuses an item that would exceed Cosmos' limit before sending it. */
export function assertItemSize(item: unknown, what: string): void {
  const size = jsonSize(item);
  if (size > MAX_ITEM_BYTES) {
    throw new AppError('STORAGE.TOO_LARGE', `${what} is ${size} bytes, over the ${MAX_ITEM_BYTES}-byte item limit`, { details: { size } });
  }
}

export class PayloadStore {
  constructor(
    private readonly blobs: Container,
    private readonly limits: PayloadLimits = DEFAULT_PAYLOAD_LIMITS,
  ) {}

  async save(ownerKey: string, type: string, bytes: Uint8Array): Promise<StoredPayload> {
    const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const binary = type !== 'json';
    const inline: StoredPayload = binary
      ? { enc: 'base64', type, data: buffer.toString('base64') }
      : { enc: 'utf8', type, data: buffer.toString('utf8') };
    if (jsonSize(inline.data) <= this.limits.inlineMaxBytes) return inline;
    return this.saveChunks(ownerKey, type, buffer, binary);
  }

  private async saveChunks(ownerKey: string, type: string, buffer: Buffer, binary: boolean): Promise<StoredPayload> {
    const ref = randomUUID();
    const chunks = Math.ceil(buffer.byteLength / this.limits.chunkBytes);
    for (let index = 0; index < chunks; index += 1) {
      const slice = buffer.subarray(index * this.limits.chunkBytes, (index + 1) * this.limits.chunkBytes);
      const doc: ChunkDoc = { id: `${ref}.${index}`, ownerKey, ref, index, data: slice.toString('base64') };
      assertItemSize(doc, 'blob chunk');
      await cosmosCall('write blob chunk', () => this.blobs.items.upsert(doc));
    }
    return { enc: 'ref', type, ref, chunks, bytes: buffer.byteLength, binary };
  }

  /** Moves an inline payload to chunks (to keep the item that holds it small); refs are returned as they are. */
  async spill(ownerKey: string, payload: StoredPayload): Promise<StoredPayload> {
    if (payload.enc === 'ref') return payload;
    const bytes = payload.enc === 'utf8' ? Buffer.from(payload.data, 'utf8') : Buffer.from(payload.data, 'base64');
    return this.saveChunks(ownerKey, payload.type, bytes, payload.enc === 'base64');
  }

  async load(ownerKey: string, payload: StoredPayload): Promise<Uint8Array | string> {
    if (payload.enc === 'utf8') return payload.data;
    if (payload.enc === 'base64') return new Uint8Array(Buffer.from(payload.data, 'base64'));
    const parts = await Promise.all(
      Array.from({ length: payload.chunks }, async (_, index) => {
        const { resource } = await cosmosCall('read blob chunk', () => this.blobs.item(`${payload.ref}.${index}`, ownerKey).read<ChunkDoc>());
        if (!resource) throw new AppError('STORAGE.UNAVAILABLE', `blob ${payload.ref} chunk ${index} is missing`);
        return Buffer.from(resource.data, 'base64');
      }),
    );
    const joined = Buffer.concat(parts);
    if (joined.byteLength !== payload.bytes) throw new AppError('STORAGE.UNAVAILABLE', `blob ${payload.ref} is ${joined.byteLength} bytes, expected ${payload.bytes}`);
    return payload.binary ? new Uint8Array(joined) : joined.toString('utf8');
  }

  /** Best effort: drops the chunks of a payload that lost a race (its item was never written). */
  async discard(ownerKey: string, payload: StoredPayload): Promise<void> {
    if (payload.enc !== 'ref') return;
    await Promise.allSettled(
      Array.from({ length: payload.chunks }, (_, index) => this.blobs.item(`${payload.ref}.${index}`, ownerKey).delete()),
    );
  }

  /** Deletes every chunk of one owner (its partition). */
  async removeOwner(ownerKey: string): Promise<void> {
    const query = { query: 'SELECT c.id FROM c WHERE c.ownerKey = @ownerKey', parameters: [{ name: '@ownerKey', value: ownerKey }] };
    const ids = await queryAll<{ id: string }>(this.blobs, query, ownerKey, 'list blob chunks');
    await forEachLimited(ids, 8, async ({ id }) => {
      await deleteIfPresent(this.blobs, id, ownerKey, 'delete blob chunk');
    });
  }
}
