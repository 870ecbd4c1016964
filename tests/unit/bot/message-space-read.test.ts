import { AppError } from '../../../src/errors';
import { buildMessage, ALICE } from '../../fakes/bot-activities';
import { createBotHarness } from '../../fakes/bot-harness';

/** A message's space choice is read while the message is claimed (independent reads), with the errors of the sequential order. */
describe('message routes: the space read beside the claim', () => {
  it('when a signed-in user writes, then the space read starts before the claim has answered, and the turn asks in that space', async () => {
    const h = createBotHarness({ signedIn: [ALICE.oid] });
    const events: string[] = [];
    const claim = h.agents.claimMessage.bind(h.agents);
    h.agents.claimMessage = async (ctx) => {
      events.push('claim asked');
      await new Promise((resolve) => setTimeout(resolve, 20));
      events.push('claim answered');
      return claim(ctx);
    };
    h.deps.spaces.turnSpaceId = async () => {
      events.push('space asked');
      return 'space-1';
    };
    await h.send(buildMessage('total sales'));
    expect(events).toEqual(['space asked', 'claim asked', 'claim answered']);
    expect(h.agents.messages).toHaveLength(1);
  });

  it('when the space read fails, then the turn fails with its error (the error card), as when it was read in the turn, with no unhandled rejection', async () => {
    const h = createBotHarness({ signedIn: [ALICE.oid] });
    const unhandled = jest.fn();
    process.on('unhandledRejection', unhandled);
    try {
      h.deps.spaces.turnSpaceId = async () => {
        throw new AppError('GENIE.SPACE_NOT_ALLOWED', 'no longer offered');
      };
      await h.send(buildMessage('total sales'));
      await new Promise((resolve) => setTimeout(resolve, 10));
      expect(h.agents.messages).toHaveLength(0);
      const last = h.adapter.sent.at(-1);
      expect(JSON.stringify(last?.attachments ?? [])).toMatch(/Reference/i);
      expect(unhandled).not.toHaveBeenCalled();
    } finally {
      process.off('unhandledRejection', unhandled);
    }
  });

  it('when the message is a redelivery, then the space read (already started) is dropped without an unhandled rejection', async () => {
    const h = createBotHarness({ signedIn: [ALICE.oid] });
    const unhandled = jest.fn();
    process.on('unhandledRejection', unhandled);
    try {
      const activity = buildMessage('total sales');
      await h.send(activity);
      h.deps.spaces.turnSpaceId = async () => {
        throw new AppError('GENIE.SPACE_NOT_ALLOWED', 'no longer offered');
      };
      await h.send({ ...activity });
      await new Promise((resolve) => setTimeout(resolve, 10));
      expect(h.agents.messages).toHaveLength(1);
      expect(unhandled).not.toHaveBeenCalled();
    } finally {
      process.off('unhandledRejection', unhandled);
    }
  });
});
