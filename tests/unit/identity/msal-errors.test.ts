import { ClientAuthError, InteractionRequiredAuthError, ServerError } from '@azure/msal-node';
import type { ErrorCode } from '../../../src/errors';
import { AppError } from '../../../src/errors';
import { mapMsalError, type MsalPhase } from '../../../src/identity/msal-errors';

const CONSENT_URL = 'https://login.example/tid/adminconsent?client_id=app';
const desc = (n: number) => `Error(s): ${n} - Timestamp: x - Description: AADSTS${n}: something - Correlation ID: c - Trace ID: t`;

const cases: Array<[string, unknown, MsalPhase, ErrorCode]> = [
  ['consent required (65001, suberror)', new InteractionRequiredAuthError('invalid_grant', 'c', desc(65001), 'consent_required', '', '', '', '65001'), 'obo', 'AUTH.CONSENT_REQUIRED'],
  ['consent required (65001 in the message only)', new ServerError('invalid_grant', 'c', desc(65001)), 'obo', 'AUTH.CONSENT_REQUIRED'],
  ['MFA (50076 with claims)', new InteractionRequiredAuthError('interaction_required', 'c', desc(50076), 'basic_action', '', '', '{"access_token":{}}', '50076'), 'obo', 'AUTH.INTERACTION_REQUIRED'],
  ['MFA at refresh (50079)', new InteractionRequiredAuthError('interaction_required', 'c', desc(50079), '', '', '', '', '50079'), 'silent', 'AUTH.INTERACTION_REQUIRED'],
  ['expired assertion (500133)', new ServerError('invalid_grant', 'c', desc(500133), '', '500133', 400), 'obo', 'AUTH.ASSERTION_EXPIRED'],
  ['bad client secret (7000215)', new ServerError('invalid_client', 'c', desc(7000215), '', '7000215', 401), 'obo', 'AUTH.CLIENT_MISCONFIGURED'],
  ['unknown client (700016)', new ServerError('unauthorized_client', 'c', desc(700016), '', '700016', 400), 'obo', 'AUTH.CLIENT_MISCONFIGURED'],
  ['HTTP 503', new ServerError('temporarily_unavailable', 'c', desc(90033), '', '90033', 503), 'obo', 'AUTH.IDENTITY_UNAVAILABLE'],
  ['HTTP 500 without a known error', new ServerError('', 'c', 'boom', '', undefined, 500), 'silent', 'AUTH.IDENTITY_UNAVAILABLE'],
  ['network failure', new ClientAuthError('network_error', 'c', 'ECONNREFUSED'), 'silent', 'AUTH.IDENTITY_UNAVAILABLE'],
  ['invalid_grant at refresh (70000)', new ServerError('invalid_grant', 'c', desc(70000), '', '70000', 400), 'silent', 'AUTH.SIGN_IN_REQUIRED'],
  ['no refresh token in the cache', new InteractionRequiredAuthError('no_tokens_found', 'c', 'none'), 'silent', 'AUTH.SIGN_IN_REQUIRED'],
  ['invalid assertion (50013)', new ServerError('invalid_grant', 'c', desc(50013), '', '50013', 400), 'obo', 'AUTH.SIGN_IN_REQUIRED'],
  ['a programming error', new TypeError('x is undefined'), 'obo', 'INTERNAL.UNEXPECTED'],
];

describe('MSAL errors map to product codes', () => {
  test.each(cases)('when MSAL throws %s, then %s', (_name, error, phase, code) => {
    const mapped = mapMsalError(error, phase, CONSENT_URL);
    expect(mapped.code).toBe(code);
    expect(mapped.cause).toBe(error);
  });

  test('when consent is required, then the admin-consent URL travels in details', () => {
    const mapped = mapMsalError(new ServerError('invalid_grant', 'c', desc(65001), 'consent_required', '65001'), 'obo', CONSENT_URL);
    expect(mapped.details).toMatchObject({ consentUrl: CONSENT_URL, aadsts: '65001' });
  });

  test('when MFA is required, then the claims challenge travels in details', () => {
    const mapped = mapMsalError(new InteractionRequiredAuthError('interaction_required', 'c', desc(50076), '', '', '', '{"x":1}', '50076'), 'obo', CONSENT_URL);
    expect(mapped.details.claims).toBe('{"x":1}');
  });

  test('when the error is already an AppError, then it passes through unchanged', () => {
    const original = new AppError('STORAGE.UNAVAILABLE');
    expect(mapMsalError(original, 'silent', CONSENT_URL)).toBe(original);
  });
});
