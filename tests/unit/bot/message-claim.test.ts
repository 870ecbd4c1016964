import { AppError } from '../../../src/errors';
import { buildMessage, ALICE } from '../../fakes/bot-activities';
import { createBotHarness } from '../../fakes/bot-harness';

const sentOAuthCards = (h: ReturnType<typeof createBotHarness>): number =>
  h.adapter.sent.filter((a) => (a.attachments ?? []).some((x) => x.contentType === 'application/vnd.microsoft.card.oauth')).length;

/** A message's claim (activity seen + thread lease) is taken beside the session check, and given back whenever the turn does not run. */
describe('message routes: the claim beside the session check', () => {
  it('when a signed-in user writes, then the claim starts before the session check has answered, and the turn runs', async () => {
    const h = createBotHarness({ signedIn: [ALICE.oid] });
    const events: string[] = [];
    const session = h.deps.identity.session.bind(h.deps.identity);
    h.deps.identity.session = (user) => {
      const real = session(user);
      return {
        ...real,
        hasSession: async () => {
          events.push('session asked');
          await new Promise((resolve) => setTimeout(resolve, 20));
          events.push('session answered');
          return real.hasSession();
        },
      };
    };
    const claim = h.agents.claimMessage.bind(h.agents);
    h.agents.claimMessage = async (ctx) => {
      events.push('claim asked');
      return claim(ctx);
    };
    await h.send(buildMessage('total sales'));
    expect(events).toEqual(['claim asked', 'session asked', 'session answered']);
    expect(h.agents.messages).toHaveLength(1);
    expect(h.agents.releasedClaims).toHaveLength(0);
  });

  it('when the writer has no session, then the claim is given back, one sign-in card is sent, and a redelivery sends nothing more', async () => {
    const h = createBotHarness();
    const activity = buildMessage('total sales');
    await h.send(activity);
    expect(h.agents.releasedClaims).toHaveLength(1);
    expect(sentOAuthCards(h)).toBe(1);
    await h.send({ ...activity });
    expect(sentOAuthCards(h)).toBe(1);
    expect(h.agents.messages).toHaveLength(0);
  });

  it('when the session check fails, then the claim is given back and the turn fails with the error', async () => {
    const h = createBotHarness({ signedIn: [ALICE.oid] });
    h.deps.identity.session = (user) => ({
      hasSession: async () => {
        throw new AppError('STORAGE.UNAVAILABLE', 'token cache down');
      },
      tokens: h.deps.identity.tokenProviderFor(user),
    });
    await h.send(buildMessage('total sales'));
    expect(h.agents.releasedClaims).toHaveLength(1);
    expect(h.agents.messages).toHaveLength(0);
    expect(JSON.stringify(h.adapter.sent.at(-1) ?? {})).toMatch(/Reference/i);
  });
});
