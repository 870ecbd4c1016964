/**
 * APPLICATIONINSIGHTS_CONNECTION_STRING, checked once at start-up: `Key=Value` pairs separated by `;`
 * (https://learn.microsoft.com/azure/azure-monitor/app/connection-strings), with an
 * `InstrumentationKey` GUID, and an `IngestionEndpoint` (when given) that is an https URL. A malformed
 * one would otherwise fail inside the exporter, in the background, with telemetry silently lost.
 */
import type { EnvReader } from './env-reader';

const NAME = 'APPLICATIONINSIGHTS_CONNECTION_STRING';
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ENDPOINT_KEYS = ['IngestionEndpoint', 'LiveEndpoint'];

/** The problem with `value`, or undefined when it is a usable connection string. */
function connectionStringProblem(value: string): string | undefined {
  const pairs = new Map<string, string>();
  for (const part of value.split(';').map((p) => p.trim()).filter(Boolean)) {
    const eq = part.indexOf('=');
    if (eq <= 0) return `expected Key=Value pairs separated by ";" (a part has no "=")`;
    pairs.set(part.slice(0, eq).trim().toLowerCase(), part.slice(eq + 1).trim());
  }
  const key = pairs.get('instrumentationkey');
  if (key === undefined) return 'has no InstrumentationKey';
  if (!GUID.test(key)) return 'InstrumentationKey is not a GUID';
  for (const name of ENDPOINT_KEYS) {
    const endpoint = pairs.get(name.toLowerCase());
    if (endpoint === undefined) continue;
    let url: URL | undefined;
    try {
      url = new URL(endpoint);
    } catch {
      url = undefined;
    }
    if (url?.protocol !== 'https:') return `${name} is not an https:// URL`;
  }
  return undefined;
}

/** The telemetry settings: exported only when the connection string is set. The value itself is never quoted in a problem. */
export function readTelemetry(r: EnvReader): { connectionString: string | undefined } {
  const value = r.optional(NAME);
  if (value === undefined) return { connectionString: undefined };
  const problem = connectionStringProblem(value);
  if (problem) r.problem(`${NAME}: ${problem}`);
  return { connectionString: value };
}
