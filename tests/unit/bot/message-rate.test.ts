import { createUserMessageRate } from '../../../src/limits/user-message-rate';
import { ALICE, BOB, buildMessage } from '../../fakes/bot-activities';
import { createBotHarness } from '../../fakes/bot-harness';

describe('per-user message rate in the message route', () => {
  it('when alice sends one message more than her rate allows, then that one is refused with the seconds to wait and reaches no agent; bob is unaffected', async () => {
    const h = createBotHarness({ signedIn: [ALICE.oid, BOB.oid] });
    const handled: string[] = [];
    h.agents.onMessage = async (_ctx, text) => (handled.push(text), { kind: 'text', text: `echo: ${text}` });
    h.deps.messageRate = createUserMessageRate({ perWindow: 2 });

    await h.send(buildMessage('first'));
    await h.send(buildMessage('second'));
    await h.send(buildMessage('third'));
    await h.send(buildMessage('from bob', { from: BOB }));

    expect(handled).toEqual(['first', 'second', 'from bob']);
    const text = JSON.stringify(h.adapter.sent);
    expect(text).toMatch(/You have sent 2 messages in the last 60 seconds.*send it again in \d+ seconds/);
  });
});
