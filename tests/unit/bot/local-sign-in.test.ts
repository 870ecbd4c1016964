import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Config } from '../../../src/config';
import type { IdentityService } from '../../../src/identity/ports';
import { silentLogger } from '../../../src/logging';
import { withPlaygroundSignIn } from '../../../bot/sign-in/local-sign-in';

const alice = { tenantId: 't1', objectId: 'alice-oid' };

function fakeIdentity(signedInAs: string): IdentityService & { signIns: string[] } {
  const signIns: string[] = [];
  const sessions = new Set<string>();
  return {
    signIns,
    validateSsoToken: async () => { throw new Error('unused'); },
    signIn: async (token) => {
      signIns.push(token);
      sessions.add(signedInAs);
      return { tenantId: 't1', objectId: signedInAs, upn: undefined, displayName: signedInAs };
    },
    hasSession: async (user) => sessions.has(user.objectId),
    tokenProviderFor: () => { throw new Error('unused'); },
    signOut: async () => undefined,
    getAppGraphToken: async () => { throw new Error('unused'); },
  };
}

describe('withPlaygroundSignIn', () => {
  let server: Server;
  let url = '';
  const requested: string[] = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        requested.push((JSON.parse(body) as { user: string }).user);
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ access_token: `sso-for-${requested.at(-1)}` }));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/_local/sso-token`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const local = (playgroundSso: boolean) => ({ profile: 'local', local: { stackFile: '', caCertPath: '', ssoTokenUrl: url, playgroundSso } }) as Pick<Config, 'profile' | 'local'>;

  it('when the profile is azure, then the identity service is returned untouched', () => {
    const identity = fakeIdentity('alice-oid');
    expect(withPlaygroundSignIn(identity, { profile: 'azure', local: undefined }, silentLogger())).toBe(identity);
  });

  it('when local mode has the flag off, then the identity service is returned untouched', () => {
    const identity = fakeIdentity('alice-oid');
    expect(withPlaygroundSignIn(identity, local(false), silentLogger())).toBe(identity);
  });

  it('when a local user has no session and the flag is on, then a token for that same user is minted and signed in', async () => {
    const identity = fakeIdentity('alice-oid');
    const wrapped = withPlaygroundSignIn(identity, local(true), silentLogger());
    await expect(wrapped.hasSession(alice)).resolves.toBe(true);
    expect(requested.at(-1)).toBe('alice-oid');
    expect(identity.signIns).toEqual(['sso-for-alice-oid']);
    await expect(wrapped.hasSession(alice)).resolves.toBe(true);
    expect(identity.signIns).toHaveLength(1);
  });

  it('when the minted token signs in someone else, then it is refused as a user mismatch', async () => {
    const wrapped = withPlaygroundSignIn(fakeIdentity('mallory-oid'), local(true), silentLogger());
    await expect(wrapped.hasSession(alice)).rejects.toMatchObject({ code: 'AUTH.USER_MISMATCH' });
  });
});
