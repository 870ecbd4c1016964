import { loadConfig } from '../../../src/config';
import { buildAzureEnv, configProblems } from '../../fixtures/azure-env';

function problemsOf(env: NodeJS.ProcessEnv): string[] {
  return configProblems(env);
}

describe('Genie budget, polling, message rate and /readyz settings', () => {
  it('when unset, then polling starts at 100 ms capped at 2 s, the budget window is a minute, three questions may wait per person, and /readyz is cached 5 s', () => {
    const config = loadConfig({ env: buildAzureEnv() });
    expect(config.genie).toEqual(expect.objectContaining({ pollInitialMs: 100, pollMaxMs: 2000, postsPerMinute: 5, budgetWindowMs: 60_000, maxQueuedPerUser: 3, maxQueueWaitMs: 120_000 }));
    expect(config.limits).toEqual({ userMessagesPerMinute: 20, readyzCacheMs: 5000 });
  });

  it('when set, then they are used', () => {
    const env = buildAzureEnv({ GENIE_BUDGET_WINDOW_MS: '6000', GENIE_MAX_QUEUED_PER_USER: '4', GENIE_MAX_QUEUE_WAIT_MS: '300000', USER_MESSAGES_PER_MINUTE: '7', READYZ_CACHE_MS: '0' });
    const config = loadConfig({ env });
    expect(config.genie).toEqual(expect.objectContaining({ budgetWindowMs: 6000, maxQueuedPerUser: 4, maxQueueWaitMs: 300_000 }));
    expect(config.limits).toEqual({ userMessagesPerMinute: 7, readyzCacheMs: 0 });
  });

  it('when any of them is out of range or not a whole number, then start-up stops and names every one', () => {
    const env = buildAzureEnv({ GENIE_BUDGET_WINDOW_MS: '999', GENIE_MAX_QUEUED_PER_USER: '0', GENIE_MAX_QUEUE_WAIT_MS: 'long', USER_MESSAGES_PER_MINUTE: '-1', READYZ_CACHE_MS: '1.5' });
    expect(problemsOf(env)).toEqual([
      'GENIE_BUDGET_WINDOW_MS: expected a whole number from 1000 to 3600000, got "999"',
      'GENIE_MAX_QUEUED_PER_USER: expected a whole number from 1 to 100, got "0"',
      'GENIE_MAX_QUEUE_WAIT_MS: expected a whole number from 1000 to 3600000, got "long"',
      'USER_MESSAGES_PER_MINUTE: expected a whole number from 1 to 10000, got "-1"',
      'READYZ_CACHE_MS: expected a whole number from 0 to 600000, got "1.5"',
    ]);
  });
});
