/**
 * The tables of a Genie space, read as the user: `GET /api/2.0/genie/spaces/{space_id}
 * ?include_serialized_space=true`. The `GenieSpace` response has no table list of its own; its
 * `serialized_space` (a JSON string) lists them as `data_sources.tables[].identifier`, three-part
 * names (databricks-sdk-py `service/dashboards.py` `GenieSpace.serialized_space` and
 * `GenieAPI.get_space`, generated from the REST spec; the layout is the one `create_space` takes).
 * Reading it needs at least CAN EDIT on the space (same source); without it Databricks answers 403,
 * which becomes `CATALOG.SPACE_FORBIDDEN` with `details.access` `below-can-edit` (the user may still
 * run the space: `CATALOG_FALLBACK_TABLES` can stand in); a 404 (no access at all, or no such space)
 * has `details.access` `none`.
 */
import { AppError, hasCode, isAppError } from '../errors';
import { genieFetch, normalizeHost, type GenieTransport } from '../databricks/genie-http';
import { tableIdentifier } from './table-name';

export interface SpaceTablesOptions {
  host: string;
  spaceId: string;
  getToken: () => Promise<string>;
  fetchImpl?: typeof fetch;
  requestTimeoutMs?: number;
}

/** The table identifiers in a `serialized_space` string; throws CATALOG.SPACE_UNREADABLE when it is not the expected JSON. */
export function tablesOfSerializedSpace(serialized: unknown, spaceId: string): string[] {
  let parsed: unknown;
  try {
    parsed = typeof serialized === 'string' ? JSON.parse(serialized) : undefined;
  } catch (error) {
    throw new AppError('CATALOG.SPACE_UNREADABLE', `serialized_space of Genie space ${spaceId} is not JSON`, { cause: error });
  }
  const tables = (parsed as { data_sources?: { tables?: unknown } } | undefined)?.data_sources?.tables;
  if (!Array.isArray(tables)) {
    throw new AppError('CATALOG.SPACE_UNREADABLE', `serialized_space of Genie space ${spaceId} has no data_sources.tables list`);
  }
  const names = tables.map((t) => tableIdentifier((t as { identifier?: unknown } | null)?.identifier)).filter((n): n is string => n !== undefined);
  return [...new Set(names)];
}

function passThrough(error: unknown): boolean {
  return isAppError(error) && (error.code.startsWith('AUTH.') || error.code === 'DATABRICKS.UNAUTHENTICATED');
}

/** Reads the space's table identifiers with the caller's token. */
export async function readSpaceTables(options: SpaceTablesOptions): Promise<string[]> {
  const transport: GenieTransport = {
    host: normalizeHost(options.host),
    getToken: options.getToken,
    fetchImpl: options.fetchImpl ?? fetch,
    requestTimeoutMs: options.requestTimeoutMs ?? 30_000,
  };
  const path = `/api/2.0/genie/spaces/${encodeURIComponent(options.spaceId)}?include_serialized_space=true`;
  let body: unknown;
  try {
    body = await genieFetch(transport, 'GET', path, undefined, undefined);
  } catch (error) {
    if (passThrough(error)) throw error;
    if (hasCode(error, 'DATABRICKS.PERMISSION_DENIED')) {
      throw new AppError('CATALOG.SPACE_FORBIDDEN', `no permission to read the definition of Genie space ${options.spaceId}`, { cause: error, details: { access: 'below-can-edit' } });
    }
    // A space the caller holds no permission on answers 404 like one that does not exist: not transient.
    if (isAppError(error) && error.details?.['httpStatus'] === 404) {
      throw new AppError('CATALOG.SPACE_FORBIDDEN', `Genie space ${options.spaceId} does not exist or this user has no access to it`, { cause: error, details: { access: 'none' } });
    }
    throw new AppError('CATALOG.UNAVAILABLE', `could not read Genie space ${options.spaceId}`, { cause: error });
  }
  return tablesOfSerializedSpace((body as { serialized_space?: unknown } | null)?.serialized_space, options.spaceId);
}
