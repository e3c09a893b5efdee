import {
  obtainClient,
  type ClientRegistry,
  type OAuthClient,
  type OAuthClientSettings,
} from './client-registration.js';
import type { AuthServerMetadata } from './discovery.js';
import { startLoopbackRedirect } from './loopback-redirect.js';
import { OAuthError } from './oauth-error.js';
import { newPkce, newState } from './pkce.js';
import { exchangeCode } from './token-requests.js';
import type { TokenSet } from './token-set.js';

/** How long a sign-in waits for the browser to come back. */
export const SIGN_IN_TIMEOUT_MS = 5 * 60_000;

export interface SignInRequest {
  meta: AuthServerMetadata;
  settings: OAuthClientSettings;
  registry: ClientRegistry;
  /** The resource indicator (RFC 8707) the tokens are for. */
  resource: string;
  scope: string | undefined;
  /** Shows the authorization page to the person (the system browser); tests follow it by fetch. */
  openUrl: (url: string) => Promise<void> | void;
  now: () => number;
  signal: AbortSignal;
  timeoutMs?: number;
}

/** Refuses an authorization server that does not advertise PKCE S256 (MCP authorization §2.6). */
export function assertPkceS256(meta: AuthServerMetadata): void {
  if (meta.codeChallengeMethods?.includes('S256')) return;
  throw new OAuthError(
    meta.codeChallengeMethods
      ? `the authorization server ${meta.issuer} does not offer PKCE with S256 (it offers ${meta.codeChallengeMethods.join(', ') || 'nothing'}); Switchboard will not sign in without it`
      : `the authorization server ${meta.issuer} does not advertise PKCE (no code_challenge_methods_supported in its metadata); Switchboard will not sign in without it`,
  );
}

/**
 * One authorization-code sign-in with PKCE (OAuth 2.1 §4.1): a loopback redirect, the client,
 * the authorization page in the browser, the answer's `state` and `iss` checked (RFC 9207), and
 * the code exchanged for tokens with the resource indicator.
 */
export async function signIn(request: SignInRequest): Promise<{ tokens: TokenSet; client: OAuthClient }> {
  const { meta, settings } = request;
  assertPkceS256(meta);
  const redirect = await startLoopbackRedirect({
    ...(settings.redirectPort !== undefined
      ? { preferredPort: settings.redirectPort, strictPort: true }
      : {}),
    timeoutMs: request.timeoutMs ?? SIGN_IN_TIMEOUT_MS,
    signal: request.signal,
  });
  try {
    const client = await obtainClient(meta, settings, redirect.redirectUri, request.registry, request.signal);
    const pkce = newPkce();
    const state = newState();
    const url = new URL(meta.authorizationEndpoint);
    url.searchParams.set('response_type', 'code');
    url.searchParams.set('client_id', client.clientId);
    url.searchParams.set('redirect_uri', redirect.redirectUri);
    url.searchParams.set('code_challenge', pkce.challenge);
    url.searchParams.set('code_challenge_method', 'S256');
    url.searchParams.set('state', state);
    url.searchParams.set('resource', request.resource);
    if (request.scope) url.searchParams.set('scope', request.scope);
    await request.openUrl(url.href);
    const answer = await redirect.result;
    if (answer.get('state') !== state)
      throw new OAuthError(
        'the browser came back with a sign-in this one did not start (state differs); sign in again',
      );
    const iss = answer.get('iss');
    if (iss !== null && iss !== meta.issuer)
      throw new OAuthError(
        `the answer came from issuer ${iss}, not ${meta.issuer} (a mix-up attack?); refusing the sign-in`,
      );
    if (iss === null && meta.issParameterSupported)
      throw new OAuthError(
        `the authorization server promised an "iss" in its answer and sent none; refusing the sign-in`,
      );
    const error = answer.get('error');
    if (error !== null) {
      const description = answer.get('error_description');
      throw new OAuthError(
        `the authorization server refused: ${error}${description ? ` (${description})` : ''}`,
      );
    }
    const code = answer.get('code');
    if (!code) throw new OAuthError('the browser came back without a code');
    const tokens = await exchangeCode(
      {
        meta,
        client,
        code,
        verifier: pkce.verifier,
        redirectUri: redirect.redirectUri,
        resource: request.resource,
        scope: request.scope,
        now: request.now(),
      },
      request.signal,
    );
    return { tokens, client };
  } finally {
    redirect.close();
  }
}
