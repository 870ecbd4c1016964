import { AppError, isAppError } from '../errors';

/** Which MSAL call failed: the sign-in exchange, a later silent acquisition (refresh), or the app's own token. */
export type MsalPhase = 'obo' | 'silent' | 'app';

interface MsalErrorShape {
  errorCode: string;
  errorMessage: string;
  subError: string;
  errorNo?: string;
  status?: number;
  claims?: string;
}

const NETWORK_CODES = new Set([
  'network_error', 'endpoints_resolution_error', 'openid_config_error', 'get_request_failed', 'post_request_failed',
  'request_timeout', 'temporarily_unavailable', 'server_error', 'service_not_available',
]);
const CLIENT_CODES = new Set(['invalid_client', 'unauthorized_client']);
const CLIENT_AADSTS = new Set(['7000215', '700016', '7000222', '700027', '50049', '90002']);
const INTERACTION_AADSTS = new Set(['50076', '50079', '50158', '53003', '50074', '50072']);

const PHASE_NAMES: Record<MsalPhase, string> = { obo: 'on-behalf-of', silent: 'silent', app: 'client-credentials' };

function asMsalError(error: unknown): MsalErrorShape | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const e = error as Record<string, unknown>;
  if (typeof e.errorCode !== 'string') return undefined;
  return {
    errorCode: e.errorCode,
    errorMessage: typeof e.errorMessage === 'string' ? e.errorMessage : '',
    subError: typeof e.subError === 'string' ? e.subError : '',
    errorNo: typeof e.errorNo === 'string' || typeof e.errorNo === 'number' ? String(e.errorNo) : undefined,
    status: typeof e.status === 'number' ? e.status : undefined,
    claims: typeof e.claims === 'string' && e.claims !== '' ? e.claims : undefined,
  };
}

/**
 * Maps what msal-node throws to our codes. `consentUrl` is the admin-consent link shown to the user
 * when Entra answers AADSTS65001.
 */
export function mapMsalError(error: unknown, phase: MsalPhase, consentUrl: string): AppError {
  if (isAppError(error)) return error;
  const e = asMsalError(error);
  if (!e) return new AppError('INTERNAL.UNEXPECTED', `Token request failed: ${describe(error)}`, { cause: error });
  const aadsts = e.errorNo ?? /AADSTS(\d+)/.exec(e.errorMessage)?.[1];
  const details: Record<string, unknown> = { msalCode: e.errorCode, aadsts, subError: e.subError || undefined, phase };
  const message = `Entra ID ${PHASE_NAMES[phase]} token request failed: ${e.errorCode}${aadsts ? ` (AADSTS${aadsts})` : ''}`;
  const make = (code: ConstructorParameters<typeof AppError>[0], extra: Record<string, unknown> = {}): AppError =>
    new AppError(code, message, { cause: error, details: { ...details, ...extra } });

  if (aadsts === '65001' || e.subError === 'consent_required' || e.errorCode === 'consent_required') {
    return make('AUTH.CONSENT_REQUIRED', { consentUrl });
  }
  if (aadsts === '500133') return make('AUTH.ASSERTION_EXPIRED');
  if (CLIENT_CODES.has(e.errorCode) || (aadsts !== undefined && CLIENT_AADSTS.has(aadsts))) return make('AUTH.CLIENT_MISCONFIGURED');
  if (e.claims !== undefined || e.errorCode === 'interaction_required' || (aadsts !== undefined && INTERACTION_AADSTS.has(aadsts))) {
    return make('AUTH.INTERACTION_REQUIRED', { claims: e.claims });
  }
  if ((e.status !== undefined && e.status >= 500) || e.status === 429 || NETWORK_CODES.has(e.errorCode)) {
    return make('AUTH.IDENTITY_UNAVAILABLE');
  }
  if (e.errorCode === 'invalid_grant' || phase === 'silent') return make('AUTH.SIGN_IN_REQUIRED');
  return make('INTERNAL.UNEXPECTED');
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
