import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Activity } from '../../../emulators/teams/types';

/**
 * A scripted stand-in for the bot, only to test the Teams-like driver on the wire: it answers
 * unknown users with an OAuthCard, accepts the SSO exchange, offers an approval card, and answers
 * `adaptiveCard/action` by updating the card through the connector and returning a card.
 */
export interface FakeBot {
  messagesUrl: string;
  received: Activity[];
  signedIn: Set<string>;
  stop(): Promise<void>;
}

const CARD = 'application/vnd.microsoft.card.adaptive';

export async function startFakeBot(expectedTokenFor: (aadObjectId: string) => string): Promise<FakeBot> {
  const received: Activity[] = [];
  const signedIn = new Set<string>();

  async function toConnector(activity: Activity, method: 'POST' | 'PUT', path: string, body: Activity): Promise<{ id: string }> {
    const base = (activity.serviceUrl ?? '').replace(/\/?$/, '/');
    const url = `${base}v3/conversations/${encodeURIComponent(activity.conversation?.id ?? '')}/${path}`;
    const response = await fetch(url, { method, headers: { 'content-type': 'application/json', authorization: 'Bearer local' }, body: JSON.stringify(body) });
    return (await response.json()) as { id: string };
  }

  async function handle(activity: Activity): Promise<{ status: number; body?: unknown }> {
    received.push(activity);
    const user = activity.from?.aadObjectId ?? '';
    const reply = (body: Activity) => toConnector(activity, 'POST', `activities/${encodeURIComponent(activity.id ?? '')}`, { ...body, replyToId: activity.id, from: { id: 'bot', name: 'Data Agent' } });
    if (activity.type === 'message') {
      if (!signedIn.has(user)) {
        await reply({
          type: 'message',
          attachments: [{ contentType: 'application/vnd.microsoft.card.oauth', content: { text: 'Sign in', connectionName: 'sso', tokenExchangeResource: { id: `ex-${received.length}` }, buttons: [{ type: 'signin', title: 'Sign in', value: 'http://localhost/auth-start.html' }] } }],
        });
        return { status: 200 };
      }
      await reply({
        type: 'message',
        attachments: [{
          contentType: CARD,
          content: {
            type: 'AdaptiveCard',
            body: [{ type: 'TextBlock', text: `Approve for ${activity.from?.name}?` }],
            refresh: {
              action: { type: 'Action.Execute', verb: 'approval.refresh', data: { approvalId: 'ap1' } },
              ...(activity.conversation?.conversationType === 'personal' ? {} : { userIds: [activity.from?.id] }),
            },
            actions: [{ type: 'Action.Execute', title: 'Approve', verb: 'approval.approve', data: { approvalId: 'ap1' } }],
          },
        }],
      });
      return { status: 200 };
    }
    if (activity.type === 'invoke' && activity.name === 'signin/tokenExchange') {
      const value = activity.value as { id: string; token: string };
      if (value.token !== expectedTokenFor(user)) return { status: 412, body: { id: value.id, failureDetail: 'bad token' } };
      signedIn.add(user);
      await reply({ type: 'message', text: `Signed in as ${activity.from?.name}` });
      return { status: 200, body: { id: value.id, failureDetail: '' } };
    }
    if (activity.type === 'invoke' && activity.name === 'adaptiveCard/action') {
      const value = activity.value as { action: { verb: string }; trigger: string };
      const text = `${value.action.verb} by ${activity.from?.name} (${value.trigger})`;
      if (value.action.verb === 'approval.approve') {
        await toConnector(activity, 'PUT', `activities/${encodeURIComponent(activity.replyToId ?? '')}`, { type: 'message', text: `Executed: ${text}` });
      }
      return { status: 200, body: { statusCode: 200, type: CARD, value: { type: 'AdaptiveCard', body: [{ type: 'TextBlock', text }] } } };
    }
    return { status: 200 };
  }

  const server: Server = createServer((req, res) => {
    readBody(req)
      .then((body) => handle(JSON.parse(body) as Activity))
      .then(({ status, body }) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(body === undefined ? '' : JSON.stringify(body));
      })
      .catch((error: unknown) => {
        res.writeHead(500);
        res.end(String(error));
      });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    messagesUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/messages`,
    received,
    signedIn,
    stop: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

/** A stand-in for the Entra emulator's SSO endpoint: `POST {"user"}` → `{access_token}`. */
export async function startFakeSso(): Promise<{ url: string; requests: unknown[]; tokenFor(user: string): string; stop(): Promise<void> }> {
  const requests: unknown[] = [];
  const tokenFor = (user: string): string => `sso-token-for-${user}`;
  const server = createServer((req, res) => {
    void readBody(req).then((body) => {
      const parsed = JSON.parse(body) as { user: string };
      requests.push(parsed);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ access_token: tokenFor(parsed.user), token_type: 'Bearer', expires_in: 3600 }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/sso/token`,
    requests,
    tokenFor,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
