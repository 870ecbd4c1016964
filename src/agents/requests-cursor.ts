/**
 * The cursor a "Show older requests" button carries: where the shown page of one's own requests
 * ended (the creation time and id of its last record), and nothing else. Card data is attacker
 * controlled, so the cursor is read strictly; it never names a person, and whoever clicks only ever
 * pages through their own requests (the requester partition comes from the validated activity).
 */
import { APPROVAL_ID_PATTERN } from '../approvals/rules';
import type { IndexCursor } from '../persistence/keyset-page';

/** The card data fields of the cursor. */
export const CURSOR_FIELDS = { createdAt: 'olderThan', id: 'olderThanId' } as const;

/** `Date.prototype.toISOString` output, the only form `createdAt` is stored in. */
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

export type CursorParse = { ok: true; value: IndexCursor } | { ok: false; message: string };

/** The card data of a button that lists the requests older than `cursor`. */
export function cursorCardData(cursor: IndexCursor): Record<string, string> {
  return { [CURSOR_FIELDS.createdAt]: cursor.createdAt, [CURSOR_FIELDS.id]: cursor.id };
}

/** Reads the cursor from card data: an ISO instant that is a real date, and an approval id; anything else is refused. */
export function parseRequestsCursor(data: Readonly<Record<string, unknown>>): CursorParse {
  const createdAt = data[CURSOR_FIELDS.createdAt];
  const id = data[CURSOR_FIELDS.id];
  if (typeof createdAt !== 'string' || !ISO_INSTANT.test(createdAt) || !isRealInstant(createdAt)) {
    return { ok: false, message: `The card action has no valid "${CURSOR_FIELDS.createdAt}".` };
  }
  if (typeof id !== 'string' || !APPROVAL_ID_PATTERN.test(id)) return { ok: false, message: `The card action has no valid "${CURSOR_FIELDS.id}".` };
  return { ok: true, value: { createdAt, id } };
}

/** `2026-02-30T…` matches the pattern but is no date; it must read back as itself. */
function isRealInstant(value: string): boolean {
  const ms = Date.parse(value);
  return Number.isFinite(ms) && new Date(ms).toISOString() === value;
}
