/**
 * §4 case 28 (finding 3): outbound `POST …/activities` is not idempotent, so when the connector
 * accepted a reply but answered 502, sending it again shows the user the message twice. Measures
 * how many times one `sendActivity` reaches the connector through the bot's real adapter. The SDK's
 * default retry policy made it 4 POSTs (1 + 3 retries); bot/adapters/teams-ai/outbound-retries.ts makes it 1.
 * Answers and card updates after the invoke or message was answered go through
 * `continueConversationAsync` (bot/index.ts `continueConversation`), so that path is measured too.
 */
import http from 'node:http';
import { TurnContext } from 'botbuilder';
import type { AddressInfo } from 'node:net';
import { createAdapter } from '../../../bot/adapters/teams-ai/adapter';
import { createServer, type RunningServer } from '../../../bot/http/server';
import { silentLogger } from '../../../src/logging';
import { buildMessage } from '../../fakes/bot-activities';

interface FakeConnector {
  serviceUrl: string;
  posts: () => number;
  /** PUT …/activities/{id} (card updates). */
  puts: () => number;
  close: () => Promise<void>;
}

/** Accepts every reply or update (counts it) and answers `status`, or the statuses in turn (the last one repeats). */
async function startConnector(status: number | number[]): Promise<FakeConnector> {
  let posts = 0;
  let puts = 0;
  const statuses = Array.isArray(status) ? status : [status];
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      if (req.method === 'POST' && /\/activities/.test(req.url ?? '')) posts += 1;
      if (req.method === 'PUT' && /\/activities\//.test(req.url ?? '')) puts += 1;
      const status = statuses[Math.min(posts + puts, statuses.length) - 1] ?? 200;
      res.writeHead(status, { 'content-type': 'application/json', ...(status === 429 ? { 'retry-after': '0' } : {}) });
      res.end(status < 300 ? JSON.stringify({ id: `reply-${posts}` }) : JSON.stringify({ error: { code: 'BadGateway', message: 'upstream failed after accepting' } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    serviceUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    posts: () => posts,
    puts: () => puts,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

async function replyOnce(connector: FakeConnector): Promise<{ status: number; sendError: unknown }> {
  const adapter = createAdapter({ appId: '', appPassword: '', tenantId: '', appType: 'SingleTenant', authenticateInbound: false }, silentLogger());
  adapter.onTurnError = async () => undefined;
  let sendError: unknown;
  const server: RunningServer = createServer({
    admit: () => undefined,
      logger: silentLogger(),
    authority: 'https://login.example/t',
    probes: [],
    processActivity: (req, res) =>
      adapter.process(req, res, async (turn) => {
        await turn.sendActivity('the answer').catch((error: unknown) => {
          sendError = error;
        });
      }),
  });
  const port = await server.listen(0);
  try {
    const response = await fetch(`http://127.0.0.1:${port}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...buildMessage('hi'), serviceUrl: connector.serviceUrl }),
      signal: AbortSignal.timeout(60_000),
    });
    return { status: response.status, sendError };
  } finally {
    await server.close();
  }
}

/** A proactive turn as bot/index.ts runs it (the bot's own adapter, `continueConversationAsync`). */
async function proactively(connector: FakeConnector, logic: (turn: TurnContext) => Promise<unknown>): Promise<{ error: unknown }> {
  const adapter = createAdapter({ appId: '', appPassword: '', tenantId: '', appType: 'SingleTenant', authenticateInbound: false }, silentLogger());
  const reference = TurnContext.getConversationReference({ ...buildMessage('hi'), serviceUrl: connector.serviceUrl });
  let error: unknown;
  await adapter.continueConversationAsync('', reference, async (turn) => {
    await logic(turn).catch((e: unknown) => {
      error = e;
    });
  });
  return { error };
}

describe('outbound replies when the connector answers 502 after accepting', () => {
  beforeAll(() => {
    jest.spyOn(console, 'error').mockImplementation(() => undefined);
    jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  });
  afterAll(() => jest.restoreAllMocks());

  it('when the connector accepts the reply and answers 200, then it receives it once (control case)', async () => {
    const connector = await startConnector(200);
    try {
      await replyOnce(connector);
      expect(connector.posts()).toBe(1);
    } finally {
      await connector.close();
    }
  });

  it('when the connector accepts the reply but answers 502, then the reply is not sent again (duplicate messages = 0)', async () => {
    const connector = await startConnector(502);
    try {
      const { sendError } = await replyOnce(connector);
      expect(sendError).toBeDefined();
      expect(connector.posts()).toBe(1);
    } finally {
      await connector.close();
    }
  }, 60_000);

  it('when the connector throttles with 429 and Retry-After, then the reply is sent again and delivered once', async () => {
    const connector = await startConnector([429, 200]);
    try {
      const { sendError } = await replyOnce(connector);
      expect(sendError).toBeUndefined();
      expect(connector.posts()).toBe(2);
    } finally {
      await connector.close();
    }
  }, 60_000);

  it('when a proactive answer (continueConversationAsync) is accepted but answered 502, then it is posted once', async () => {
    const connector = await startConnector(502);
    try {
      const { error } = await proactively(connector, (turn) => turn.sendActivity('the answer'));
      expect(error).toBeDefined();
      expect(connector.posts()).toBe(1);
    } finally {
      await connector.close();
    }
  }, 60_000);

  it('when a proactive card update (continueConversationAsync) is accepted but answered 502, then it is sent once', async () => {
    const connector = await startConnector(502);
    try {
      const { error } = await proactively(connector, (turn) => turn.updateActivity({ type: 'message', id: 'card-1', text: 'executed' }));
      expect(error).toBeDefined();
      expect(connector.puts()).toBe(1);
      expect(connector.posts()).toBe(0);
    } finally {
      await connector.close();
    }
  }, 60_000);

  it('when a proactive answer is throttled with 429 and Retry-After, then it is sent again and delivered once (control case)', async () => {
    const connector = await startConnector([429, 200]);
    try {
      const { error } = await proactively(connector, (turn) => turn.sendActivity('the answer'));
      expect(error).toBeUndefined();
      expect(connector.posts()).toBe(2);
    } finally {
      await connector.close();
    }
  }, 60_000);
});
