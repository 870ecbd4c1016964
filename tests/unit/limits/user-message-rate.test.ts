import { createUserMessageRate } from '../../../src/limits/user-message-rate';

describe('per-user message rate', () => {
  it('when a person sends more messages than the limit within a minute, then the extra one is refused with the seconds to wait, and others are unaffected', () => {
    let clock = 0;
    const rate = createUserMessageRate({ perWindow: 3, now: () => clock });
    for (let i = 0; i < 3; i += 1) {
      rate.admit('alice');
      clock += 1000;
    }
    let refusal: unknown;
    try {
      rate.admit('alice');
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toMatchObject({ code: 'USER.RATE_LIMITED', details: { retryAfterSeconds: 57, limit: 3 }, userMessage: expect.stringContaining('send it again in 57 seconds') });
    expect(() => rate.admit('bob')).not.toThrow();
    clock = 60_001;
    expect(() => rate.admit('alice')).not.toThrow();
  });

  it('when the limit is not a positive whole number, then it refuses to start', () => {
    expect(() => createUserMessageRate({ perWindow: 0 })).toThrow(expect.objectContaining({ code: 'CONFIG.INVALID' }));
  });
});
