import { FatalConnectError } from '../upstream/remote-http.js';
import type { OAuthClientSettings } from './client-registration.js';
import {
  canonicalResource,
  discoverAuthServer,
  discoverResource,
  fallbackAuthServer,
  type AuthServerMetadata,
  type ResourceMetadata,
} from './discovery.js';
import { OAuthError } from './oauth-error.js';
import type { BearerChallenge } from './www-authenticate.js';

/**
 * Where one remote server's users sign in, as an OAuth session learns it: the authorization server
 * (from the server's protected-resource metadata, or the fallback for older servers), the resource
 * the tokens are for, and the scope a first sign-in asks for.
 */
export class AuthorizationTarget {
  /** The authorization server's metadata, once discovered (or looked up by a refresh's issuer). */
  meta: AuthServerMetadata | undefined;
  private resourceMeta: ResourceMetadata | undefined;
  private resourceId: string | undefined;
  private challengeScope: string | undefined;

  constructor(
    private readonly serverUrl: URL,
    private readonly settings: OAuthClientSettings,
  ) {}

  /** The resource tokens are asked for: as the server's metadata wrote it, else its canonical URL. */
  get resource(): string {
    return this.resourceId ?? canonicalResource(this.serverUrl);
  }

  /** A refusal's challenge may name the scope the server wants: a first sign-in asks for it. */
  noteChallenge(challenge: BearerChallenge | undefined): void {
    if (challenge?.scope) this.challengeScope = challenge.scope;
  }

  /** The scope of a first sign-in: the config's, else the challenge's, else all the server lists. */
  scopeToAsk(): string | undefined {
    return (
      this.settings.scope ??
      this.challengeScope ??
      (this.resourceMeta?.scopesSupported?.length ? this.resourceMeta.scopesSupported.join(' ') : undefined)
    );
  }

  /** Protected-resource metadata, then the authorization server's; an older server gets the fallback. */
  async discover(challenge: BearerChallenge | undefined, signal: AbortSignal): Promise<AuthServerMetadata> {
    if (this.meta) return this.meta;
    const serverUrl = this.serverUrl;
    const resourceMeta = await discoverResource(serverUrl, challenge, signal);
    if (resourceMeta) {
      const issuer = resourceMeta.authorizationServers[0];
      if (!issuer) throw new OAuthError('the server names no authorization server in its metadata');
      const meta = await discoverAuthServer(issuer, signal);
      if (!meta) throw new OAuthError(`the authorization server ${issuer} publishes no metadata`);
      this.resourceMeta = resourceMeta;
      this.meta = meta;
      this.resourceId = resourceMeta.resource; // as the server wrote it: the token request must match it exactly
    } else {
      const meta = await discoverAuthServer(serverUrl.origin, signal);
      if (!meta && !challenge)
        throw new FatalConnectError(
          'HTTP 401: the server wants authorization but does not say how (no OAuth metadata); put the credentials it needs in the server\'s "headers" (e.g. an Authorization header) and restart it',
        );
      this.meta = meta ?? fallbackAuthServer(serverUrl);
      this.resourceId = canonicalResource(serverUrl);
    }
    return this.meta;
  }

  /** Forgets what discovery found: the next sign-in reads the server's metadata again. */
  forget(): void {
    this.meta = undefined;
    this.resourceMeta = undefined;
    this.resourceId = undefined;
  }

  /** The metadata to refresh tokens of `issuer` with, when none is known yet (looked up once). */
  async ofIssuer(issuer: string, signal: AbortSignal): Promise<AuthServerMetadata> {
    this.meta ??= (await discoverAuthServer(issuer, signal)) ?? fallbackAuthServer(this.serverUrl);
    return this.meta;
  }
}
