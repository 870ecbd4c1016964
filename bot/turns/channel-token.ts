/**
 * What both hosts read from an inbound bearer token before any verification: its issuer must be the
 * Bot Framework channel's. Reading is not verifying; each host's SDK then checks signature, audience
 * and expiry. Host-neutral: each adapter turns a refusal into its own 401.
 */

/** The only issuer Teams (through the Bot Framework channel service) uses for activities it sends. */
export const BOT_FRAMEWORK_CHANNEL_ISSUER = 'https://api.botframework.com';

const BEARER_JWT = /^Bearer\s+([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]*)$/;

function decodedPart(part: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Undefined when the header carries a token the channel issued (unverified); else why not. */
export function channelIssuerRefusal(authHeader: string): string | undefined {
  const match = BEARER_JWT.exec(authHeader.trim());
  if (!match) return 'a Bot Framework bearer token is required.';
  const payload = decodedPart(match[2] as string);
  if (!payload) return 'the token payload is not JSON.';
  return payload.iss === BOT_FRAMEWORK_CHANNEL_ISSUER ? undefined : 'only Bot Framework channel tokens are accepted.';
}

/** The key id the token's header names (unverified), at most 200 characters. */
export function channelTokenKeyId(authHeader: string): string | undefined {
  const match = BEARER_JWT.exec(authHeader.trim());
  const kid = match ? decodedPart(match[1] as string)?.kid : undefined;
  return typeof kid === 'string' && kid !== '' ? kid.slice(0, 200) : undefined;
}
