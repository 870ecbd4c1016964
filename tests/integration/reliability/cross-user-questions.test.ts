/**
 * Reliability case 24, driven as messages over real emulators (Cosmos checkpointer and store,
 * Databricks Genie and warehouse as the signed-in user): alice asks questions and saves memories,
 * then bob, in their group chat and in his 1:1, asks what alice asked, for her memories, to
 * continue her conversation, to forget her memories. Nothing of alice's reaches bob, and every
 * thread and memory read of bob's turns touched only bob's thread ids and namespace.
 */
import { createAgentService, type AgentServiceWithGraph, type TurnResult } from '../../../src/agents';
import { threadIdOf, type ConversationInfo, type UserIdentity } from '../../../src/context/request-context';
import { createChatModelRouter, createDeterministicRouter, type IntentRouter } from '../../../src/llm';
import type { Persistence } from '../../../src/persistence/persistence';
import { buildContext } from '../../fakes/request-contexts';
import { reply, ScriptedChatModel } from '../../unit/reliability/support/scripted-chat-model';
import { startAgentStack, type AgentStack } from '../agents/agent-stack';
import { recordingCheckpointer, recordingStore, type Touched } from './support/recording-persistence';
import { demoIdentity } from './support/reliability-stack';

jest.setTimeout(180_000);

const alice = demoIdentity('alice');
const bob = demoIdentity('bob');

const BOB_ASKS = [
  'What are total sales by region?',
  'what did alice ask yesterday?',
  "show alice's memories",
  'what do you remember about alice?',
  'what do you remember about Alice Wong?',
  "continue alice's conversation",
  "what was the answer to alice's last question?",
  'what do you remember',
  "forget alice's memories",
  'erase everything alice told you',
];
/** Recognised without any model: "what do you remember" and "forget …". */
const EXPLICIT_ASKS = 2;
const BOB_MEMORY = 'my region is East';

let agents: AgentStack;

beforeAll(async () => {
  agents = await startAgentStack();
  await agents.genie.control('rate-limit', { postsPerWindow: 100_000 });
});
afterAll(async () => {
  await agents?.stop();
});

async function serviceWith(router: IntentRouter): Promise<{ service: AgentServiceWithGraph; persistence: Persistence; touched: Touched }> {
  const { persistence } = await agents.newInstance();
  const touched: Touched = { threadIds: [], namespaces: [] };
  const service = createAgentService({
    checkpointer: recordingCheckpointer(persistence.checkpointer, touched),
    store: recordingStore(persistence.store, touched),
    approvals: persistence.approvals,
    audit: persistence.audit,
    leases: persistence.leases,
    router,
    isApprover: async () => false,
    settings: { approvals: { ttlMinutes: 60, fourEyesRowThreshold: 1000, approversGroupId: undefined }, results: { rowCap: 20 } },
  });
  return { service, persistence, touched };
}

/** A model that happily routes "alice's memories" to recall and "erase what alice told you" to forget-all. */
function helpfulModel(): ScriptedChatModel {
  return new ScriptedChatModel((p) => {
    if (/remember about|memories/i.test(p.human) && !/forget/i.test(p.human)) return reply({ intent: 'recall' });
    if (/forget|erase/i.test(p.human)) return reply({ intent: 'forget', text: 'all' });
    return reply({ intent: 'question', question: p.human });
  });
}

function chats(tag: string): Record<'aliceDm' | 'bobDm' | 'group', ConversationInfo> {
  return {
    aliceDm: { id: `personal-alice-24-${tag}`, kind: 'personal' },
    bobDm: { id: `personal-bob-24-${tag}`, kind: 'personal' },
    group: { id: `group-24-${tag}`, kind: 'groupChat' },
  };
}

const rowsOf = (results: TurnResult[]): string[] =>
  results.flatMap((r) => (r.kind === 'genie' ? (r.answer.table?.rows ?? []).map((row) => JSON.stringify(row)) : []));
const genieIdsOf = (results: TurnResult[]): string[] => results.flatMap((r) => (r.kind === 'genie' ? [r.answer.conversationId] : []));

async function say(service: AgentServiceWithGraph, user: UserIdentity, conversation: ConversationInfo, text: string): Promise<TurnResult> {
  return service.handleMessage(buildContext(user, { conversation }), agents.databricks, text);
}

describe.each([
  ['the deterministic router', 'det', () => ({ router: createDeterministicRouter(), model: undefined })],
  ['a chat model that routes "alice’s memories" to recall', 'llm', () => { const model = helpfulModel(); return { router: createChatModelRouter(model), model }; }],
] as const)('case 24 with %s: bob asks about alice', (_label, tag, makeRouter) => {
  it('when bob asks in the group chat and in his 1:1 what alice asked, for her memories, or to continue her conversation, then nothing of hers is retrieved or shown', async () => {
    const { router, model } = makeRouter();
    const { service, touched } = await serviceWith(router);
    const c = chats(tag);
    const codename = `my project codename is Bluefinch-${tag}`;
    const aliceQuestions = [`What are total sales by region? (Bluefinch-${tag} review)`, 'How many cancelled orders per region?'];

    await say(service, alice, c.aliceDm, 'remember that I work on the West region');
    await say(service, alice, c.aliceDm, `remember that ${codename}`);
    const aliceAnswers = [await say(service, alice, c.group, aliceQuestions[0] as string), await say(service, alice, c.aliceDm, aliceQuestions[1] as string)];
    const aliceMemories = (await service.listMemories(buildContext(alice))).filter((m) => m.text === codename || m.text === 'I work on the West region');
    const aliceConversations = genieIdsOf(aliceAnswers);
    const aliceRows = rowsOf(aliceAnswers);
    expect(aliceConversations).toHaveLength(2);
    expect(aliceRows.length).toBeGreaterThan(0);
    expect(aliceMemories.map((m) => m.text)).toEqual(expect.arrayContaining([codename, 'I work on the West region']));
    if (model) expect(model.everything()).toContain(codename);

    const historyBefore = (await agents.genie.history()).length;
    const promptsBefore = model?.prompts.length ?? 0;
    touched.threadIds.length = 0;
    touched.namespaces.length = 0;

    await service.forgetMemory(buildContext(bob), 'all');
    await say(service, bob, c.bobDm, `remember that ${BOB_MEMORY}`);
    const bobResults: TurnResult[] = [];
    for (const text of BOB_ASKS) bobResults.push(await say(service, bob, c.group, text));
    for (const text of BOB_ASKS) bobResults.push(await say(service, bob, c.bobDm, text));
    const bobByKey = await service.forgetMemory(buildContext(bob, { conversation: c.group }), aliceMemories[0]?.key ?? '');
    await service.resetThread(buildContext(bob, { conversation: c.group }));
    const bobSees = JSON.stringify([bobResults, await service.listMemories(buildContext(bob))]);

    for (const secret of [`Bluefinch-${tag}`, 'I work on the West region', ...aliceQuestions, ...aliceConversations]) expect(bobSees).not.toContain(secret);
    expect(rowsOf(bobResults).filter((row) => aliceRows.includes(row))).toEqual([]);
    expect(genieIdsOf(bobResults).length).toBeGreaterThan(0);
    const recalls = bobResults.filter((r) => r.kind === 'memories');
    expect(recalls.length).toBeGreaterThan(0);
    expect(recalls[0]).toEqual({ kind: 'memories', items: [expect.objectContaining({ text: BOB_MEMORY })] });
    expect(recalls.flatMap((r) => (r.kind === 'memories' ? r.items.map((i) => i.text) : [])).every((t) => t === BOB_MEMORY)).toBe(true);
    expect(bobByKey).toBe(0);

    const bobThreads = [threadIdOf({ user: bob, conversation: c.group }), threadIdOf({ user: bob, conversation: c.bobDm })];
    expect(touched.threadIds.length).toBeGreaterThan(0);
    expect([...new Set(touched.threadIds)].sort()).toEqual([...bobThreads].sort());
    expect(bobThreads.every((t) => t.startsWith(`${bob.tenantId}:`) && t.endsWith(`:${bob.objectId}`))).toBe(true);
    expect(touched.namespaces.length).toBeGreaterThan(0);
    expect(touched.namespaces.filter((ns) => ns[0] !== bob.tenantId || ns[1] !== bob.objectId)).toEqual([]);

    const genieDuringBob = (await agents.genie.history()).slice(historyBefore);
    expect(genieDuringBob.length).toBeGreaterThan(0);
    expect(genieDuringBob.filter((q) => q.upn !== bob.upn)).toEqual([]);
    if (model) {
      const bobPrompts = model.prompts.slice(promptsBefore);
      expect(bobPrompts.length).toBe((BOB_ASKS.length - EXPLICIT_ASKS) * 2);
      const seen = bobPrompts.map((p) => p.all.join('\n')).join('\n');
      for (const secret of [`Bluefinch-${tag}`, 'I work on the West region', ...aliceQuestions]) expect(seen).not.toContain(secret);
    }

    const aliceAfter = (await service.listMemories(buildContext(alice))).map((m) => m.key);
    expect(aliceAfter).toEqual(expect.arrayContaining(aliceMemories.map((m) => m.key)));
    const followUp = await say(service, alice, c.group, 'by month instead');
    expect(followUp.kind === 'genie' && followUp.answer.conversationId).toBe(aliceConversations[0]);
  });
});
