/** Mutations for the inbound, SSO and sign-in rows (§4 cases 1–9, identity provider down, bad input). */
import type { Mutation } from './types';

const SDK_AUTH = 'node_modules/botframework-connector/lib/auth/parameterizedBotFrameworkAuthentication.js';
const VECTORS = 'tests/unit/reliability/inbound-token-vectors.test.ts';

export const IDENTITY_MUTATIONS: Mutation[] = [
  {
    case: '1',
    protection: 'the SDK binds the token’s serviceurl claim to the activity’s serviceUrl',
    patches: [{ file: SDK_AUTH, search: 'if (serviceUrlClaim !== serviceUrl) {', replace: 'if (false) {' }],
    test: { file: VECTORS, name: 'serviceUrl points elsewhere' },
    tier: 'unit',
    quick: true,
  },
  {
    case: '2',
    protection: 'ChannelOnlyAuthentication refuses non-channel issuers (bot/adapters/teams-ai/channel-auth.ts)',
    patches: [{
      file: 'bot/adapters/teams-ai/channel-auth.ts',
      search: '    requireChannelIssuer(authHeader);\n    return asUnauthorized(() => this.inner.authenticateRequest(activity, authHeader));',
      replace: '    return asUnauthorized(() => this.inner.authenticateRequest(activity, authHeader));',
    }],
    test: { file: 'tests/unit/bot/inbound-auth.test.ts', name: 'emulator path. token for the bot app id arrives' },
    tier: 'unit',
    quick: true,
    note: 'bot/ trust-boundary checks are being reworked (issue 15 sibling); re-point if the wrapper moves',
  },
  {
    case: '3',
    protection: 'the SDK refetches the channel keys for an unknown kid at most once an hour',
    patches: [{ file: 'node_modules/botframework-connector/lib/auth/openIdMetadata.js', search: 'if (!key && this.lastUpdated < Date.now() - 1000 * 60 * 60) {', replace: 'if (!key) {' }],
    test: { file: VECTORS, name: 'same unknown key id arrives ten times' },
    tier: 'unit',
    quick: true,
  },
  {
    case: '3+',
    protection: 'the SDK’s 5-minute clock skew on channel tokens',
    patches: [{ file: SDK_AUTH, search: 'clockTolerance: 5 * 60,', replace: 'clockTolerance: 60 * 60,' }],
    test: { file: VECTORS, name: 'expired ten minutes ago' },
    tier: 'unit',
    quick: true,
  },
  {
    case: '4',
    protection: 'the SSO token’s azp/appid must be a Teams client (src/identity/sso-validator.ts)',
    patches: [{ file: 'src/identity/sso-validator.ts', search: 'if (!client || !TEAMS_CLIENT_IDS.includes(client)) reject(', replace: 'if (false) reject(' }],
    test: { file: 'tests/integration/reliability/sso-client-vectors.test.ts', name: 'unlisted client application' },
    tier: 'integration',
  },
  {
    case: '4 (tenant)',
    protection: 'the SSO token’s tenant must be allowed (src/identity/sso-validator.ts)',
    patches: [{ file: 'src/identity/sso-validator.ts', search: 'if (!tid || !allowedTenants.has(tid)) reject(', replace: 'if (!tid) reject(' }],
    test: { file: 'tests/integration/identity/sso-validation.test.ts', name: 'a foreign tenant' },
    tier: 'integration',
  },
  {
    case: '5',
    protection: 'the requester’s token is obtained before the claim; a lapsed sign-in claims nothing (src/agents/decide.ts)',
    patches: [{
      file: 'src/agents/decide.ts',
      search: '    if (tokenProblem) return deny(tokenProblem, record, "no Databricks token for the requester; the request stays pending");\n',
      replace: '',
    }],
    test: { file: 'tests/unit/agents/approval-sign-in.test.ts' },
    tier: 'unit',
    quick: true,
    note: 'src/agents is being rewritten for issue 15; re-point the snippet after the merge',
  },
  {
    case: '5 (e2e)',
    protection: 'AADSTS500133 is told as "sign-in expired" (src/identity/msal-errors.ts); the click then waits for a fresh token',
    patches: [{ file: 'src/identity/msal-errors.ts', search: "  if (aadsts === '500133') return make('AUTH.ASSERTION_EXPIRED');\n", replace: '' }],
    test: { file: 'tests/e2e/reliability/approval-sign-in.test.ts', name: 'AADSTS500133' },
    tier: 'e2e',
  },
  {
    case: '6',
    protection: 'a click that already carried a token never gets a second loginRequest (bot/sign-in/card-sign-in.ts)',
    patches: [{ file: 'bot/sign-in/card-sign-in.ts', search: 'return !alreadyPresented && isRequester(', replace: 'return isRequester(' }],
    test: { file: 'tests/unit/bot/approval-sign-in.test.ts', name: 'no second loginRequest' },
    tier: 'unit',
    quick: true,
  },
  {
    case: '7',
    protection: 'each token-exchange id is claimed once (bot/sign-in/auth.ts)',
    patches: [{
      file: 'bot/sign-in/auth.ts',
      search: "  if (!(await deps.dedupe.claim(`signin:${id}:${sender}`))) return sendInvokeResponse(turn, 200, { id, failureDetail: '' });\n",
      replace: '',
    }],
    test: { file: 'tests/unit/bot/auth-routes.test.ts', name: 'same exchange id, then only the first is processed' },
    tier: 'unit',
    quick: true,
  },
  {
    case: '8',
    protection: 'the token cache is partitioned per user and read by the user’s own account',
    patches: [
      { file: 'src/identity/partition-cache-plugin.ts', search: 'const partitionKey = userKeyOf(deps.user);', replace: "const partitionKey = 'everyone';" },
      {
        file: 'src/identity/identity-service.ts',
        search: '    const account = await client.getTokenCache().getAccountByLocalId(user.objectId);\n    if (!account || account.tenantId !== user.tenantId) {',
        replace: '    const account = (await client.getTokenCache().getAllAccounts())[0] ?? null;\n    if (!account) {',
      },
    ],
    test: { file: 'tests/integration/identity/cosmos-token-cache.test.ts', name: '50 users take 20 interleaved turns' },
    tier: 'integration',
  },
  {
    case: '9',
    protection: 'the activity id is claimed before any work (bot/routes/messages.ts): commands through the dedupe container, agent messages through claimMessage (rows "turn: …")',
    patches: [{ file: 'bot/routes/messages.ts', search: '  return deps.dedupe.claim(`activity:${turn.activity.conversation.id}:${id}`);', replace: '  return true;' }],
    test: { file: 'tests/unit/bot/messages.test.ts', name: 'redelivered command' },
    tier: 'unit',
    quick: true,
  },
  {
    case: 'identity provider down',
    protection: 'a sign-in failure also gets a card saying why (bot/turns/turn-errors.ts)',
    patches: [{
      file: 'bot/turns/turn-errors.ts',
      search: "  if (name.startsWith('signin/') && (SIGN_IN_CARD_FAMILIES.has(errorFamilyOf(error.code)) || error.code === 'AUTH.USER_MISMATCH')) {",
      replace: '  if (false) {',
    }],
    test: { file: 'tests/unit/bot/auth-routes.test.ts', name: 'Microsoft sign-in is down during the exchange' },
    tier: 'unit',
    quick: true,
  },
  {
    case: 'bad input',
    protection: 'the activity shape is checked before the adapter (bot/http/server.ts)',
    patches: [{ file: 'bot/http/server.ts', search: '    if (problem) {', replace: '    if (false) {' }],
    test: { file: 'tests/unit/bot/server.test.ts', name: 'wrong types' },
    tier: 'unit',
    quick: true,
  },
  {
    case: 'bad input (e2e)',
    protection: 'the activity shape is checked before the adapter (bot/http/server.ts)',
    patches: [{ file: 'bot/http/server.ts', search: '    if (problem) {', replace: '    if (false) {' }],
    test: { file: 'tests/e2e/reliability/faults-and-input.test.ts', name: 'malformed, incomplete, wrongly typed' },
    tier: 'e2e',
  },
];
