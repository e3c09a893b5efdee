// Switchboard's OAuth client against a real (local) authorization server and protected MCP server:
// discovery, registration, PKCE, sign-in, refresh before expiry and on 401, revocation, step-up,
// wrong issuers and refusals. Everything listens on 127.0.0.1.
import { afterEach, describe, expect, it } from 'vitest';
import { AuthRequiredError } from '../../electron/engine/actor/start-errors.js';
import { textOf, until } from '../fixtures/remote/remote-harness.js';
import { followAuthorization, oauthRig, type OAuthRig } from './oauth-harness.js';

let rig: OAuthRig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

const signal = () => AbortSignal.timeout(10_000);
const unauthorized = (r: OAuthRig) => r.mcp.requests.filter((q) => q.status === 401).length;

describe('signing in', () => {
  it('discovers, registers, signs in with PKCE and the resource, and keeps the tokens keyed by issuer', async () => {
    rig = await oauthRig();
    const session = rig.session({ auto: true });
    const h = rig.connect(session);
    await h.server.start();
    expect(h.server.state).toBe('ready');
    const who = textOf(await h.upstream.request('tools/call', { name: 'whoami', arguments: {} }));
    expect(who).toContain('mcp:read');

    expect(rig.auth.registrations).toHaveLength(1);
    expect(rig.auth.registrations[0]!.request).toMatchObject({ token_endpoint_auth_method: 'none' });
    const asked = rig.auth.authorizations[0]!;
    expect(asked).toMatchObject({ code_challenge_method: 'S256', resource: rig.mcp.url, scope: 'mcp:read' });
    expect(asked.redirect_uri).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/);
    expect(rig.auth.tokenLog[0]!.params).toMatchObject({
      grant_type: 'authorization_code',
      resource: rig.mcp.url,
    });

    const names = (await rig.store.list()).map((s) => s.name);
    expect(names).toContain(`oauth:token:remote@${rig.auth.issuer}`);
    expect(names).toContain(`oauth:client:${rig.auth.issuer}`);
    expect(session.status()).toMatchObject({
      oauth: true,
      signedIn: true,
      issuer: rig.auth.issuer,
      scopes: ['mcp:read'],
    });
  });

  it('waits in needs-auth without a person, then connects once signed in; a new session reuses the tokens', async () => {
    rig = await oauthRig();
    const session = rig.session();
    const h = rig.connect(session);
    await h.server.start();
    expect(h.server.state).toBe('needs-auth');
    expect(h.server.lastError).toMatch(/remote wants you to sign in at 127\.0\.0\.1:\d+: use Sign in/);
    expect(rig.auth.authorizations).toHaveLength(0);

    await session.signIn(followAuthorization, signal());
    await h.server.start();
    expect(h.server.state).toBe('ready');

    // The next run of the engine: tokens come from the keyring, nobody signs in again.
    const again = rig.session();
    const h2 = rig.connect(again);
    await h2.server.start();
    expect(h2.server.state).toBe('ready');
    expect(rig.auth.authorizations).toHaveLength(1);
    expect(rig.mcp.requests.filter((q) => q.hadToken && q.status === 401)).toHaveLength(0);
  });

  it('finds metadata without a resource_metadata hint, at the root, for an issuer with a path (OIDC append)', async () => {
    rig = await oauthRig(
      { issuerPath: '/tenant1', metadataAt: 'openid-path-append' },
      { prmAt: 'root', challengeWithMetadata: false },
    );
    const h = rig.connect(rig.session({ auto: true }));
    await h.server.start();
    expect(h.server.state).toBe('ready');
    expect(rig.auth.requests.map((r) => r.path)).toContain('/tenant1/.well-known/openid-configuration');
  });

  it('uses a pre-registered confidential client with client_secret_basic and no registration', async () => {
    rig = await oauthRig({
      registration: false,
      clients: [
        {
          client_id: 'switchboard-pre',
          client_secret: 'pre-secret-value',
          redirect_uris: ['http://127.0.0.1/callback'],
          token_endpoint_auth_method: 'client_secret_basic',
        },
      ],
    });
    const settings = { clientId: 'switchboard-pre', clientSecret: 'pre-secret-value' };
    const h = rig.connect(rig.session({ auto: true, settings }));
    await h.server.start();
    expect(h.server.state).toBe('ready');
    expect(rig.auth.registrations).toHaveLength(0);
    expect(rig.auth.tokenLog[0]).toMatchObject({ basicAuth: true, status: 200 });
  });

  it('says what to do when there is no registration and no client id', async () => {
    rig = await oauthRig({ registration: false });
    const session = rig.session();
    await expect(session.signIn(followAuthorization, signal())).rejects.toThrow(
      /offers no dynamic client registration: register a client there and put its id in the server's "oauth"/,
    );
    expect(session.status().problem).toMatch(/^sign-in failed: /);
  });
});

describe('refusing what is unsafe', () => {
  it('refuses an authorization server that does not advertise PKCE S256', async () => {
    rig = await oauthRig({ pkceMethods: null });
    await expect(rig.session().signIn(followAuthorization, signal())).rejects.toThrow(
      /does not advertise PKCE .* will not sign in without it/,
    );
    await rig.close();
    rig = await oauthRig({ pkceMethods: ['plain'] });
    await expect(rig.session().signIn(followAuthorization, signal())).rejects.toThrow(
      /does not offer PKCE with S256 \(it offers plain\)/,
    );
    expect(rig.auth.authorizations).toHaveLength(0);
  });

  it('refuses metadata whose issuer is not the one looked up', async () => {
    rig = await oauthRig({ metadataIssuer: 'https://evil.example.com' });
    await expect(rig.session().signIn(followAuthorization, signal())).rejects.toThrow(
      /names issuer "https:\/\/evil\.example\.com", not http:\/\/127\.0\.0\.1:\d+; refusing to sign in/,
    );
    expect(rig.auth.authorizations).toHaveLength(0);
  });

  it('refuses an answer whose iss is another issuer, and one without the promised iss', async () => {
    rig = await oauthRig({ issParameter: 'wrong' });
    await expect(rig.session().signIn(followAuthorization, signal())).rejects.toThrow(
      /the answer came from issuer .*\/wrong, not .*; refusing the sign-in/,
    );
    expect(rig.auth.tokenRequests.authorization_code).toBe(0);
    expect(await rig.vault.allTokens('remote')).toEqual([]);
  });

  it('refuses metadata for another resource', async () => {
    rig = await oauthRig({}, { resourceOverride: 'http://127.0.0.1:1/elsewhere' });
    const h = rig.connect(rig.session({ auto: true }));
    await h.server.start();
    expect(h.server.state).toBe('failed');
    expect(h.server.lastError).toMatch(/metadata is for another resource .*refusing to sign in/);
  });

  it('reports a denied sign-in', async () => {
    rig = await oauthRig({ deny: true });
    await expect(rig.session().signIn(followAuthorization, signal())).rejects.toThrow(
      /refused: access_denied/,
    );
  });
});

describe('keeping the sign-in alive', () => {
  it('refreshes before the token runs out, so no request is refused', async () => {
    rig = await oauthRig({ accessTokenTtlSeconds: 2 });
    const h = rig.connect(rig.session({ auto: true }));
    await h.server.start();
    const refusedAfterSignIn = unauthorized(rig);
    // The margin is a quarter of the life (1 s of 2 s): a request 1.2 s in refreshes first.
    await new Promise((resolve) => setTimeout(resolve, 1200));
    await h.upstream.request('tools/call', { name: 'whoami', arguments: {} });
    expect(rig.auth.tokenRequests.refresh_token).toBe(1);
    expect(unauthorized(rig)).toBe(refusedAfterSignIn);
    const tokens = await rig.vault.allTokens('remote');
    expect(tokens).toHaveLength(1);
    expect(tokens[0]!.expiresAt! - Date.now()).toBeGreaterThan(1000); // the rotated tokens were kept
  });

  it('refreshes on a 401 after a sleep/wake gap (tokens expired behind its back)', async () => {
    rig = await oauthRig();
    const h = rig.connect(rig.session({ auto: true }));
    await h.server.start();
    rig.auth.expireAccessTokens();
    const answer = await h.upstream.request('tools/call', { name: 'whoami', arguments: {} });
    expect(textOf(answer)).toContain('mcp:read');
    expect(rig.auth.tokenRequests.refresh_token).toBe(1);
    expect(rig.auth.authorizations).toHaveLength(1); // no new sign-in
  });

  it('goes to needs-auth when the grant is revoked, and forgets the tokens', async () => {
    rig = await oauthRig();
    const h = rig.connect(rig.session());
    const session = rig.session();
    await session.signIn(followAuthorization, signal());
    const h2 = rig.connect(session);
    await h2.server.start();
    expect(h2.server.state).toBe('ready');
    rig.auth.revokeAll();
    const failed = await h2.upstream
      .request('tools/call', { name: 'whoami', arguments: {} })
      .catch((e: Error) => e);
    expect(failed).toMatchObject({ name: 'UpstreamError' });
    expect(String(failed)).toMatch(/sign-in ran out or was revoked/);
    await until(() => h2.server.state === 'needs-auth', 'needs-auth');
    expect(await rig.vault.allTokens('remote')).toEqual([]);
    expect(session.status()).toMatchObject({
      signedIn: false,
      problem: expect.stringMatching(/sign in again/),
    });
    void h;
  });

  it('backs off when the token endpoint is down, and refreshes once it is back', async () => {
    rig = await oauthRig();
    const session = rig.session({ auto: true });
    const h = rig.connect(session);
    await h.server.start();
    rig.auth.expireAccessTokens();
    rig.auth.failTokenRequests(1, 503);
    // The refresh fails: the request is held (it never reached the server), the connection goes
    // through backoff, the next refresh works and the held request is answered. Nobody signs in again.
    const answer = await h.upstream.request('tools/call', { name: 'whoami', arguments: {} });
    expect(textOf(answer)).toContain('mcp:read');
    expect(h.states).toContain('ready→backoff');
    expect(h.logs.join('\n')).toMatch(/could not refresh the OAuth token/);
    expect(rig.logs.join('\n')).toMatch(/could not refresh the token .*trying again in 1 s/);
    expect(rig.auth.tokenRequests.refresh_token).toBe(2);
    expect(session.status().problem).toBeUndefined();
    expect(rig.auth.authorizations).toHaveLength(1);
  });
});

describe('more scope (step-up)', () => {
  it('signs in again for the scope an insufficient_scope answer names, then the call goes through', async () => {
    rig = await oauthRig();
    const h = rig.connect(rig.session({ auto: true }));
    await h.server.start();
    const answer = await h.upstream.request('tools/call', { name: 'admin', arguments: {} });
    expect(answer.error).toBeUndefined();
    expect(rig.auth.authorizations).toHaveLength(2);
    expect(rig.auth.authorizations[1]!.scope).toBe('mcp:read mcp:admin');
  });

  it('without a person, fails that call with auth_required and keeps the server ready', async () => {
    rig = await oauthRig();
    const session = rig.session();
    await session.signIn(followAuthorization, signal());
    const h = rig.connect(session);
    await h.server.start();
    const failed = await h.upstream
      .request('tools/call', { name: 'admin', arguments: {} })
      .catch((e: Error) => e);
    expect(String(failed)).toMatch(/needs more access \(scope "mcp:read mcp:admin"\): sign in again/);
    expect(failed).toMatchObject({ name: 'UpstreamError' });
    expect(h.server.state).toBe('ready');
    expect(session.status().pendingScope).toBe('mcp:read mcp:admin');
    // The next sign-in asks for it.
    await session.signIn(followAuthorization, signal());
    expect(rig.auth.authorizations.at(-1)!.scope).toBe('mcp:read mcp:admin');
    expect(session.status().pendingScope).toBeUndefined();
  });
});

describe('signing out', () => {
  it('deletes the tokens from the store and asks again next time', async () => {
    rig = await oauthRig();
    const session = rig.session();
    await session.signIn(followAuthorization, signal());
    expect(await rig.vault.allTokens('remote')).toHaveLength(1);
    await session.signOut();
    expect(await rig.vault.allTokens('remote')).toEqual([]);
    expect(session.status().signedIn).toBe(false);
    await expect(session.authorization(signal())).resolves.toBeUndefined();
    const h = rig.connect(session);
    await h.server.start();
    expect(h.server.state).toBe('needs-auth');
  });

  it('throws AuthRequiredError from refused() when nobody can sign in', async () => {
    rig = await oauthRig();
    const session = rig.session();
    const err = await session
      .refused(
        {
          status: 401,
          wwwAuthenticate: `Bearer resource_metadata="${rig.mcp.resourceMetadataUrl}"`,
          sent: undefined,
        },
        signal(),
      )
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AuthRequiredError);
  });
});
