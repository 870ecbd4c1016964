/**
 * The user's own Genie conversations in a space (their OBO token): list (the service lists only the
 * caller's own unless `include_all`, which needs CAN MANAGE — this client never sets it), find one
 * by id among them, delete one. 404 on the space → GENIE.SPACE_UNAVAILABLE.
 */
import { z } from 'zod';
import { genieFetch } from './genie-http';
import { spacePath, spaceUnavailable, transportOf, type GenieRestOptions } from './genie-spaces';
import { parseWire } from './genie-wire';

export interface GenieConversationSummary {
  conversationId: string;
  title: string;
  /** Epoch milliseconds, when the service gives it. */
  createdAt: number | undefined;
}

export interface GenieConversationsClient {
  /** The user's most recent conversations in the space, newest first (at most `limit`, ≤ 100). */
  list(spaceId: string, limit: number): Promise<GenieConversationSummary[]>;
  /** The user's own conversation with that id in the space, looked up through the list, or undefined. */
  findOwn(spaceId: string, conversationId: string): Promise<GenieConversationSummary | undefined>;
  delete(spaceId: string, conversationId: string): Promise<void>;
}

/** Pages read when looking a conversation up (100 each): the service keeps at most 10,000 per space. */
export const MAX_CONVERSATION_PAGES = 100;

const listSchema = z.object({
  conversations: z.array(z.object({ conversation_id: z.string().min(1), title: z.string().nullish(), created_timestamp: z.number().nullish() })).nullish(),
  next_page_token: z.string().nullish(),
});

export function createGenieConversationsClient(options: GenieRestOptions): GenieConversationsClient {
  const transport = transportOf(options);
  async function page(spaceId: string, size: number, token: string | undefined): Promise<z.infer<typeof listSchema>> {
    const query = new URLSearchParams({ page_size: String(size) });
    if (token) query.set('page_token', token);
    try {
      return parseWire(listSchema, await genieFetch(transport, 'GET', `${spacePath(spaceId)}/conversations?${query}`, undefined, undefined), 'conversation list');
    } catch (error) {
      throw spaceUnavailable(error, spaceId);
    }
  }
  const summaryOf = (c: NonNullable<z.infer<typeof listSchema>['conversations']>[number]): GenieConversationSummary => ({
    conversationId: c.conversation_id,
    title: c.title?.trim() || '(untitled)',
    createdAt: c.created_timestamp ?? undefined,
  });
  return {
    async list(spaceId, limit) {
      const body = await page(spaceId, Math.max(1, Math.min(limit, 100)), undefined);
      return (body.conversations ?? []).slice(0, limit).map(summaryOf);
    },
    async findOwn(spaceId, conversationId) {
      let token: string | undefined;
      for (let i = 0; i < MAX_CONVERSATION_PAGES; i++) {
        const body = await page(spaceId, 100, token);
        const found = (body.conversations ?? []).find((c) => c.conversation_id === conversationId);
        if (found) return summaryOf(found);
        token = body.next_page_token ?? undefined;
        if (!token) return undefined;
      }
      return undefined;
    },
    async delete(spaceId, conversationId) {
      try {
        await genieFetch(transport, 'DELETE', `${spacePath(spaceId)}/conversations/${encodeURIComponent(conversationId)}`, undefined, undefined);
      } catch (error) {
        throw spaceUnavailable(error, spaceId);
      }
    },
  };
}
