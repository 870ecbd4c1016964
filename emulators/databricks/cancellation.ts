/**
 * Cancelling a running statement, as a SQL warehouse does: a cancel that arrives before the
 * statement's commit point aborts it (its transaction rolls back, it ends CANCELED); once the
 * statement has passed that point the cancel is a no-op and it ends FINISHED. The check and the
 * passage of the commit point happen in one synchronous step, so exactly one of the two wins.
 */
import { EngineError } from './engine-types';

export class StatementCancelled extends EngineError {
  constructor() {
    super('HY008', 'OPERATION_CANCELED', '[OPERATION_CANCELED] The statement was cancelled before it committed. SQLSTATE: HY008');
    this.name = 'StatementCancelled';
  }
}

export class Cancellation {
  private state: 'open' | 'cancelled' | 'committing' = 'open';
  private readonly controller = new AbortController();

  /** Aborted when the statement is cancelled (wakes a statement that is waiting). */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get cancelled(): boolean {
    return this.state === 'cancelled';
  }

  /** Requests the cancel; false when the statement already passed its commit point. */
  cancel(): boolean {
    if (this.state === 'committing') return false;
    if (this.state === 'open') {
      this.state = 'cancelled';
      this.controller.abort();
    }
    return true;
  }

  throwIfCancelled(): void {
    if (this.state === 'cancelled') throw new StatementCancelled();
  }

  /** Passes the commit point: throws (so the transaction rolls back) if the statement was cancelled. */
  commit(): void {
    this.throwIfCancelled();
    this.state = 'committing';
  }
}
