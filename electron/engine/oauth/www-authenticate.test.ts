import { describe, expect, it } from 'vitest';
import { parseBearerChallenge } from './www-authenticate.js';

describe('parseBearerChallenge', () => {
  it('reads resource_metadata and scope', () => {
    expect(
      parseBearerChallenge(
        'Bearer resource_metadata="https://mcp.example.com/.well-known/oauth-protected-resource", scope="files:read files:write"',
      ),
    ).toEqual({
      resourceMetadata: 'https://mcp.example.com/.well-known/oauth-protected-resource',
      scope: 'files:read files:write',
    });
  });

  it('reads insufficient_scope with a description holding commas and escaped quotes', () => {
    expect(
      parseBearerChallenge(
        'Bearer error="insufficient_scope", scope="admin", error_description="needs \\"admin\\", sorry"',
      ),
    ).toEqual({ error: 'insufficient_scope', scope: 'admin', errorDescription: 'needs "admin", sorry' });
  });

  it('finds Bearer among other schemes, case-insensitively, with unquoted values', () => {
    expect(parseBearerChallenge('Basic realm="x", bearer error=invalid_token, scope=read')).toEqual({
      error: 'invalid_token',
      scope: 'read',
    });
  });

  it('takes a bare Bearer as a challenge without parameters', () => {
    expect(parseBearerChallenge('Bearer')).toEqual({});
  });

  it('says undefined without a Bearer challenge or header', () => {
    expect(parseBearerChallenge('Basic realm="api"')).toBeUndefined();
    expect(parseBearerChallenge(null)).toBeUndefined();
    expect(parseBearerChallenge('')).toBeUndefined();
  });

  it('stops on garbage instead of looping', () => {
    expect(parseBearerChallenge('Bearer ===,,,"')).toEqual({});
  });
});
