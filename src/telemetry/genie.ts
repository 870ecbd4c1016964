/**
 * Thin wrappers that put the Genie wait and the Genie budget's queue wait on the turn's trace. They
 * wrap the interfaces (`GenieClient`, `GenieRateLimiter`), so another limiter behind the same
 * interface is measured the same way.
 */
import type { GenieRateLimiter } from '../databricks/genie-limiter';
import type { GenieClient } from '../databricks/types';
import { ATTR } from './attributes';
import { record } from './instruments';
import { traced } from './trace';

/** `genie.ask` spans the question to its finished answer: POST, polls and the result fetch. */
export function traceGenieClient(client: GenieClient): GenieClient {
  const wrapped: GenieClient = {
    ask: (question, options) => {
      const started = performance.now();
      return traced('genie.ask', {}, async (span) => {
        let status = 'FAILED';
        try {
          const answer = await client.ask(question, options);
          status = answer.status;
          span.setAttributes({ [ATTR.genieStatus]: answer.status, [ATTR.genieRows]: answer.table?.totalRowCount ?? 0 });
          return answer;
        } finally {
          record.genieWait(performance.now() - started, { [ATTR.genieStatus]: status });
        }
      });
    },
    getMessage: (...args) => traced('genie.get_message', {}, () => client.getMessage(...args)),
  };
  return client.spaceId === undefined ? wrapped : { ...wrapped, spaceId: client.spaceId };
}

/** `genie.budget.wait`: how long a question queued for a slot of the workspace's Genie budget. */
export function traceLimiter(limiter: GenieRateLimiter): GenieRateLimiter {
  return {
    acquire: (signal) =>
      traced('genie.budget.wait', {}, async (span) => {
        const ticket = await limiter.acquire(signal);
        span.setAttribute(ATTR.genieQueueWaitMs, ticket.waitedMs);
        record.genieQueueWait(ticket.waitedMs);
        return ticket;
      }),
    backOff: (retryAfterMs) => limiter.backOff(retryAfterMs),
    stats: () => limiter.stats(),
  };
}
