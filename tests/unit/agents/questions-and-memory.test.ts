import { HELP_TEXT } from '../../../src/commands';
import { threadIdOf } from '../../../src/context/request-context';
import { AppError } from '../../../src/errors';
import { createAgentHarness } from '../../fakes/agent-harness';
import { buildContext, USERS } from '../../fakes/request-contexts';

describe('agent service: questions, memory, help', () => {
  it('when a user asks a question, then Genie answers it as that user and the answer is audited', async () => {
    const h = createAgentHarness();
    const ctx = buildContext(USERS.alice);
    const progress: string[] = [];
    const result = await h.service.handleMessage(ctx, h.databricks.factory, 'How many orders per region?', { onProgress: (t) => progress.push(t) });
    expect(result.kind).toBe('genie');
    if (result.kind !== 'genie') return;
    expect(result.answer.text).toBe('Answer to: How many orders per region?');
    expect(result.answer.query?.sql).toContain('SELECT');
    expect(result.answer.suggestedQuestions).toEqual(['Which region grew fastest?']);
    expect(h.databricks.genieCalls).toEqual([{ user: `${USERS.alice.tenantId}:${USERS.alice.objectId}`, question: 'How many orders per region?', conversationId: undefined }]);
    expect(progress).toEqual(['Asking Genie…', 'Running the query…']);
    expect(h.audit.events).toEqual([expect.objectContaining({ kind: 'genie.question', outcome: 'ok', genie: { conversationId: 'conv-1', messageId: 'msg-1' } })]);
    expect(h.databricks.closed).toBe(h.databricks.opened);
  });

  it('when a follow-up is asked, then it continues the same Genie conversation', async () => {
    const h = createAgentHarness();
    const ctx = buildContext(USERS.alice);
    await h.service.handleMessage(ctx, h.databricks.factory, 'orders per region');
    await h.service.handleMessage(buildContext(USERS.alice), h.databricks.factory, 'only West');
    expect(h.databricks.genieCalls.map((c) => c.conversationId)).toEqual([undefined, 'conv-1']);
  });

  it('when two people talk in one group chat, then they never share a Genie conversation', async () => {
    const h = createAgentHarness();
    const group = { id: 'group-1', kind: 'groupChat' as const };
    await h.service.handleMessage(buildContext(USERS.alice, { conversation: group }), h.databricks.factory, 'orders per region');
    await h.service.handleMessage(buildContext(USERS.bob, { conversation: group }), h.databricks.factory, 'orders per region');
    expect(h.databricks.genieCalls.map((c) => c.conversationId)).toEqual([undefined, undefined]);
  });

  it('when Genie returns many rows, then the answer and the checkpoint keep only the row cap, and no token', async () => {
    const h = createAgentHarness({ databricks: { genieRows: 500 }, rowCap: 20 });
    const ctx = buildContext(USERS.alice);
    const result = await h.service.handleMessage(ctx, h.databricks.factory, 'all orders');
    expect(result.kind === 'genie' && result.answer.table?.rows.length).toBe(20);
    expect(result.kind === 'genie' && result.answer.table?.totalRowCount).toBe(500);
    expect(result.kind === 'genie' && result.answer.table?.truncated).toBe(true);
    const tuple = await h.checkpointer.getTuple({ configurable: { thread_id: threadIdOf(ctx) } });
    const serialized = JSON.stringify(tuple?.checkpoint);
    expect(serialized).not.toMatch(/R499|token|Bearer/i);
    const everything = JSON.stringify([tuple?.metadata, tuple?.config, tuple?.pendingWrites]);
    expect(everything).not.toContain(ctx.correlationId);
    expect(everything).not.toMatch(/logger|databricks/i);
  });

  it('when the user says "help" or "commands", then the one help text (the bot\'s too) comes back without calling Databricks', async () => {
    const h = createAgentHarness();
    const result = await h.service.handleMessage(buildContext(USERS.alice), h.databricks.factory, 'help');
    expect(result).toEqual({ kind: 'help', text: HELP_TEXT });
    expect(await h.service.handleMessage(buildContext(USERS.alice), h.databricks.factory, 'commands')).toEqual({ kind: 'help', text: HELP_TEXT });
    expect(h.databricks.opened).toBe(0);
  });

  it('when a user remembers their region, then questions about "my region" use it, and forgetting removes it', async () => {
    const h = createAgentHarness();
    const ctx = buildContext(USERS.alice);
    await h.service.handleMessage(ctx, h.databricks.factory, 'remember that my region is West');
    const recalled = await h.service.handleMessage(ctx, h.databricks.factory, 'what do you remember');
    expect(recalled).toEqual({ kind: 'memories', items: [expect.objectContaining({ text: 'my region is West' })] });
    await h.service.handleMessage(ctx, h.databricks.factory, 'how many orders in my region?');
    expect(h.databricks.genieCalls[0]?.question).toBe('how many orders in West?');
    expect(await h.service.listMemories(buildContext(USERS.bob))).toEqual([]);
    const forgot = await h.service.handleMessage(ctx, h.databricks.factory, 'forget my region');
    expect(forgot).toEqual({ kind: 'text', text: 'Forgot 1 memory.' });
    expect(await h.service.listMemories(ctx)).toEqual([]);
    expect(h.audit.kinds().filter((k) => k === 'memory.changed')).toHaveLength(2);
  });

  it('when memories are forgotten through the service by key or all, then the count is returned', async () => {
    const h = createAgentHarness();
    const ctx = buildContext(USERS.alice);
    await h.service.handleMessage(ctx, h.databricks.factory, 'remember my region is West');
    await h.service.handleMessage(ctx, h.databricks.factory, 'remember I prefer charts');
    const [first] = await h.service.listMemories(ctx);
    expect(await h.service.forgetMemory(ctx, first?.key ?? '')).toBe(1);
    expect(await h.service.forgetMemory(ctx, 'all')).toBe(1);
  });

  it('when the thread is reset, then the next question starts a new Genie conversation', async () => {
    const h = createAgentHarness();
    const ctx = buildContext(USERS.alice);
    await h.service.handleMessage(ctx, h.databricks.factory, 'orders per region');
    await h.service.resetThread(ctx);
    await h.service.handleMessage(ctx, h.databricks.factory, 'orders per region');
    expect(h.databricks.genieCalls.map((c) => c.conversationId)).toEqual([undefined, undefined]);
  });

  it('when another run holds the thread lease, then a second message waits and then gets THREAD.BUSY', async () => {
    const h = createAgentHarness({ leaseWaitMs: 100 });
    const ctx = buildContext(USERS.alice);
    await h.leases.acquire(`thread:${threadIdOf(ctx)}`, 'other-instance', 60_000);
    await expect(h.service.handleMessage(ctx, h.databricks.factory, 'orders')).rejects.toMatchObject({ code: 'THREAD.BUSY' });
    expect(h.databricks.genieCalls).toHaveLength(0);
  });

  it('when two messages arrive together on one thread, then they run one after the other', async () => {
    const h = createAgentHarness({ leaseWaitMs: 5_000 });
    const ctx = buildContext(USERS.alice);
    const [a, b] = await Promise.all([
      h.service.handleMessage(ctx, h.databricks.factory, 'orders per region'),
      h.service.handleMessage(buildContext(USERS.alice), h.databricks.factory, 'only West'),
    ]);
    expect([a.kind, b.kind]).toEqual(['genie', 'genie']);
    expect(h.databricks.genieCalls.map((c) => c.conversationId)).toEqual([undefined, 'conv-1']);
  });

  it('when "remember" and a question about "my region" arrive together on one thread, then the question reads the memory the first turn wrote', async () => {
    const h = createAgentHarness({ leaseWaitMs: 5_000 });
    const ctx = buildContext(USERS.alice);
    const put = h.store.put.bind(h.store);
    jest.spyOn(h.store, 'put').mockImplementation(async (...args) => {
      await new Promise((resolve) => setTimeout(resolve, 50)); // the memory lands while the second message waits for the thread
      return put(...args);
    });
    const remembered = h.service.handleMessage(ctx, h.databricks.factory, 'remember that my region is West');
    await new Promise((resolve) => setTimeout(resolve, 5));
    await h.service.handleMessage(buildContext(USERS.alice), h.databricks.factory, 'how many orders in my region?');
    await remembered;
    expect(h.databricks.genieCalls.map((c) => c.question)).toEqual(['how many orders in West?']);
  });

  it('when the audit write of a Genie answer fails, then the turn fails with the storage error and no answer is returned', async () => {
    const h = createAgentHarness();
    jest.spyOn(h.audit, 'append').mockRejectedValue(new AppError('STORAGE.UNAVAILABLE', 'audit container down'));
    await expect(h.service.handleMessage(buildContext(USERS.alice), h.databricks.factory, 'orders per region')).rejects.toMatchObject({ code: 'STORAGE.UNAVAILABLE' });
    expect(h.databricks.genieCalls).toHaveLength(1);
  });
});
