/** Databricks-audience tokens for demo users, the way the bot gets them: Teams SSO token → OBO. */
import { DATABRICKS_RESOURCE_ID } from '../../../emulators/shared/directory';
import type { LocalStack } from '../../../src/config/local-stack';

export async function databricksToken(stack: LocalStack, user: string): Promise<string> {
  const sso = await fetch(stack.ssoTokenUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ user }),
  });
  const assertion = ((await sso.json()) as { access_token: string }).access_token;
  const form = new URLSearchParams({
    grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
    client_id: stack.botAppId,
    client_secret: stack.clientSecret,
    assertion,
    scope: `${DATABRICKS_RESOURCE_ID}/user_impersonation`,
    requested_token_use: 'on_behalf_of',
  });
  const response = await fetch(`${stack.authority}/oauth2/v2.0/token`, { method: 'POST', body: form });
  const body = (await response.json()) as { access_token?: string; error?: string };
  if (!body.access_token) throw new Error(`OBO for ${user} failed: ${body.error ?? response.status}`);
  return body.access_token;
}
