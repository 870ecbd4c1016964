/**
 * One `cosmos.request` span and one count per Cosmos DB network request (retries, query plans and
 * metadata reads included), through the @azure/cosmos per-request plugin hook: the SDK calls it
 * around each HTTP request it sends. Only the operation and resource kind, the status and the
 * request charge are recorded: not the path (it holds ids), headers (the auth signature) or body.
 */
import { type CosmosClientOptions, type CosmosHeaders, type PluginConfig, PluginOn } from '@azure/cosmos';
import { ATTR } from './attributes';
import { record } from './instruments';
import { traced } from './trace';

const CHARGE_HEADER = 'x-ms-request-charge';

function chargeOf(headers: CosmosHeaders | undefined): number | undefined {
  const raw = headers?.[CHARGE_HEADER];
  const value = typeof raw === 'number' ? raw : typeof raw === 'string' ? Number(raw) : Number.NaN;
  return Number.isFinite(value) ? value : undefined;
}

function failureOf(error: unknown): { code?: unknown; substatus?: unknown; headers?: CosmosHeaders } {
  return typeof error === 'object' && error !== null ? (error as { code?: unknown; substatus?: unknown; headers?: CosmosHeaders }) : {};
}

function cosmosTelemetryPlugins(): PluginConfig[] {
  return [
    {
      on: PluginOn.request,
      plugin: (context, _diagnostics, next) => {
        const attributes = { [ATTR.dbSystem]: 'cosmosdb', [ATTR.cosmosOperation]: String(context.operationType ?? 'unknown'), [ATTR.cosmosResource]: String(context.resourceType ?? 'unknown') };
        return traced('cosmos.request', attributes, async (span) => {
          let status: number | undefined;
          let charge: number | undefined;
          try {
            const response = await next(context);
            status = response.code;
            charge = chargeOf(response.headers);
            return response;
          } catch (error) {
            const failure = failureOf(error);
            if (typeof failure.code === 'number') status = failure.code;
            if (typeof failure.substatus === 'number') span.setAttribute(ATTR.cosmosSubStatus, failure.substatus);
            charge = chargeOf(failure.headers);
            throw error;
          } finally {
            if (status !== undefined) span.setAttribute(ATTR.cosmosStatus, status);
            if (charge !== undefined) span.setAttribute(ATTR.cosmosCharge, charge);
            record.cosmosRequest(charge, { ...attributes, [ATTR.cosmosStatus]: status ?? 0 });
          }
        });
      },
    },
  ];
}

/** The client options with the telemetry plugin added (`plugins` is a hidden option of CosmosClientOptions). */
export function withCosmosTelemetry(options: CosmosClientOptions): CosmosClientOptions {
  return Object.assign({}, options, { plugins: cosmosTelemetryPlugins() });
}
