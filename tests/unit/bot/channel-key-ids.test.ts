import { ChannelKeyIds, MIN_REFRESH_MS } from '../../../bot/adapters/agents/channel-key-ids';

function keySet(answers: (string[] | Error)[]): { fetch: () => Promise<string[]>; calls: () => number } {
  let calls = 0;
  return {
    fetch: async () => {
      const answer = answers[Math.min(calls, answers.length - 1)];
      calls += 1;
      if (answer instanceof Error) throw answer;
      return answer ?? [];
    },
    calls: () => calls,
  };
}

describe('the channel’s published key ids (Agents host)', () => {
  it('when forged tokens name a hundred new key ids within five minutes, then the key set is fetched once and every one is refused', async () => {
    const set = keySet([['k1']]);
    let now = 0;
    const ids = new ChannelKeyIds(set.fetch, () => now);
    expect(await ids.has('k1')).toBe(true);
    for (let i = 0; i < 100; i++) {
      now += 1_000;
      expect(await ids.has(`forged-${i}`)).toBe(false);
    }
    expect(set.calls()).toBe(1);
  });

  it('when the channel starts using a new key, then it is accepted once the next fetch (at most five minutes later) sees it', async () => {
    const set = keySet([['k1'], ['k1', 'k2']]);
    let now = 0;
    const ids = new ChannelKeyIds(set.fetch, () => now);
    expect(await ids.has('k2')).toBe(false);
    now = MIN_REFRESH_MS - 1;
    expect(await ids.has('k2')).toBe(false);
    now = MIN_REFRESH_MS;
    expect(await ids.has('k2')).toBe(true);
    expect(set.calls()).toBe(2);
  });

  it('when the key set cannot be fetched, then the answer is unknown (the SDK decides) and the fetch is not retried for every request', async () => {
    const set = keySet([new Error('offline')]);
    let now = 0;
    const ids = new ChannelKeyIds(set.fetch, () => now);
    for (let i = 0; i < 10; i++) {
      now += 1_000;
      expect(await ids.has('k1')).toBeUndefined();
    }
    expect(set.calls()).toBe(1);
  });

  it('when ten requests with an unseen key id arrive at once, then one fetch serves them all', async () => {
    const set = keySet([['k1']]);
    const ids = new ChannelKeyIds(set.fetch, () => 0);
    const answers = await Promise.all(Array.from({ length: 10 }, () => ids.has('k1')));
    expect(answers.every(Boolean)).toBe(true);
    expect(set.calls()).toBe(1);
  });
});
