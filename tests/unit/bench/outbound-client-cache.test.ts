/**
 * CPU hygiene: botbuilder's CloudAdapter builds a ConnectorClient and a UserTokenClient (each a
 * ServiceClient with its own policy pipeline) per turn; the bot's adapter shares them across turns,
 * keyed by app id, service URL and audience (bot/adapters/teams-ai/outbound-client-cache.ts). Measured
 * through the bot's real adapter: inbound activities and proactive continuations.
 */
import { TurnContext } from 'botbuilder';
import type { ConnectorClient } from 'botframework-connector';
import { createAdapter } from '../../../bot/adapters/teams-ai/adapter';
import { OutboundClientCache } from '../../../bot/adapters/teams-ai/outbound-client-cache';
import { silentLogger } from '../../../src/logging';
import { buildMessage } from '../../fakes/bot-activities';

function adapterForTest() {
  return createAdapter({ appId: '', appPassword: '', tenantId: '', appType: 'SingleTenant', authenticateInbound: false }, silentLogger());
}

async function clientsOf(adapter: ReturnType<typeof adapterForTest>, serviceUrl: string): Promise<{ connector: ConnectorClient; userToken: unknown }> {
  const reference = TurnContext.getConversationReference({ ...buildMessage('hi'), serviceUrl });
  let seen: { connector: ConnectorClient; userToken: unknown } | undefined;
  await adapter.continueConversationAsync('', reference, async (turn) => {
    seen = { connector: turn.turnState.get(adapter.ConnectorClientKey), userToken: turn.turnState.get(adapter.UserTokenClientKey) };
  });
  if (!seen?.connector) throw new Error('the turn had no connector client');
  return seen;
}

describe('outbound clients shared across turns', () => {
  it('when two turns reply to the same service URL, then they use one connector client and one user-token client; another URL gets its own', async () => {
    const adapter = adapterForTest();
    const first = await clientsOf(adapter, 'https://smba.example/amer/');
    const second = await clientsOf(adapter, 'https://smba.example/amer/');
    const other = await clientsOf(adapter, 'https://smba.example/emea/');
    expect(second.connector).toBe(first.connector);
    expect(second.userToken).toBe(first.userToken);
    expect(other.connector).not.toBe(first.connector);
    expect((other.connector as unknown as { baseUri?: string }).baseUri ?? JSON.stringify(other.connector)).toContain('emea');
  });

  it('when two adapters exist, then they share nothing', async () => {
    const one = await clientsOf(adapterForTest(), 'https://smba.example/amer/');
    const two = await clientsOf(adapterForTest(), 'https://smba.example/amer/');
    expect(two.connector).not.toBe(one.connector);
  });

  it('when a creation fails, then it is not kept; when the cache is full, then the oldest entry goes', async () => {
    const cache = new OutboundClientCache<string>(2);
    await expect(cache.get(['a'], () => Promise.reject(new Error('no credentials')))).rejects.toThrow('no credentials');
    expect(await cache.get(['a'], async () => 'a2')).toBe('a2');
    await cache.get(['b'], async () => 'b');
    await cache.get(['a'], async () => 'unused');
    await cache.get(['c'], async () => 'c');
    expect(cache.size).toBe(2);
    expect(await cache.get(['b'], async () => 'b-again')).toBe('b-again');
    expect(await cache.get(['c'], async () => 'unused')).toBe('c');
  });
});
