import type { AuditEvent, AuditLog } from '../../src/persistence/ports';

export class InMemoryAuditLog implements AuditLog {
  readonly events: AuditEvent[] = [];

  async append(event: AuditEvent): Promise<void> {
    this.events.push(structuredClone(event));
  }

  async listByUser(tenantId: string, objectId: string, range: { from?: Date; to?: Date } = {}): Promise<AuditEvent[]> {
    return this.events.filter(
      (e) => e.tenantId === tenantId && e.userObjectId === objectId && (!range.from || e.at >= range.from.toISOString()) && (!range.to || e.at <= range.to.toISOString()),
    );
  }

  async listByApproval(approvalId: string): Promise<AuditEvent[]> {
    return this.events.filter((e) => e.approvalId === approvalId);
  }

  kinds(): string[] {
    return this.events.map((e) => e.kind);
  }
}
