import { createHash } from 'node:crypto';
import type { ApprovalRecord, ApprovalStatus, NewApproval } from './record';

/**
 * Expiry is decided by our code from `expiresAt`, never by Cosmos TTL (TTL restarts on every
 * modification, and the emulator never expires anything).
 */
export function isExpired(record: Pick<ApprovalRecord, 'status' | 'expiresAt'>, now: Date = new Date()): boolean {
  return record.status === 'pending' && now.getTime() >= Date.parse(record.expiresAt);
}

/** The status a reader must act on: a pending record past its expiry counts as expired. */
export function effectiveStatus(record: Pick<ApprovalRecord, 'status' | 'expiresAt'>, now: Date = new Date()): ApprovalStatus {
  return isExpired(record, now) ? 'expired' : record.status;
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** True when the stored SQL still hashes to the recorded hash (anything else is tampering). */
export function sqlMatchesHash(record: Pick<ApprovalRecord, 'sql' | 'sqlSha256'>): boolean {
  return sha256Hex(record.sql) === record.sqlSha256;
}

/** Approval ids are 144 random bits in base64url (24 characters); anything else is not ours. */
export const APPROVAL_ID_PATTERN = /^[A-Za-z0-9_-]{24}$/;

/** A new pending record: hash of the exact SQL, creation and expiry times, nothing decided yet. */
export function newPendingApproval(input: NewApproval, id: string, now: Date): Omit<ApprovalRecord, 'etag'> {
  const { ttlMinutes, ...rest } = input;
  return {
    ...rest,
    id,
    sqlSha256: sha256Hex(input.sql),
    interruptId: undefined,
    createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + ttlMinutes * 60_000).toISOString(),
    status: 'pending',
    decidedBy: undefined,
    decidedAt: undefined,
    statementId: undefined,
    rowsAffected: undefined,
    error: undefined,
    card: undefined,
  };
}
