import { randomUUID } from 'node:crypto';

/** The Entra ID failures the emulator can produce, keyed by a short name used by the test controls. */
export const ENTRA_FAILURES = {
  invalid_assertion: { status: 400, error: 'invalid_grant', aadsts: 50013, text: 'Assertion failed signature validation or is not valid for this application.' },
  expired_assertion: { status: 400, error: 'invalid_grant', aadsts: 500133, text: 'Assertion is not within its valid time range.' },
  consent_required: {
    status: 400, error: 'invalid_grant', aadsts: 65001, suberror: 'consent_required',
    text: "The user or administrator has not consented to use the application. Send an interactive authorization request for this user and resource.",
  },
  mfa_required: {
    status: 400, error: 'interaction_required', aadsts: 50076,
    text: 'Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication to access the resource.',
  },
  bad_client_secret: { status: 401, error: 'invalid_client', aadsts: 7000215, text: 'Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID.' },
  unknown_client: { status: 400, error: 'unauthorized_client', aadsts: 700016, text: 'Application was not found in the directory.' },
  invalid_refresh_token: { status: 400, error: 'invalid_grant', aadsts: 70000, text: 'The provided value for the refresh_token is not valid or has been revoked.' },
  unsupported_grant: { status: 400, error: 'unsupported_grant_type', aadsts: 70003, text: 'The app requested an unsupported grant type.' },
  invalid_request: { status: 400, error: 'invalid_request', aadsts: 900144, text: 'The request body must contain the required parameters.' },
  tenant_not_found: { status: 400, error: 'invalid_request', aadsts: 90002, text: 'Tenant not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.' },
  invalid_scope: { status: 400, error: 'invalid_scope', aadsts: 70011, text: 'The provided value for the input parameter scope is not valid.' },
} as const;

export type EntraFailureName = keyof typeof ENTRA_FAILURES;

export function isEntraFailureName(value: unknown): value is EntraFailureName {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(ENTRA_FAILURES, value);
}

/** A claims challenge as Conditional Access returns it with AADSTS50076. */
export const MFA_CLAIMS_CHALLENGE = JSON.stringify({ access_token: { capolids: { essential: true, values: ['c0a1a000-0000-4000-8000-0000000000ca'] } } });

export interface EntraErrorResponse {
  status: number;
  body: Record<string, unknown>;
}

/** Builds an error exactly in Entra's JSON shape (`error_description` starts with `AADSTSnnnn:`). */
export function entraError(name: EntraFailureName, detail?: string): EntraErrorResponse {
  const failure = ENTRA_FAILURES[name];
  const traceId = randomUUID();
  const correlationId = randomUUID();
  const timestamp = new Date().toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
  const description =
    `AADSTS${failure.aadsts}: ${failure.text}${detail ? ` ${detail}` : ''} ` +
    `Trace ID: ${traceId} Correlation ID: ${correlationId} Timestamp: ${timestamp}`;
  const body: Record<string, unknown> = {
    error: failure.error,
    error_description: description,
    error_codes: [failure.aadsts],
    timestamp,
    trace_id: traceId,
    correlation_id: correlationId,
    error_uri: `https://login.microsoftonline.com/error?code=${failure.aadsts}`,
  };
  if ('suberror' in failure) body.suberror = failure.suberror;
  if (name === 'mfa_required') {
    body.suberror = 'basic_action';
    body.claims = MFA_CLAIMS_CHALLENGE;
  }
  return { status: failure.status, body };
}

/** A 5xx as the token endpoint gives it during an outage. */
export function entraOutage(status: 500 | 503): EntraErrorResponse {
  const base = entraError('invalid_request').body;
  return {
    status,
    body: {
      ...base,
      error: 'temporarily_unavailable',
      error_description: `AADSTS90033: A transient error has occurred. Please try again. Trace ID: ${String(base.trace_id)}`,
      error_codes: [90033],
    },
  };
}
