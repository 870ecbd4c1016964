import { randomBytes } from 'node:crypto';
import { AppError } from '../../src/errors';
import { newPendingApproval } from '../../src/approvals/rules';
import { APPROVAL_TRANSITIONS, type ApprovalRecord, type ApprovalStatus, type ApprovalsRepository, type NewApproval } from '../../src/persistence/ports';

/** In-memory ApprovalsRepository with the same ETag and transition rules as the Cosmos one. */
export class InMemoryApprovals implements ApprovalsRepository {
  readonly records = new Map<string, ApprovalRecord>();
  private version = 0;

  async create(input: NewApproval, now: Date = new Date()): Promise<ApprovalRecord> {
    const record: ApprovalRecord = { ...newPendingApproval(input, randomBytes(18).toString('base64url'), now), etag: this.nextEtag() };
    this.records.set(record.id, record);
    return structuredClone(record);
  }

  async get(id: string): Promise<ApprovalRecord | undefined> {
    const record = this.records.get(id);
    return record ? structuredClone(record) : undefined;
  }

  async transition(current: ApprovalRecord, next: ApprovalStatus, patch: Partial<ApprovalRecord> = {}): Promise<ApprovalRecord> {
    const stored = this.checkEtag(current);
    if (!APPROVAL_TRANSITIONS[stored.status].includes(next)) {
      throw new AppError('STORAGE.CONFLICT', `transition ${stored.status} → ${next} is not allowed`);
    }
    return this.save({ ...stored, ...patch, status: next });
  }

  async update(current: ApprovalRecord, patch: Partial<Pick<ApprovalRecord, 'statementId' | 'card' | 'interruptId' | 'delivery'>>): Promise<ApprovalRecord> {
    return this.save({ ...this.checkEtag(current), ...patch });
  }

  /** Test helper: changes the stored record behind the ledger's back (no ETag check). */
  tamper(id: string, patch: Partial<ApprovalRecord>): void {
    const stored = this.records.get(id);
    if (!stored) throw new Error(`no approval ${id}`);
    this.records.set(id, { ...stored, ...patch, etag: this.nextEtag() });
  }

  private checkEtag(current: ApprovalRecord): ApprovalRecord {
    const stored = this.records.get(current.id);
    if (!stored) throw new AppError('APPROVAL.NOT_FOUND', current.id);
    if (stored.etag !== current.etag) throw new AppError('STORAGE.CONFLICT', `stale etag for ${current.id}`);
    return stored;
  }

  private save(record: ApprovalRecord): ApprovalRecord {
    const saved = { ...record, etag: this.nextEtag() };
    this.records.set(saved.id, saved);
    return structuredClone(saved);
  }

  private nextEtag(): string {
    this.version += 1;
    return `"v${this.version}"`;
  }
}
