import { InMemoryStore } from '@langchain/langgraph';
import { AppError } from '../../src/errors';
import { createSpaceChoiceStore } from '../../src/spaces/space-choice-store';
import { createSpaceService } from '../../src/spaces/space-service';
import type { Activity, TurnContext } from 'botbuilder';
import { createTurnLogic } from '../../bot/adapters/teams-ai/app';
import { createTurnErrorHandler } from '../../bot/turns/turn-errors';
import { BackgroundTurns } from '../../bot/turns/background';
import type { BotDeps } from '../../bot/turns/deps';
import { ResultCache } from '../../bot/turns/result-cache';
import { silentLogger } from '../../src/logging';
import { BOT_ID, TENANT } from './bot-activities';
import { RecordingAdapter, type RecordedInvokeResponse } from './bot-recording-adapter';
import { FakeAgentService, FakeDatabricks, FakeIdentityService, MemoryDedupe } from './bot-ports';

export interface BotHarness {
  adapter: RecordingAdapter;
  agents: FakeAgentService;
  identity: FakeIdentityService;
  dedupe: MemoryDedupe;
  databricks: FakeDatabricks;
  deps: BotDeps;
  /** Delivers one activity and waits for the background work it started. */
  send(activity: Partial<Activity>): Promise<RecordedInvokeResponse | undefined>;
  /** Delivers one activity without waiting for background work. */
  deliver(activity: Partial<Activity>): Promise<RecordedInvokeResponse | undefined>;
  settle(): Promise<void>;
}

export function createBotHarness(options: { invokeBudgetMs?: number; signedIn?: string[] } = {}): BotHarness {
  const logger = silentLogger();
  const adapter = new RecordingAdapter();
  adapter.onTurnError = createTurnErrorHandler(logger);
  const agents = new FakeAgentService();
  const identity = new FakeIdentityService();
  for (const oid of options.signedIn ?? []) identity.sessions.add(`${TENANT}:${oid}`);
  const dedupe = new MemoryDedupe();
  const databricks = new FakeDatabricks();
  const deps: BotDeps = {
    config: {
      bot: { appId: BOT_ID, appPassword: undefined, tenantId: TENANT, appType: 'SingleTenant', authenticateInbound: false },
      identity: {
        tenantId: TENANT,
        authority: 'https://login.example/' + TENANT,
        knownAuthorities: [],
        clientId: BOT_ID,
        clientSecret: 'x',
        appIdUri: `api://localhost/botid-${BOT_ID}`,
        allowedTenantIds: [TENANT],
        databricksScope: 'dbx/user_impersonation',
        graphScope: 'https://graph.microsoft.com/GroupMember.Read.All',
        signInLink: 'http://localhost:3978/auth-start.html',
      },
      results: { rowCap: 20 },
    },
    logger,
    agents,
    identity,
    dedupe,
    buildDatabricks: databricks.build,
    background: new BackgroundTurns(logger),
    results: new ResultCache(),
    spaces: createSpaceService({
      settings: { defaultSpaceId: 'space-1', allowList: [] },
      choices: createSpaceChoiceStore(new InMemoryStore()),
      rest: () => {
        throw new AppError('AUTH.SIGN_IN_REQUIRED', 'the unit harness has no Genie REST; spaces are tested end to end');
      },
      continueConversation: (ctx, spaceId, conversationId) => agents.continueGenieConversation(ctx, spaceId, conversationId),
    }),
    continueConversation: (reference, logic) => adapter.continueConversationAsync(BOT_ID, reference, logic),
    continuePersonalChat: (turn: TurnContext, logic) =>
      adapter.createConversationAsync(BOT_ID, turn.activity.channelId, turn.activity.serviceUrl, '', { isGroup: false, bot: turn.activity.recipient, members: [turn.activity.from], tenantId: TENANT, activity: undefined as never, channelData: { tenant: { id: TENANT } } }, logic),
    invokeBudgetMs: options.invokeBudgetMs ?? 300,
  };
  const logic = createTurnLogic(deps);
  const deliver = (activity: Partial<Activity>): Promise<RecordedInvokeResponse | undefined> => adapter.receive(activity, logic);
  const settle = async (): Promise<void> => {
    await deps.background.idle(10_000);
  };
  return {
    adapter,
    agents,
    identity,
    dedupe,
    databricks,
    deps,
    deliver,
    settle,
    send: async (activity) => {
      const response = await deliver(activity);
      await settle();
      return response;
    },
  };
}
