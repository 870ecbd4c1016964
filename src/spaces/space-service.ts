/**
 * The Genie space use cases: list and pick the space of a Teams conversation, resolve it for a turn,
 * and the user's own conversation history in it (list, resume, delete). Every Databricks call is made
 * as the person in `ctx` (built from the validated activity), through clients built for this call
 * only; card data only ever supplies ids, which are checked again here as that person.
 *
 * The choice is per Teams conversation: in a group chat or channel everyone asks the same space (the
 * conversation is about one subject), but each person's access is still checked with their own token
 * on use, so a space someone else picked never lends anyone its access.
 */
import type { RequestContext, UserIdentity } from '../context/request-context';
import type { GenieConversationsClient, GenieConversationSummary } from '../databricks/genie-conversations';
import type { GenieSpaceDetails, GenieSpaceInfo, GenieSpacesClient } from '../databricks/genie-spaces';
import { AppError } from '../errors';
import type { SpaceChoiceStore } from './space-choice-store';
import { isOffered, matchSpace, offeredSpaces, type SpaceSettings } from './space-rules';

export interface GenieRestClients {
  spaces: GenieSpacesClient;
  conversations: GenieConversationsClient;
}

export interface SpaceServiceDeps {
  settings: SpaceSettings;
  choices: SpaceChoiceStore;
  /** Builds the REST clients over one user's token provider (a closure over the shared identity service). */
  rest: (user: Pick<UserIdentity, 'tenantId' | 'objectId'>) => GenieRestClients;
  /** Points the user's thread in this conversation at a Genie conversation (follow-ups continue it). */
  continueConversation: (ctx: RequestContext, spaceId: string, conversationId: string) => Promise<void>;
  now?: () => Date;
}

export interface SpaceList {
  currentSpaceId: string;
  spaces: GenieSpaceInfo[];
}

export const HISTORY_LIMIT = 10;

export type PickResult = { kind: 'picked'; space: GenieSpaceInfo } | { kind: 'ambiguous'; titles: string[] };

export interface SpaceService {
  list(ctx: RequestContext): Promise<SpaceList>;
  /** Picks an offered space the user can see, by id or name, for the whole conversation. */
  pick(ctx: RequestContext, typed: string): Promise<PickResult>;
  /** The conversation's space id, not yet checked (for the Genie turn, which re-checks it via `turnSpaceId`). */
  chosenSpaceId(ctx: RequestContext): Promise<string>;
  /** The space the turn asks: the choice re-checked as this user (offered, and visible to them). */
  turnSpaceId(ctx: RequestContext): Promise<string>;
  /**
   * The space of a result card, re-checked as this user: offered by the bot (default or allow-list)
   * and visible to them (GET as them). A card without a space is from before spaces: the default
   * (which, as in `turnSpaceId`, Genie itself checks on the read).
   */
  resultSpaceId(ctx: RequestContext, cardSpaceId: string | undefined): Promise<string>;
  /** The conversation's space as this user may read it (sample questions only where they may read them). */
  details(ctx: RequestContext): Promise<GenieSpaceDetails>;
  history(ctx: RequestContext): Promise<{ space: GenieSpaceInfo; conversations: GenieConversationSummary[] }>;
  resume(ctx: RequestContext, conversationId: string): Promise<GenieConversationSummary>;
  remove(ctx: RequestContext, conversationId: string): Promise<GenieConversationSummary>;
}

export function createSpaceService(deps: SpaceServiceDeps): SpaceService {
  const now = deps.now ?? (() => new Date());
  const { settings } = deps;

  async function chosenSpaceId(ctx: RequestContext): Promise<string> {
    const choice = await deps.choices.get(ctx.user.tenantId, ctx.conversation.id);
    return choice?.spaceId ?? settings.defaultSpaceId;
  }

  /** The chosen space, re-checked for this user: still offered by the bot, and visible to them (GET as them). */
  async function checkedSpace(ctx: RequestContext, sampleQuestions: boolean): Promise<GenieSpaceDetails> {
    const spaceId = await chosenSpaceId(ctx);
    if (!isOffered(settings, spaceId)) {
      throw new AppError('GENIE.SPACE_NOT_ALLOWED', `Space ${spaceId} chosen for this conversation is no longer offered.`, { details: { spaceId } });
    }
    return deps.rest(ctx.user).spaces.getSpace(spaceId, { sampleQuestions });
  }

  /** The user's own conversation with that id in the conversation's space: looked up in their own list, as them. */
  async function ownConversation(ctx: RequestContext, conversationId: string): Promise<{ spaceId: string; conversation: GenieConversationSummary }> {
    const space = await checkedSpace(ctx, false);
    const conversation = await deps.rest(ctx.user).conversations.findOwn(space.spaceId, conversationId);
    if (!conversation) {
      throw new AppError('GENIE.CONVERSATION_NOT_FOUND', `Conversation ${conversationId} is not among the user's own in space ${space.spaceId}.`, {
        details: { spaceId: space.spaceId, conversationId },
      });
    }
    return { spaceId: space.spaceId, conversation };
  }

  return {
    async list(ctx) {
      const visible = await deps.rest(ctx.user).spaces.listSpaces();
      return { currentSpaceId: await chosenSpaceId(ctx), spaces: offeredSpaces(settings, visible) };
    },

    async pick(ctx, typed) {
      const visible = await deps.rest(ctx.user).spaces.listSpaces();
      const offered = offeredSpaces(settings, visible);
      const match = matchSpace(offered, typed);
      if (match.kind === 'many') return { kind: 'ambiguous', titles: match.titles };
      if (match.kind === 'none') {
        const hidden = matchSpace(visible, typed).kind !== 'none';
        throw hidden
          ? new AppError('GENIE.SPACE_NOT_ALLOWED', `"${typed}" names a space this bot does not offer.`)
          : new AppError('GENIE.SPACE_UNAVAILABLE', `No space the user can see matches "${typed}".`);
      }
      await deps.choices.set(ctx.user.tenantId, ctx.conversation.id, { spaceId: match.space.spaceId, chosenBy: ctx.user.objectId, chosenAt: now().toISOString() });
      ctx.logger.info({ spaceId: match.space.spaceId }, 'genie space chosen for the conversation');
      return { kind: 'picked', space: match.space };
    },

    chosenSpaceId,

    async turnSpaceId(ctx) {
      const spaceId = await chosenSpaceId(ctx);
      if (spaceId === settings.defaultSpaceId) return spaceId;
      return (await checkedSpace(ctx, false)).spaceId;
    },

    async resultSpaceId(ctx, cardSpaceId) {
      if (cardSpaceId === undefined || cardSpaceId === settings.defaultSpaceId) return settings.defaultSpaceId;
      if (!isOffered(settings, cardSpaceId)) {
        throw new AppError('GENIE.SPACE_NOT_ALLOWED', `Result card names space ${cardSpaceId}, which this bot does not offer.`, { details: { spaceId: cardSpaceId } });
      }
      return (await deps.rest(ctx.user).spaces.getSpace(cardSpaceId)).spaceId;
    },

    details: (ctx) => checkedSpace(ctx, true),

    async history(ctx) {
      const space = await checkedSpace(ctx, false);
      return { space, conversations: await deps.rest(ctx.user).conversations.list(space.spaceId, HISTORY_LIMIT) };
    },

    async resume(ctx, conversationId) {
      const { spaceId, conversation } = await ownConversation(ctx, conversationId);
      await deps.continueConversation(ctx, spaceId, conversation.conversationId);
      return conversation;
    },

    async remove(ctx, conversationId) {
      const { spaceId, conversation } = await ownConversation(ctx, conversationId);
      await deps.rest(ctx.user).conversations.delete(spaceId, conversation.conversationId);
      ctx.logger.info({ spaceId, conversationId }, 'genie conversation deleted by its owner');
      return conversation;
    },
  };
}
