import { AZURE_DATABRICKS_RESOURCE_ID } from '../../../src/config/schema';
import { readBicep } from './support/bicep';
import { readJson, readText, substitute } from './support/project';
import { SAMPLE_ENV } from './support/samples';

const TEAMS_DESKTOP_AND_MOBILE = '1fec8e78-bce4-4aaf-ab1b-5451cc387264';
const TEAMS_WEB = '5e3ce6c0-2b1f-4285-8d4b-75ee78787346';
const DATABRICKS_USER_IMPERSONATION = '739272be-e143-11e8-9f32-f2801f1b9fd1';
/** Microsoft Graph's delegated GroupMember.Read.All (the four-eyes membership check). */
const GRAPH_GROUP_MEMBER_READ_ALL = 'bc024368-1153-4739-b217-4326f2e966d0';

interface AadManifest {
  id: string;
  appId: string;
  signInAudience: string;
  accessTokenAcceptedVersion: number;
  groupMembershipClaims?: string;
  optionalClaims: Record<'idToken' | 'accessToken', { name: string }[]>;
  requiredResourceAccess: { resourceAppId: string; resourceAccess: { id: string; type: string }[] }[];
  oauth2Permissions: { id: string; value: string; type: string; isEnabled: boolean }[];
  preAuthorizedApplications: { appId: string; permissionIds: string[] }[];
  identifierUris: string[];
  replyUrlsWithType: { url: string; type: string }[];
}

const manifest = (): AadManifest => JSON.parse(substitute(readText('aad.manifest.json'), SAMPLE_ENV)) as AadManifest;

describe('aad.manifest.json', () => {
  it('when applied, then it updates the app the toolkit created, as a single-tenant app with v2 tokens', () => {
    const raw = readJson('aad.manifest.json') as AadManifest;
    expect({ id: raw.id, appId: raw.appId }).toEqual({ id: '${{AAD_APP_OBJECT_ID}}', appId: '${{AAD_APP_CLIENT_ID}}' });
    expect(manifest().signInAudience).toBe('AzureADMyOrg');
    expect(manifest().accessTokenAcceptedVersion).toBe(2);
  });

  it('when Teams asks for an SSO token, then the access_as_user scope exists and both Teams clients are pre-authorized for it', () => {
    const scope = manifest().oauth2Permissions.find((p) => p.value === 'access_as_user');
    expect(scope).toMatchObject({ type: 'User', isEnabled: true, id: SAMPLE_ENV.AAD_APP_ACCESS_AS_USER_PERMISSION_ID });
    const preAuthorized = manifest().preAuthorizedApplications;
    expect(preAuthorized.map((p) => p.appId).sort()).toEqual([TEAMS_DESKTOP_AND_MOBILE, TEAMS_WEB].sort());
    for (const p of preAuthorized) expect(p.permissionIds).toEqual([scope!.id]);
  });

  it('when the bot runs on-behalf-of, then the app requests delegated Azure Databricks user_impersonation', () => {
    const databricks = manifest().requiredResourceAccess.find((r) => r.resourceAppId === AZURE_DATABRICKS_RESOURCE_ID);
    expect(databricks?.resourceAccess).toEqual([{ id: DATABRICKS_USER_IMPERSONATION, type: 'Scope' }]);
  });

  it('when the app id URI is built, then the Teams manifest, the Entra app and the SSO_APP_ID_URI app setting agree', () => {
    const teams = JSON.parse(substitute(readText('appPackage/manifest.json'), SAMPLE_ENV)) as { webApplicationInfo: { resource: string } };
    expect(manifest().identifierUris).toEqual([teams.webApplicationInfo.resource]);
    const setting = /^ {2}SSO_APP_ID_URI: '(.+)'$/m.exec(readText('infra/modules/app-settings.bicep'))?.[1];
    expect(setting?.replace('${botDomain}', SAMPLE_ENV.BOT_DOMAIN!).replace('${aadAppClientId}', SAMPLE_ENV.AAD_APP_CLIENT_ID!)).toBe(teams.webApplicationInfo.resource);
  });

  it('when BOT_ID is written by provisioning, then it is the client id of this same Entra app', () => {
    const main = readBicep('infra/azure.bicep');
    expect(main.outputs.get('BOT_ID')).toBe('botRegistration.outputs.BOT_ID');
    expect(readBicep('infra/modules/bot-registration.bicep').outputs.get('BOT_ID')).toBe('botAadAppClientId');
    expect(main.modules.find((m) => m.symbol === 'botRegistration')?.params.get('botAadAppClientId')).toBe('aadAppClientId');
    const parameters = readJson('infra/azure.parameters.json') as { parameters: Record<string, { value: string }> };
    expect(parameters.parameters.aadAppClientId?.value).toBe('${{AAD_APP_CLIENT_ID}}');
  });

  it('when consent is needed, then Entra redirects to the bot sign-in end page', () => {
    expect(manifest().replyUrlsWithType).toEqual([{ url: `https://${SAMPLE_ENV.BOT_DOMAIN}/auth-end.html`, type: 'Web' }]);
  });

  it('when tokens are issued, then they carry the claims the bot reads (upn, idtyp) and no group list (membership comes from Graph)', () => {
    expect(manifest().optionalClaims.accessToken.map((c) => c.name).sort()).toEqual(['idtyp', 'upn']);
    expect(manifest().optionalClaims.idToken.map((c) => c.name)).toEqual(['upn']);
    expect(manifest().groupMembershipClaims).toBeUndefined();
  });

  it('when an approver clicks, then the app may ask Microsoft Graph for their membership: delegated GroupMember.Read.All', () => {
    const graph = manifest().requiredResourceAccess.find((r) => r.resourceAppId === '00000003-0000-0000-c000-000000000000');
    expect(graph?.resourceAccess).toContainEqual({ id: GRAPH_GROUP_MEMBER_READ_ALL, type: 'Scope' });
  });
});
