import { OAuthError } from './oauth-error.js';

/** Tokens for one server from one issuer, as kept in the keyring. */
export interface TokenSet {
  accessToken: string;
  refreshToken?: string;
  /** ms since the epoch; absent when the server did not say. */
  expiresAt?: number;
  /** Space-separated, as granted (or as asked for when the server did not say). */
  scope?: string;
  issuer: string;
  /** The resource indicator the tokens were issued for (RFC 8707). */
  resource: string;
  clientId: string;
  obtainedAt: number;
}

/** Reads a token endpoint's answer (RFC 6749 §5.1); a refresh may leave out the refresh token. */
export function tokenSetFrom(
  answer: Record<string, unknown>,
  context: {
    issuer: string;
    resource: string;
    clientId: string;
    now: number;
    askedScope?: string;
    previous?: TokenSet;
  },
): TokenSet {
  const accessToken = answer.access_token;
  if (typeof accessToken !== 'string' || accessToken === '')
    throw new OAuthError('the token endpoint answered without an access_token');
  const type = typeof answer.token_type === 'string' ? answer.token_type.toLowerCase() : '';
  if (type !== 'bearer')
    throw new OAuthError(
      `the token endpoint issued a "${String(answer.token_type)}" token, not a Bearer token`,
    );
  const expiresIn = Number(answer.expires_in);
  const refreshToken =
    typeof answer.refresh_token === 'string' ? answer.refresh_token : context.previous?.refreshToken;
  const scope =
    typeof answer.scope === 'string' ? answer.scope : (context.askedScope ?? context.previous?.scope);
  return {
    accessToken,
    ...(refreshToken ? { refreshToken } : {}),
    ...(Number.isFinite(expiresIn) && expiresIn > 0
      ? { expiresAt: context.now + Math.round(expiresIn * 1000) }
      : {}),
    ...(scope ? { scope } : {}),
    issuer: context.issuer,
    resource: context.resource,
    clientId: context.clientId,
    obtainedAt: context.now,
  };
}

/** How long before expiry a token is refreshed: a quarter of its life, between 1 s and 5 minutes. */
export function refreshMarginMs(tokens: TokenSet): number {
  if (tokens.expiresAt === undefined) return 0;
  const life = tokens.expiresAt - tokens.obtainedAt;
  return Math.min(5 * 60_000, Math.max(1000, Math.floor(life / 4)));
}

export function scopeList(scope: string | undefined): string[] {
  return (scope ?? '').split(/\s+/).filter((s) => s !== '');
}

/** Every scope of both, in order of first appearance. */
export function unionScopes(...scopes: (string | undefined)[]): string | undefined {
  const all = [...new Set(scopes.flatMap(scopeList))];
  return all.length > 0 ? all.join(' ') : undefined;
}
