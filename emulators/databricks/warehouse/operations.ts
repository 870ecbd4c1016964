/**
 * Sessions and operations of the Thrift warehouse. Handles are valid UUIDs; an operation's id is
 * the engine's statement id, so the Statement Execution API can look it up after a crash.
 * Every handle belongs to the user who created it; another user's handle is "invalid".
 */
import { randomUUID } from 'node:crypto';
import { Cancellation } from '../cancellation';
import { EngineError, type EngineColumn, type EngineResult, type WorkspaceUser } from '../engine-types';

export type OperationPhase = 'RUNNING' | 'FINISHED' | 'ERROR' | 'CANCELED' | 'CLOSED';

export interface Operation {
  id: string;
  upn: string;
  sessionId: string;
  phase: OperationPhase;
  columns: EngineColumn[];
  rows: (string | null)[][];
  rowsAffected: number | null;
  error: EngineError | undefined;
  offset: number;
  startedAt: number;
  completedAt: number | undefined;
  cancellation: Cancellation;
  done: Promise<void>;
}

export const uuidToBytes = (id: string): Buffer => Buffer.from(id.replace(/-/g, ''), 'hex');
export function bytesToUuid(bytes: Buffer | undefined): string {
  const hex = (bytes ?? Buffer.alloc(0)).toString('hex').padEnd(32, '0');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

const OPERATION_TTL_MS = 60 * 60 * 1000;

export class OperationStore {
  private readonly sessions = new Map<string, string>();
  private readonly operations = new Map<string, Operation>();

  openSession(user: WorkspaceUser): string {
    const id = randomUUID();
    this.sessions.set(id, user.upn);
    return id;
  }

  closeSession(id: string, user: WorkspaceUser): boolean {
    if (this.sessions.get(id) !== user.upn) return false;
    this.sessions.delete(id);
    for (const op of this.operations.values()) if (op.sessionId === id) this.operations.delete(op.id);
    return true;
  }

  hasSession(id: string, user: WorkspaceUser): boolean {
    return this.sessions.get(id) === user.upn;
  }

  /** Starts `run` as a new operation of the session; the operation id is the statement id. */
  start(sessionId: string, user: WorkspaceUser, statementId: string, run: (cancellation: Cancellation) => Promise<EngineResult>): Operation {
    this.prune();
    const op: Operation = {
      id: statementId, upn: user.upn, sessionId, phase: 'RUNNING', columns: [], rows: [], rowsAffected: null,
      error: undefined, offset: 0, startedAt: Date.now(), completedAt: undefined, cancellation: new Cancellation(), done: Promise.resolve(),
    };
    op.done = run(op.cancellation).then(
      (result) => {
        if (op.phase !== 'RUNNING') return;
        const dml = result.rowsAffected !== null;
        op.columns = dml ? [{ name: 'num_affected_rows', type: 'BIGINT' }] : result.columns;
        op.rows = dml ? [[String(result.rowsAffected)]] : result.rows;
        op.rowsAffected = result.rowsAffected;
        op.phase = 'FINISHED';
        op.completedAt = Date.now();
      },
      (error: unknown) => {
        if (op.phase !== 'RUNNING') return;
        op.error = error instanceof EngineError ? error : new EngineError('XX000', 'INTERNAL_ERROR', String(error));
        op.phase = 'ERROR';
        op.completedAt = Date.now();
      },
    );
    this.operations.set(op.id, op);
    return op;
  }

  get(id: string, user: WorkspaceUser): Operation | undefined {
    const op = this.operations.get(id);
    return op && op.upn === user.upn ? op : undefined;
  }

  /**
   * Cancels a running operation: it ends CANCELED at once and its statement rolls back. A finished
   * one (or one already past its commit point) is left as it is. False for an unknown handle.
   */
  cancel(id: string, user: WorkspaceUser): boolean {
    const op = this.get(id, user);
    if (!op) return false;
    if (op.phase === 'RUNNING' && op.cancellation.cancel()) {
      op.phase = 'CANCELED';
      op.completedAt = Date.now();
    }
    return true;
  }

  close(id: string, user: WorkspaceUser): boolean {
    const op = this.get(id, user);
    if (!op) return false;
    op.phase = 'CLOSED';
    this.operations.delete(id);
    return true;
  }

  private prune(): void {
    const cutoff = Date.now() - OPERATION_TTL_MS;
    for (const op of this.operations.values()) if (op.startedAt < cutoff) this.operations.delete(op.id);
  }
}
