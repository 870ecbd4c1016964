/**
 * The Graph client's reading of answers the Graph emulator never gives (a broken proxy, a changed
 * API): a local HTTP server plays them. Whatever is not a well-formed answer about the groups asked
 * is an error, never membership.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createGraphClient } from '../../../src/directory';
import { type AppError, isAppError } from '../../../src/errors';

const GROUP = '9a000000-0000-4000-8000-000000000006';

describe('Graph client, unusual answers', () => {
  let server: Server;
  let baseUrl = '';
  let reply: { status: number; body: string; headers?: Record<string, string> } = { status: 200, body: '{}' };
  let requests = 0;
  let last: { path: string; body: string; authorization: string | undefined } | undefined;

  beforeAll(async () => {
    server = createServer((req, res) => {
      requests += 1;
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      req.on('end', () => {
        last = { path: req.url ?? '', body, authorization: req.headers.authorization };
        res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
        res.end(reply.body);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(() => {
    requests = 0;
  });

  async function failure(): Promise<AppError> {
    const error = await createGraphClient({ baseUrl }).checkMemberGroups('t', { kind: 'me' }, [GROUP]).then(() => undefined, (e: unknown) => e);
    if (!isAppError(error)) throw new Error(`expected an AppError, got ${String(error)}`);
    return error;
  }

  it.each([
    ['a group id that was not asked about', '{"value":["9a000000-0000-4000-8000-000000000001"]}'],
    ['no value list', '{"groups":[]}'],
    ['a value that is not a list of ids', '{"value":[42]}'],
    ['not JSON', '<html>ok</html>'],
  ])('when Graph answers 200 with %s, then it is DIRECTORY.BAD_RESPONSE', async (_name, body) => {
    reply = { status: 200, body };
    expect((await failure()).code).toBe('DIRECTORY.BAD_RESPONSE');
  });

  it('when a gateway answers 502 with an HTML page, then it is DIRECTORY.UNAVAILABLE', async () => {
    reply = { status: 502, body: '<html>Bad Gateway</html>', headers: { 'content-type': 'text/html' } };
    expect(await failure()).toMatchObject({ code: 'DIRECTORY.UNAVAILABLE', details: { status: 502 } });
  });

  it('when Graph throttles with a Retry-After date far ahead, then it does not wait: DIRECTORY.THROTTLED, one request', async () => {
    reply = { status: 429, body: '{"error":{"code":"TooManyRequests","message":"slow down"}}', headers: { 'retry-after': new Date(Date.now() + 600_000).toUTCString() } };
    expect(await failure()).toMatchObject({ code: 'DIRECTORY.THROTTLED', details: { graphCode: 'TooManyRequests' } });
    expect(requests).toBe(1);
  });

  it('when the subject is a user id, then it is sent escaped in the path, with the token and the group list, and the answer is read', async () => {
    reply = { status: 200, body: `{"value":["${GROUP.toUpperCase()}"]}` };
    expect(await createGraphClient({ baseUrl }).checkMemberGroups('t', { kind: 'user', objectId: 'a/b' }, [GROUP])).toEqual([GROUP.toUpperCase()]);
    expect(last).toEqual({ path: '/v1.0/users/a%2Fb/checkMemberGroups', body: JSON.stringify({ groupIds: [GROUP] }), authorization: 'Bearer t' });
  });
});
