import type { CosmosClient } from '@azure/cosmos';
import type { TokenCacheStore } from '../identity/ports';
import { CosmosApprovalsRepository } from './approvals-repository';
import { type ApprovalIndex, CosmosApprovalIndex } from './approval-index';
import { CosmosAuditLog } from './audit-log';
import { type ConversationReferences, CosmosConversationReferences } from './conversation-references';
import { CosmosCheckpointSaver } from './checkpointer/cosmos-checkpoint-saver';
import { ensureContainers, type Containers } from './containers';
import { CosmosDedupe } from './dedupe';
import { CosmosStore } from './memory-store';
import type { ApprovalsRepository, AuditLog, Dedupe, LeaseStore, TurnLeaseStore } from './ports';
import { createCosmosTokenCacheStore } from './token-cache-store';

/** Every Cosmos-backed store, built once at start-up over one shared client. Holds no user state. */
export interface Persistence {
  containers: Containers;
  checkpointer: CosmosCheckpointSaver;
  store: CosmosStore;
  approvals: ApprovalsRepository;
  audit: AuditLog;
  dedupe: Dedupe;
  leases: LeaseStore & TurnLeaseStore;
  tokenCache: TokenCacheStore;
  approvalIndex: ApprovalIndex;
  references: ConversationReferences;
}

export async function createPersistence(client: CosmosClient, databaseId: string): Promise<Persistence> {
  const containers = await ensureContainers(client, databaseId);
  const approvalIndex = new CosmosApprovalIndex(containers.approvalIndex);
  const checkpointer = new CosmosCheckpointSaver({ checkpoints: containers.checkpoints, blobs: containers.blobs });
  return {
    containers,
    checkpointer,
    store: new CosmosStore(containers.memory),
    approvals: new CosmosApprovalsRepository(containers.approvals, approvalIndex),
    audit: new CosmosAuditLog(containers.audit),
    dedupe: new CosmosDedupe(containers.dedupe),
    // Thread leases live in the thread's partition with its head (one claim and one commit per turn).
    leases: checkpointer.turnLeases(),
    tokenCache: createCosmosTokenCacheStore(containers.tokenCache),
    approvalIndex,
    references: new CosmosConversationReferences(containers.references),
  };
}
