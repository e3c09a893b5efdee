/**
 * An OAuth step failed in a way a person has to look at (a server that advertises no PKCE, an
 * issuer that does not match, a refused registration). Retrying the same thing will not help.
 */
export class OAuthError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OAuthError';
  }
}

/** An OAuth error response (RFC 6749 §5.2): `error` is the machine-readable code. */
export class OAuthResponseError extends OAuthError {
  constructor(
    readonly endpoint: string,
    readonly status: number,
    readonly code: string,
    readonly description: string | undefined,
  ) {
    super(`${endpoint} answered ${status} ${code}${description ? `: ${description}` : ''}`);
    this.name = 'OAuthResponseError';
  }
}
