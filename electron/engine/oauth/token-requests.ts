import { authenticateClient, type OAuthClient } from './client-registration.js';
import type { AuthServerMetadata } from './discovery.js';
import { postForJson, secureUrl } from './oauth-http.js';
import { tokenSetFrom, type TokenSet } from './token-set.js';

/** The authorization code for tokens (RFC 6749 §4.1.3), with the PKCE verifier and the resource. */
export async function exchangeCode(
  request: {
    meta: AuthServerMetadata;
    client: OAuthClient;
    code: string;
    verifier: string;
    redirectUri: string;
    resource: string;
    scope: string | undefined;
    now: number;
  },
  signal: AbortSignal,
): Promise<TokenSet> {
  const form = new URLSearchParams({
    grant_type: 'authorization_code',
    code: request.code,
    code_verifier: request.verifier,
    redirect_uri: request.redirectUri,
    resource: request.resource,
  });
  const answer = await postToTokenEndpoint(request.meta, request.client, form, signal);
  return tokenSetFrom(answer, {
    issuer: request.meta.issuer,
    resource: request.resource,
    clientId: request.client.clientId,
    now: request.now,
    ...(request.scope ? { askedScope: request.scope } : {}),
  });
}

/** New tokens from the refresh token (RFC 6749 §6); a rotated refresh token replaces the old one. */
export async function refreshTokens(
  request: { meta: AuthServerMetadata; client: OAuthClient; tokens: TokenSet; now: number },
  signal: AbortSignal,
): Promise<TokenSet> {
  const { tokens } = request;
  const form = new URLSearchParams({
    grant_type: 'refresh_token',
    refresh_token: tokens.refreshToken ?? '',
    resource: tokens.resource,
  });
  const answer = await postToTokenEndpoint(request.meta, request.client, form, signal);
  return tokenSetFrom(answer, {
    issuer: tokens.issuer,
    resource: tokens.resource,
    clientId: tokens.clientId,
    now: request.now,
    previous: tokens,
  });
}

/** One token request, authenticated as the client registered to. */
function postToTokenEndpoint(
  meta: AuthServerMetadata,
  client: OAuthClient,
  form: URLSearchParams,
  signal: AbortSignal,
): Promise<Record<string, unknown>> {
  const headers = authenticateClient(client, form);
  return postForJson(secureUrl(meta.tokenEndpoint, 'token_endpoint'), { form }, signal, headers);
}
