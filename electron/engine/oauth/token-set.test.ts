import { describe, expect, it } from 'vitest';
import { authenticateClient } from './client-registration.js';
import { refreshMarginMs, tokenSetFrom, unionScopes } from './token-set.js';

const context = { issuer: 'https://as', resource: 'https://mcp/mcp', clientId: 'c1', now: 1000 };

describe('token answers', () => {
  it('reads expiry, scope and the refresh token', () => {
    expect(
      tokenSetFrom(
        { access_token: 'a', token_type: 'Bearer', expires_in: 60, refresh_token: 'r', scope: 'x y' },
        context,
      ),
    ).toEqual({
      accessToken: 'a',
      refreshToken: 'r',
      expiresAt: 61_000,
      scope: 'x y',
      issuer: 'https://as',
      resource: 'https://mcp/mcp',
      clientId: 'c1',
      obtainedAt: 1000,
    });
  });

  it('keeps the old refresh token and scope when a refresh leaves them out', () => {
    const previous = tokenSetFrom(
      { access_token: 'a', token_type: 'bearer', refresh_token: 'r1', scope: 's' },
      context,
    );
    const next = tokenSetFrom({ access_token: 'b', token_type: 'bearer' }, { ...context, previous });
    expect(next).toMatchObject({ accessToken: 'b', refreshToken: 'r1', scope: 's' });
    expect(next.expiresAt).toBeUndefined();
  });

  it('refuses answers without a Bearer access token', () => {
    expect(() => tokenSetFrom({ token_type: 'bearer' }, context)).toThrow(/without an access_token/);
    expect(() => tokenSetFrom({ access_token: 'a', token_type: 'mac' }, context)).toThrow(/not a Bearer/);
  });

  it('refreshes a quarter of the life early, within 1 s and 5 minutes', () => {
    const base = { accessToken: 'a', issuer: 'i', resource: 'r', clientId: 'c', obtainedAt: 0 };
    expect(refreshMarginMs({ ...base, expiresAt: 2000 })).toBe(1000);
    expect(refreshMarginMs({ ...base, expiresAt: 60_000 })).toBe(15_000);
    expect(refreshMarginMs({ ...base, expiresAt: 10 * 3600_000 })).toBe(300_000);
    expect(refreshMarginMs(base)).toBe(0);
  });

  it('unites scopes without repeats', () => {
    expect(unionScopes('a b', undefined, 'b c')).toBe('a b c');
    expect(unionScopes(undefined, '')).toBeUndefined();
  });
});

describe('client authentication at the token endpoint', () => {
  it('sends basic credentials form-encoded first (RFC 6749 §2.3.1)', () => {
    const form = new URLSearchParams();
    const headers = authenticateClient(
      {
        clientId: 'a b',
        clientSecret: 'p:ss',
        authMethod: 'client_secret_basic',
        kind: 'dynamic',
        redirectUris: [],
      },
      form,
    );
    expect(Buffer.from(headers.authorization!.slice(6), 'base64').toString()).toBe('a+b:p%3Ass');
    expect(form.has('client_id')).toBe(false);
  });

  it('puts the secret in the form for client_secret_post, and only the id for a public client', () => {
    const post = new URLSearchParams();
    authenticateClient(
      {
        clientId: 'c',
        clientSecret: 's',
        authMethod: 'client_secret_post',
        kind: 'dynamic',
        redirectUris: [],
      },
      post,
    );
    expect(Object.fromEntries(post)).toEqual({ client_id: 'c', client_secret: 's' });
    const none = new URLSearchParams();
    expect(
      authenticateClient({ clientId: 'c', authMethod: 'none', kind: 'dynamic', redirectUris: [] }, none),
    ).toEqual({});
    expect(Object.fromEntries(none)).toEqual({ client_id: 'c' });
  });
});
