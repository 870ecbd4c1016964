import type { IsApprover } from '../src/agents';
import type { IdentityService } from '../src/identity/ports';
import type { Logger } from '../src/logging';

/**
 * Approver membership from token claims: the person's own Azure Databricks access token, which this
 * bot obtained from Entra ID itself (OBO or refresh over TLS), lists their group object ids when the
 * app registration emits group claims. Nothing from card data or messages is consulted.
 */
export function createTokenGroupApprovers(identity: IdentityService, approversGroupId: string | undefined, logger: Logger): IsApprover {
  return async (user) => {
    if (!approversGroupId) return false;
    const token = await identity.tokenProviderFor(user).getDatabricksToken();
    const claims = payloadOf(token);
    if (claims.oid !== user.objectId || claims.tid !== user.tenantId) {
      logger.warn({ user: user.objectId }, 'approver check: token subject differs from the user; not an approver');
      return false;
    }
    if (claims._claim_names !== undefined) logger.warn({ user: user.objectId }, 'approver check: group overage claim; treated as not an approver');
    return Array.isArray(claims.groups) && claims.groups.includes(approversGroupId);
  };
}

function payloadOf(token: string): { oid?: unknown; tid?: unknown; groups?: unknown; _claim_names?: unknown } {
  try {
    return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    return {};
  }
}
