import type { Activity } from 'botbuilder';
import { AgentsRouter } from '../../../bot/adapters/agents/router';
import type { HostTurn } from '../../../bot/turns/host-turn';
import { sendInvokeResponse } from '../../../bot/turns/invoke';

/** A turn that records what it sends (the router is pure dispatch; sending is the host's). */
function turnOf(activity: Partial<Activity>): HostTurn & { sent: Partial<Activity>[] } {
  const state = new Map<unknown, unknown>();
  const sent: Partial<Activity>[] = [];
  return {
    activity: activity as Activity,
    turnState: state,
    sent,
    sendActivity: async (a) => {
      sent.push(typeof a === 'string' ? { type: 'message', text: a } : a);
      return { id: `r${sent.length}` };
    },
    updateActivity: async () => undefined,
    onSendActivities: () => undefined,
    onUpdateActivity: () => undefined,
  };
}

const action = (verb: string, data: unknown): Partial<Activity> => ({ type: 'invoke', name: 'adaptiveCard/action', value: { action: { type: 'Action.Execute', verb, data } } });

describe('AgentsRouter (the Agents host routes with teams-ai v1 semantics)', () => {
  it('when a card action arrives, then its handler gets action.data (as teams-ai), not the whole action (as the SDK)', async () => {
    const router = new AgentsRouter();
    const seen: unknown[] = [];
    router.adaptiveCards.actionExecute('result.page', async (_turn, _state, data) => {
      seen.push(data);
      return '';
    });
    expect(await router.run(turnOf(action('result.page', { page: 2 })))).toBe(true);
    expect(seen).toEqual([{ page: 2 }]);
  });

  it('when a card action has another verb or is not Action.Execute, then no card route runs', async () => {
    const router = new AgentsRouter();
    router.adaptiveCards.actionExecute('result.page', async () => 'ran');
    expect(await router.run(turnOf(action('approval.approve', {})))).toBe(false);
    expect(await router.run(turnOf({ type: 'invoke', name: 'adaptiveCard/action', value: { action: { type: 'Action.Submit', verb: 'result.page' } } }))).toBe(false);
  });

  it('when an invoke arrives, then invoke routes are tried first in registration order, before activity routes', async () => {
    const router = new AgentsRouter();
    const order: string[] = [];
    router.activity('invoke', async () => void order.push('activity'));
    router.addRoute(async () => true, async () => void order.push('first invoke'), true);
    router.addRoute(async () => true, async () => void order.push('second invoke'), true);
    await router.run(turnOf({ type: 'invoke', name: 'x' }));
    expect(order).toEqual(['first invoke']);
  });

  it('when a message arrives, then invoke routes are not consulted', async () => {
    const router = new AgentsRouter();
    const order: string[] = [];
    router.addRoute(async () => true, async () => void order.push('invoke'), true);
    router.activity('message', async () => void order.push('message'));
    await router.run(turnOf({ type: 'message', text: 'hi' }));
    expect(order).toEqual(['message']);
  });

  it('when file consent is accepted or declined, then the matching handler runs and the invoke is answered 200 once', async () => {
    const router = new AgentsRouter();
    const seen: string[] = [];
    router.fileConsentAccept(async (_turn, _state, response) => void seen.push(`accept ${String((response.context as { id?: string }).id)}`));
    router.fileConsentDecline(async () => void seen.push('decline'));
    const accept = turnOf({ type: 'invoke', name: 'fileConsent/invoke', value: { action: 'accept', context: { id: 'r1' } } });
    await router.run(accept);
    await router.run(turnOf({ type: 'invoke', name: 'fileConsent/invoke', value: { action: 'decline' } }));
    expect(seen).toEqual(['accept r1', 'decline']);
    expect(accept.sent).toEqual([{ type: 'invokeResponse', value: { status: 200, body: undefined } }]);
  });

  it('when a card handler answered the invoke itself (sendInvokeResponse), then the router adds no second answer', async () => {
    const router = new AgentsRouter();
    router.adaptiveCards.actionExecute('v', async (turn) => {
      await sendInvokeResponse(turn, 200, 'mine');
      return '';
    });
    const turn = turnOf(action('v', {}));
    await router.run(turn);
    expect(turn.sent).toEqual([{ type: 'invokeResponse', value: { status: 200, body: 'mine' } }]);
  });
});
