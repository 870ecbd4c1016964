import { DATABRICKS_SCOPE } from '../../../src/config';
import { createSqlClient } from '../../../src/databricks/sql-client';
import type { SqlClient } from '../../../src/databricks/types';
import { silentLogger } from '../../../src/logging';
import type { E2eWorld } from './harness';

/**
 * The warehouse as one demo user, outside the bot: the test signs the user in through the Entra
 * emulator (SSO token, then OBO with the bot's credentials, as the bot does) and reads data with the
 * production SQL client. Used to check the rows an approved change really changed.
 */
export function warehouseAs(world: E2eWorld, user: string): SqlClient {
  const { stack } = world;
  let token: Promise<string> | undefined;
  const getToken = (): Promise<string> => (token ??= obo(world, user));
  return createSqlClient({ host: stack.databricks.host, port: stack.databricks.port, httpPath: stack.databricks.httpPath, getToken, logger: silentLogger() });
}

async function obo(world: E2eWorld, user: string): Promise<string> {
  const assertion = await world.entra.ssoToken(user);
  const response = await fetch(`${world.stack.authority}/oauth2/v2.0/token`, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
      requested_token_use: 'on_behalf_of',
      assertion,
      client_id: world.stack.botAppId,
      client_secret: world.stack.clientSecret,
      scope: DATABRICKS_SCOPE,
    }),
  });
  const body = (await response.json()) as { access_token?: string; error?: string };
  if (!body.access_token) throw new Error(`OBO for ${user} failed: ${body.error ?? response.status}`);
  return body.access_token;
}

/** One number from `sql` (the first cell). */
export async function scalarOf(sql: SqlClient, query: string): Promise<number> {
  return Number((await sql.query(query)).rows[0]?.[0]);
}
