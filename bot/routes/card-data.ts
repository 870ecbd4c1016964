import type { ResultRef } from '../present/render';

/** Card data is attacker-controlled input: small, flat, and only the ids a card carries. */
export const MAX_CARD_DATA_BYTES = 4096;

export type CardData = Record<string, unknown>;

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

export function parseCardData(raw: unknown): Parsed<CardData> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { ok: false, message: 'The card action carried no data object.' };
  let bytes: number;
  try {
    bytes = Buffer.byteLength(JSON.stringify(raw), 'utf8');
  } catch {
    return { ok: false, message: 'The card action data could not be read.' };
  }
  if (bytes > MAX_CARD_DATA_BYTES) return { ok: false, message: `The card action data is too large (${bytes} bytes).` };
  return { ok: true, value: raw as CardData };
}

const ID = /^[A-Za-z0-9_.:=-]{1,200}$/;

export function idField(data: CardData, name: string): Parsed<string> {
  const value = data[name];
  return typeof value === 'string' && ID.test(value) ? { ok: true, value } : { ok: false, message: `The card action has no valid "${name}".` };
}

export function resultRefOf(data: CardData): Parsed<ResultRef> {
  const fields = ['resultId', 'askerOid', 'conversationId', 'messageId'] as const;
  const out: Record<string, string> = {};
  for (const name of fields) {
    const parsed = idField(data, name);
    if (!parsed.ok) return parsed;
    out[name] = parsed.value;
  }
  const attachmentId = typeof data.attachmentId === 'string' && (data.attachmentId === '' || ID.test(data.attachmentId)) ? data.attachmentId : undefined;
  if (attachmentId === undefined) return { ok: false, message: 'The card action has no valid "attachmentId".' };
  const askerName = typeof data.askerName === 'string' ? data.askerName.slice(0, 200) : 'the asker';
  const spaceId = data.spaceId === undefined ? undefined : idField(data, 'spaceId');
  if (spaceId && !spaceId.ok) return spaceId;
  const space = spaceId ? { spaceId: spaceId.value } : {};
  return { ok: true, value: { resultId: out.resultId!, askerOid: out.askerOid!, askerName, conversationId: out.conversationId!, messageId: out.messageId!, attachmentId, ...space } };
}

export function textField(data: CardData, name: string, max: number): Parsed<string> {
  const value = data[name];
  if (typeof value !== 'string' || value.trim() === '') return { ok: false, message: `The card action has no "${name}".` };
  if (value.length > max) return { ok: false, message: `The card action's "${name}" is too long.` };
  return { ok: true, value: value.trim() };
}
