import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { handleTimingControl } from '../../../emulators/databricks/genie/timing-controls';
import { GenieState } from '../../../emulators/databricks/genie/state';

/** `/_control/genie/timings`: Genie's own created / finished times per message, for the bench's bot-added time. */
describe('Genie emulator timings control', () => {
  let clock = 1_000;
  const state = new GenieState(() => clock);
  let server: Server;
  let base: string;

  beforeAll(async () => {
    server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://local');
      if (!handleTimingControl(state, req, res, url)) res.writeHead(404).end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('when messages finish and one still runs, then those created since the cutoff are listed with created and finished times from the emulator clock', async () => {
    const user = { objectId: 'a11ce000-0000-4000-8000-000000000001', upn: 'alice@contoso.example', groups: [] };
    const conversation = state.createConversation('space', user as never, 'q');
    const old = state.addMessage(conversation, 'before the cutoff');
    state.setStatus(old, 'COMPLETED');
    clock = 2_000;
    const done = state.addMessage(conversation, 'answered');
    clock = 2_350;
    state.setStatus(done, 'COMPLETED');
    clock = 2_400;
    const running = state.addMessage(conversation, 'still running');
    state.setStatus(running, 'ASKING_AI');
    const res = await fetch(`${base}/_control/genie/timings?since=2000`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual([
      { messageId: done.messageId, status: 'COMPLETED', createdAt: 2_000, finishedAt: 2_350 },
      { messageId: running.messageId, status: 'ASKING_AI', createdAt: 2_400 },
    ]);
  });

  it('when since is not a non-negative number, then it answers 400 with a clear message', async () => {
    for (const since of ['abc', '-5']) {
      const res = await fetch(`${base}/_control/genie/timings?since=${since}`);
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ error_code: 'INVALID_PARAMETER_VALUE', message: expect.stringMatching(/since/) });
    }
  });
});
