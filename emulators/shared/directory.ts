/**
 * The demo directory shared by the Entra ID and Databricks emulators: one tenant, its users and
 * groups, and the bot's app registration. Every demo, test and benchmark uses these people.
 */
export interface DirectoryGroup {
  id: string;
  name: string;
}

export interface DirectoryUser {
  shortName: string;
  objectId: string;
  upn: string;
  displayName: string;
  /** Group names (see `groups`). */
  groups: string[];
  /** False: the user has not consented to Azure Databricks user_impersonation (OBO → AADSTS65001). */
  consented: boolean;
  /** Shown by `npm start`: what this person may see and change. */
  summary: string;
}

export interface AppRegistration {
  clientId: string;
  clientSecret: string;
  appIdUri: string;
  displayName: string;
  /** Scopes this app exposes. */
  exposedScopes: string[];
  /** Delegated resource permissions (`<resource>/<scope>`) admin-consented for this app. */
  consentedPermissions: string[];
  /** Application permissions (`<resource>/<app role>`) admin-consented for this app: the `roles` of its client-credentials tokens. */
  applicationPermissions: string[];
}

export interface Directory {
  tenantId: string;
  groups: DirectoryGroup[];
  users: DirectoryUser[];
  apps: AppRegistration[];
}

export const TENANT_ID = '7e4a1c00-0000-4000-8000-000000000001';
export const FOREIGN_TENANT_ID = '7e4a1c00-0000-4000-8000-0000000000ff';
export const BOT_APP_ID = 'b07a0000-0000-4000-8000-0000000000b0';
export const OTHER_APP_ID = '0a4e0000-0000-4000-8000-0000000000a1';
export const DATABRICKS_RESOURCE_ID = '2ff814a6-3304-4ab8-85cb-cd0e6f879c1d';
/** Microsoft Graph: its resource URI and its application id, both accepted in scopes and audiences. */
export const GRAPH_RESOURCE = 'https://graph.microsoft.com';
export const GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000';

const GROUPS: DirectoryGroup[] = [
  { id: '9a000000-0000-4000-8000-000000000001', name: 'analysts' },
  { id: '9a000000-0000-4000-8000-000000000002', name: 'region_west' },
  { id: '9a000000-0000-4000-8000-000000000003', name: 'region_east' },
  { id: '9a000000-0000-4000-8000-000000000004', name: 'admins' },
  { id: '9a000000-0000-4000-8000-000000000005', name: 'pii_readers' },
  { id: '9a000000-0000-4000-8000-000000000006', name: 'approvers' },
  { id: '9a000000-0000-4000-8000-000000000007', name: 'loadtest' },
];

export const LOAD_USER_COUNT = 50;

/** `load01`…`load50`: each sees only its own customer slice (customer_id % 50 = n - 1). */
function loadUsers(): DirectoryUser[] {
  return Array.from({ length: LOAD_USER_COUNT }, (_, i) => {
    const n = String(i + 1).padStart(2, '0');
    return {
      shortName: `load${n}`,
      objectId: `10ad0000-0000-4000-8000-0000000000${n}`,
      upn: `load${n}@contoso.example`,
      displayName: `Load User ${n}`,
      groups: ['loadtest'],
      consented: true,
      summary: `load test user: orders of customers with customer_id % 50 = ${i}`,
    };
  });
}

export const DEMO_DIRECTORY: Directory = {
  tenantId: TENANT_ID,
  groups: GROUPS,
  users: [
    {
      shortName: 'alice', objectId: 'a11ce000-0000-4000-8000-000000000001', upn: 'alice@contoso.example',
      displayName: 'Alice Wong', groups: ['analysts', 'region_west'], consented: true,
      summary: 'West region only; emails masked; may change orders (with approval)',
    },
    {
      shortName: 'bob', objectId: 'b0b00000-0000-4000-8000-000000000002', upn: 'bob@contoso.example',
      displayName: 'Bob Kim', groups: ['analysts', 'region_east'], consented: true,
      summary: 'East region only; emails masked; read-only (writes fail with 42501)',
    },
    {
      shortName: 'carol', objectId: 'ca201000-0000-4000-8000-000000000003', upn: 'carol@contoso.example',
      displayName: 'Carol Diaz', groups: ['admins', 'pii_readers', 'approvers'], consented: true,
      summary: 'admin: all regions, sees emails, may change data, approves large changes (four-eyes)',
    },
    {
      shortName: 'dave', objectId: 'da7e0000-0000-4000-8000-000000000004', upn: 'dave@contoso.example',
      displayName: 'Dave Patel', groups: [], consented: false,
      summary: 'no consent for Azure Databricks and no grants: sign-in asks for admin consent',
    },
    ...loadUsers(),
  ],
  apps: [
    {
      clientId: BOT_APP_ID,
      clientSecret: 'local-dev-secret-not-for-production',
      appIdUri: `api://localhost/botid-${BOT_APP_ID}`,
      displayName: 'Teams Data Agent (local)',
      exposedScopes: ['access_as_user'],
      consentedPermissions: [`${DATABRICKS_RESOURCE_ID}/user_impersonation`, `${GRAPH_RESOURCE}/User.Read`, `${GRAPH_RESOURCE}/GroupMember.Read.All`],
      applicationPermissions: [`${GRAPH_RESOURCE}/User.Read.All`, `${GRAPH_RESOURCE}/GroupMember.Read.All`],
    },
    {
      clientId: OTHER_APP_ID,
      clientSecret: 'other-app-secret',
      appIdUri: `api://localhost/other-${OTHER_APP_ID}`,
      displayName: 'Some other app',
      exposedScopes: ['access_as_user'],
      consentedPermissions: [],
      applicationPermissions: [],
    },
  ],
};

export function findUser(directory: Directory, nameOrUpn: string): DirectoryUser | undefined {
  const key = nameOrUpn.toLowerCase();
  return directory.users.find((u) => u.shortName === key || u.upn.toLowerCase() === key || u.objectId === key);
}
