import { createAdapter } from '../../../bot/adapters/teams-ai/adapter';
import { createServer, type RunningServer } from '../../../bot/http/server';
import { silentLogger } from '../../../src/logging';
import { BOT_ID, TENANT, buildMessage } from '../../fakes/bot-activities';

describe('HTTP server (local profile)', () => {
  let server: RunningServer;
  let base: string;
  const handled: string[] = [];
  let cosmosUp = true;

  beforeAll(async () => {
    jest.spyOn(console, 'error').mockImplementation(() => undefined);
    jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    const adapter = createAdapter({ appId: BOT_ID, appPassword: undefined, tenantId: TENANT, appType: 'SingleTenant', authenticateInbound: false }, silentLogger());
    server = createServer({
      admit: () => undefined,
      logger: silentLogger(),
      authority: `https://login.example/${TENANT}`,
      maxBodyBytes: 256 * 1024,
      probes: [
        { name: 'cosmos', check: async () => (cosmosUp ? undefined : Promise.reject(new Error('ECONNREFUSED'))) },
        { name: 'identity', check: async () => undefined },
      ],
      processActivity: (req, res) =>
        adapter.process(req, res, async (turn) => {
          handled.push(turn.activity.text ?? turn.activity.type);
        }),
    });
    base = `http://127.0.0.1:${await server.listen(0)}`;
  });

  afterAll(async () => {
    await server.close();
    jest.restoreAllMocks();
  });

  const post = (body: string, contentType = 'application/json'): Promise<Response> =>
    fetch(`${base}/api/messages`, { method: 'POST', headers: { 'content-type': contentType }, body });

  it('when a valid activity arrives without credentials, then it is processed (local profile)', async () => {
    const res = await post(JSON.stringify(buildMessage('hello')));
    expect(res.status).toBe(200);
    expect(handled).toContain('hello');
  });

  it('when the body is malformed JSON, then it answers 400 with a clear error and keeps serving', async () => {
    const res = await post('{"type": "message", ');
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(/JSON/i);
    expect((await post(JSON.stringify(buildMessage('still here')))).status).toBe(200);
    expect(handled).toContain('still here');
  });

  it('when the activity has no type, then it answers 400', async () => {
    const res = await post(JSON.stringify({ text: 'no type' }));
    expect(res.status).toBe(400);
  });

  it('when fields have the wrong types, then it answers 400 and nothing is processed', async () => {
    const before = handled.length;
    const res = await post(JSON.stringify({ type: 'message', text: 'x', from: 'not-an-object', conversation: 5 }));
    expect(res.status).toBe(400);
    expect(handled).toHaveLength(before);
  });

  it('when the body is over the limit, then it answers 413', async () => {
    const res = await post(JSON.stringify(buildMessage('x'.repeat(300 * 1024))));
    expect(res.status).toBe(413);
  });

  it('when the content type is not JSON, then it is refused', async () => {
    const res = await post('hello', 'text/plain');
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
  });

  it('when /healthz is called, then it answers 200', async () => {
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
  });

  it('when a dependency is down, then /readyz answers 503 naming it; when it is back, 200', async () => {
    cosmosUp = false;
    const down = await fetch(`${base}/readyz`);
    expect(down.status).toBe(503);
    expect(JSON.stringify(await down.json())).toContain('ECONNREFUSED');
    cosmosUp = true;
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
  });

  it('when Teams opens the consent fallback, then the sign-in pages are served', async () => {
    const start = await fetch(`${base}/auth-start.html?scope=s&clientId=c&tenantId=t&pending=p`);
    expect(start.status).toBe(200);
    expect(start.headers.get('content-type')).toContain('text/html');
    expect(await start.text()).toContain('/oauth2/v2.0/authorize');
    expect(await (await fetch(`${base}/auth-end.html`)).text()).toContain('notifySuccess');
  });
});
