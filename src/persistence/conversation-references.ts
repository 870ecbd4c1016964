import type { Container } from '@azure/cosmos';
import { cosmosCall } from './cosmos-errors';
import { queryAll } from './cosmos-items';

/**
 * Where the bot can speak first (issue 17 item 8): the conversation references Teams gave us when a
 * person installed the bot or wrote to it in a 1:1 chat, and when the bot was installed in a
 * channel. Container `references`, partition key `/tenantId`, so "the 1:1 chats of this tenant" is
 * one single-partition query. A reference names a conversation, not a permission: who may approve is
 * asked of Microsoft Graph before anything is sent to one.
 */
export interface StoredReference {
  tenantId: string;
  kind: 'personal' | 'channel';
  conversationId: string;
  serviceUrl: string;
  /** For a 1:1 chat: whose it is (from the validated activity). */
  user?: { objectId: string; name: string; teamsId: string };
  updatedAt: string;
}

type ReferenceDoc = StoredReference & { id: string };

/** Cosmos item ids may not contain `/`, `\`, `?` or `#`; conversation ids may, so the id is encoded. */
function idOf(kind: StoredReference['kind'], key: string): string {
  return `${kind}-${Buffer.from(key, 'utf8').toString('base64url')}`;
}

export interface ConversationReferences {
  remember(reference: StoredReference): Promise<void>;
  /** Every stored 1:1 chat in the tenant. */
  personal(tenantId: string): Promise<StoredReference[]>;
  /** A stored channel reference, when the bot was installed in that channel. */
  channel(tenantId: string, conversationId: string): Promise<StoredReference | undefined>;
}

export class CosmosConversationReferences implements ConversationReferences {
  constructor(private readonly container: Container) {}

  async remember(reference: StoredReference): Promise<void> {
    const key = reference.kind === 'personal' ? reference.user?.objectId ?? reference.conversationId : reference.conversationId;
    const doc: ReferenceDoc = { ...reference, id: idOf(reference.kind, key) };
    await cosmosCall('store conversation reference', () => this.container.items.upsert(doc));
  }

  async personal(tenantId: string): Promise<StoredReference[]> {
    const query = {
      query: 'SELECT c.tenantId, c.kind, c.conversationId, c.serviceUrl, c.user, c.updatedAt FROM c WHERE c.tenantId = @tenantId AND c.kind = @kind',
      parameters: [{ name: '@tenantId', value: tenantId }, { name: '@kind', value: 'personal' }],
    };
    return queryAll<StoredReference>(this.container, query, tenantId, 'list 1:1 references');
  }

  async channel(tenantId: string, conversationId: string): Promise<StoredReference | undefined> {
    const { resource } = await cosmosCall('read channel reference', () => this.container.item(idOf('channel', conversationId), tenantId).read<ReferenceDoc>());
    if (!resource) return undefined;
    const reference: ReferenceDoc = resource;
    return { tenantId: reference.tenantId, kind: reference.kind, conversationId: reference.conversationId, serviceUrl: reference.serviceUrl, updatedAt: reference.updatedAt, ...(reference.user ? { user: reference.user } : {}) };
  }
}
