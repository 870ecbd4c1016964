import { DEMO_DIRECTORY, findUser, type DirectoryUser } from '../shared/directory';
import type { ChannelAccount } from './types';

/** The demo people a terminal chat or test can be (the load-test users are left out). */
export const DEMO_USERS = ['alice', 'bob', 'carol', 'dave'] as const;

export const BOT_NAME = 'Data Agent';

/** A Teams member as `GET /v3/conversations/{id}/members` returns it. */
export interface TeamsMember {
  id: string;
  name: string;
  aadObjectId: string;
  givenName: string;
  surname: string;
  email: string;
  userPrincipalName: string;
  tenantId: string;
  userRole: 'user';
}

/** Teams' per-app user id (`29:…`); stable per directory user. */
export function teamsUserId(user: Pick<DirectoryUser, 'objectId'>): string {
  return `29:local-${user.objectId}`;
}

export function botAccount(botAppId: string): ChannelAccount {
  return { id: `28:${botAppId}`, name: BOT_NAME };
}

export function userAccount(user: DirectoryUser): ChannelAccount {
  return { id: teamsUserId(user), name: user.displayName, aadObjectId: user.objectId };
}

export function teamsMember(user: DirectoryUser, tenantId: string): TeamsMember {
  const [givenName = user.displayName, ...rest] = user.displayName.split(' ');
  return {
    id: teamsUserId(user),
    name: user.displayName,
    aadObjectId: user.objectId,
    givenName,
    surname: rest.join(' '),
    email: user.upn,
    userPrincipalName: user.upn,
    tenantId,
    userRole: 'user',
  };
}

export function demoUser(name: string): DirectoryUser {
  const user = findUser(DEMO_DIRECTORY, name);
  if (!user) throw new Error(`Unknown demo user "${name}"; use one of ${DEMO_USERS.join(', ')}`);
  return user;
}

export function demoMembers(tenantId: string): TeamsMember[] {
  return DEMO_USERS.map((n) => teamsMember(demoUser(n), tenantId));
}

/** The 1:1 conversation id Teams uses between one user and the bot (also what `POST /v3/conversations` returns). */
export function personalConversationId(memberId: string): string {
  return `a:local-personal-${memberId.replace(/^29:/, '')}`;
}

export const GROUP_CHAT = { id: '19:local-group-chat@thread.v2', name: 'Data questions' } as const;
export const TEAM = {
  id: '19:local-team-general@thread.tacv2',
  name: 'Retail Analytics',
  aadGroupId: '7ea40000-0000-4000-8000-0000000000c1',
  channel: { id: '19:local-channel-orders@thread.tacv2', name: 'Orders' },
} as const;
