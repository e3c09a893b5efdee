/** Start failures that retrying cannot fix; the actors tell them apart by class. */

/** The server's config cannot be turned into a process (a missing secret, say): retrying won't help. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** Secrets the config uses are not set (or the keyring is locked): wait in `needs-secret` for them. */
export class MissingSecretError extends ConfigError {
  constructor(
    message: string,
    readonly secrets: string[],
  ) {
    super(message);
  }
}

/**
 * A remote server wants an OAuth sign-in that cannot happen without a person (no tokens yet, the
 * refresh token was refused, or more scope is needed): wait in `needs-auth` until they sign in.
 */
export class AuthRequiredError extends Error {
  constructor(
    message: string,
    /** Scope the server asked for, when it said (step-up); the next sign-in asks for it. */
    readonly scope?: string,
  ) {
    super(message);
    this.name = 'AuthRequiredError';
  }
}
