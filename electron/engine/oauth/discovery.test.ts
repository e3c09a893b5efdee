import { describe, expect, it } from 'vitest';
import {
  authServerMetadataUrls,
  canonicalResource,
  fallbackAuthServer,
  resourceCovers,
  resourceMetadataUrls,
} from './discovery.js';
import { secureUrl } from './oauth-http.js';

const hrefs = (urls: URL[]) => urls.map((u) => u.href);

describe('where metadata is looked for', () => {
  it('tries the challenge URL, then path-inserted, then root protected-resource metadata (RFC 9728)', () => {
    const server = new URL('https://mcp.example.com/v1/mcp');
    expect(hrefs(resourceMetadataUrls(server, { resourceMetadata: 'https://meta.example.com/prm' }))).toEqual(
      [
        'https://meta.example.com/prm',
        'https://mcp.example.com/.well-known/oauth-protected-resource/v1/mcp',
        'https://mcp.example.com/.well-known/oauth-protected-resource',
      ],
    );
    expect(hrefs(resourceMetadataUrls(new URL('https://mcp.example.com/'), undefined))).toEqual([
      'https://mcp.example.com/.well-known/oauth-protected-resource',
    ]);
  });

  it('tries RFC 8414 then both OIDC forms for an issuer with a path, two places without', () => {
    expect(hrefs(authServerMetadataUrls(new URL('https://auth.example.com/tenant1')))).toEqual([
      'https://auth.example.com/.well-known/oauth-authorization-server/tenant1',
      'https://auth.example.com/.well-known/openid-configuration/tenant1',
      'https://auth.example.com/tenant1/.well-known/openid-configuration',
    ]);
    expect(hrefs(authServerMetadataUrls(new URL('https://auth.example.com')))).toEqual([
      'https://auth.example.com/.well-known/oauth-authorization-server',
      'https://auth.example.com/.well-known/openid-configuration',
    ]);
  });
});

describe('resources', () => {
  it('takes the server URL without its fragment as the resource indicator', () => {
    expect(canonicalResource(new URL('https://MCP.example.com/mcp#x'))).toBe('https://mcp.example.com/mcp');
  });

  it('lets tokens go only to the resource and paths below it, on the same origin', () => {
    const server = new URL('https://mcp.example.com/api/mcp');
    expect(resourceCovers('https://mcp.example.com/api/mcp', server)).toBe(true);
    expect(resourceCovers('https://mcp.example.com/', server)).toBe(true);
    expect(resourceCovers('https://mcp.example.com/api', server)).toBe(true);
    expect(resourceCovers('https://mcp.example.com/ap', server)).toBe(false);
    expect(resourceCovers('https://other.example.com/api/mcp', server)).toBe(false);
    expect(resourceCovers('not a url', server)).toBe(false);
  });

  it('falls back to the 2025-03-26 endpoints at the origin, with PKCE S256', () => {
    expect(fallbackAuthServer(new URL('http://127.0.0.1:9/mcp'))).toMatchObject({
      issuer: 'http://127.0.0.1:9',
      authorizationEndpoint: 'http://127.0.0.1:9/authorize',
      tokenEndpoint: 'http://127.0.0.1:9/token',
      registrationEndpoint: 'http://127.0.0.1:9/register',
      codeChallengeMethods: ['S256'],
      fallback: true,
    });
  });

  it('refuses plain http except on loopback', () => {
    expect(secureUrl('http://127.0.0.1:8/token', 'token_endpoint').href).toBe('http://127.0.0.1:8/token');
    expect(secureUrl('http://localhost:8/token', 'token_endpoint').host).toBe('localhost:8');
    expect(() => secureUrl('http://auth.example.com/token', 'token_endpoint')).toThrow(/must use https/);
    expect(() => secureUrl('nope', 'token_endpoint')).toThrow(/not a URL/);
  });
});
