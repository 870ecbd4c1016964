/**
 * The bot's metrics. The metrics API has no proxy provider (a meter taken before the SDK starts stays a
 * no-op), so instruments are built on first use and rebuilt if the global provider changes.
 */
import { type Attributes, type Counter, type Histogram, type MeterProvider, metrics } from '@opentelemetry/api';
import { TRACER_NAME } from './trace';

interface Instruments {
  turnDuration: Histogram;
  genieWait: Histogram;
  genieQueueWait: Histogram;
  cosmosRequests: Counter;
  cosmosCharge: Counter;
  tokenCalls: Counter;
}

let built: { provider: MeterProvider; instruments: Instruments } | undefined;

function instruments(): Instruments {
  const provider = metrics.getMeterProvider();
  if (built?.provider === provider) return built.instruments;
  const meter = provider.getMeter(TRACER_NAME);
  const ms = { unit: 'ms' };
  const instrumentsNow: Instruments = {
    turnDuration: meter.createHistogram('bot.turn.duration', { ...ms, description: 'One turn: the inbound activity, or its background work.' }),
    genieWait: meter.createHistogram('bot.genie.wait', { ...ms, description: 'From a Genie question to its finished answer (polling included).' }),
    genieQueueWait: meter.createHistogram('bot.genie.queue_wait', { ...ms, description: 'Time a Genie question waited for the workspace budget.' }),
    cosmosRequests: meter.createCounter('bot.cosmos.requests', { description: 'Cosmos DB network requests (retries and query plans included).' }),
    cosmosCharge: meter.createCounter('bot.cosmos.request_units', { unit: 'RU', description: 'Request units Cosmos DB charged.' }),
    tokenCalls: meter.createCounter('bot.token.calls', { description: 'MSAL acquisitions (on-behalf-of, silent, client credentials).' }),
  };
  built = { provider, instruments: instrumentsNow };
  return instrumentsNow;
}

export const record = {
  turnDuration: (ms: number, attributes: Attributes): void => instruments().turnDuration.record(ms, attributes),
  genieWait: (ms: number, attributes: Attributes): void => instruments().genieWait.record(ms, attributes),
  genieQueueWait: (ms: number): void => instruments().genieQueueWait.record(ms),
  cosmosRequest: (charge: number | undefined, attributes: Attributes): void => {
    const i = instruments();
    i.cosmosRequests.add(1, attributes);
    if (charge !== undefined) i.cosmosCharge.add(charge, attributes);
  },
  tokenCall: (attributes: Attributes): void => instruments().tokenCalls.add(1, attributes),
};
