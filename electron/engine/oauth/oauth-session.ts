import type { Clock } from '../flow/clock.js';
import { AuthRequiredError } from '../actor/start-errors.js';
import { ConnectionLostError, FatalConnectError } from '../upstream/remote-http.js';
import type { AuthRefusal, RequestAuthorizer } from '../upstream/remote-connection.js';
import { clientOf, type OAuthClient, type OAuthClientSettings } from './client-registration.js';
import {
  canonicalResource,
  discoverAuthServer,
  discoverResource,
  fallbackAuthServer,
  resourceCovers,
  type AuthServerMetadata,
  type ResourceMetadata,
} from './discovery.js';
import { OAuthError, OAuthResponseError } from './oauth-error.js';
import type { OAuthVault } from './oauth-vault.js';
import { signIn } from './sign-in.js';
import { refreshTokens } from './token-requests.js';
import { refreshMarginMs, unionScopes, type TokenSet } from './token-set.js';
import { parseBearerChallenge, type BearerChallenge } from './www-authenticate.js';
import { probeChallenge } from './probe.js';

/** Sign-ins for more scope on one scope set before giving up (the server keeps refusing). */
export const MAX_STEP_UPS = 2;
/** Waits between failed refreshes: 1 s, 2 s, 4 s … up to 5 minutes. */
const REFRESH_BACKOFF_MS = { base: 1000, max: 5 * 60_000 };

export interface OAuthSessionOptions {
  server: string;
  serverUrl: URL;
  settings: OAuthClientSettings;
  vault: OAuthVault;
  clock: Clock;
  log: (line: string) => void;
  /** Opens an authorization page without asking anyone first (tests, the conformance client). */
  autoSignIn?: (url: string) => Promise<void> | void;
  /** Something a person may want to know changed (signed in, refreshed, signed out, failed). */
  onChange?: (detail: string) => void;
  /** Every token value, so logs can mask it. */
  onTokenValue?: (value: string) => void;
}

export interface OAuthStatus {
  oauth: boolean;
  signedIn: boolean;
  issuer?: string;
  scopes: string[];
  expiresAt?: number;
  pendingScope?: string;
  signInUrl?: string;
  problem?: string;
}

/**
 * One remote server's OAuth client (MCP authorization, 2025-11-25): sends the access token, refreshes
 * it before it runs out (and on a 401), discovers how to sign in when the server first refuses,
 * and asks for more scope on `insufficient_scope`. Tokens live in the keyring, keyed by issuer.
 */
export class OAuthSession implements RequestAuthorizer {
  private tokens: TokenSet | undefined;
  private client: OAuthClient | undefined;
  private loaded = false;
  private resourceMeta: ResourceMetadata | undefined;
  private meta: AuthServerMetadata | undefined;
  private resource: string | undefined;
  private challengeScope: string | undefined;
  private refreshing: Promise<TokenSet> | undefined;
  private refreshFailures = 0;
  private nextRefreshAt = 0;
  /** An access token just obtained that no request has got through with yet. */
  private untried: string | undefined;
  private readonly stepUps = new Map<string, number>();
  private signingIn: Promise<void> | undefined;
  pendingScope: string | undefined;
  problem: string | undefined;
  signInUrl: string | undefined;

  constructor(private readonly options: OAuthSessionOptions) {}

  get serverUrl(): URL {
    return this.options.serverUrl;
  }

  status(): OAuthStatus {
    const t = this.tokens;
    return {
      oauth: t !== undefined || this.meta !== undefined || this.options.settings.clientId !== undefined,
      signedIn: t !== undefined,
      scopes: (t?.scope ?? '').split(' ').filter(Boolean),
      ...(t || this.meta ? { issuer: t?.issuer ?? this.meta!.issuer } : {}),
      ...(t?.expiresAt !== undefined ? { expiresAt: t.expiresAt } : {}),
      ...(this.pendingScope ? { pendingScope: this.pendingScope } : {}),
      ...(this.signInUrl ? { signInUrl: this.signInUrl } : {}),
      ...(this.problem ? { problem: this.problem } : {}),
    };
  }

  /** Tokens kept from an earlier run, if any are for this server's URL. */
  async load(): Promise<void> {
    if (this.loaded) return;
    this.loaded = true;
    const kept = await this.options.vault.allTokens(this.options.server);
    this.tokens = kept.find((t) => resourceCovers(t.resource, this.options.serverUrl));
    if (this.tokens) this.remember(this.tokens);
  }

  async authorization(signal: AbortSignal): Promise<string | undefined> {
    await this.load();
    const tokens = this.tokens;
    if (!tokens) return undefined;
    const now = this.options.clock.now();
    const dueAt = tokens.expiresAt === undefined ? Infinity : tokens.expiresAt - refreshMarginMs(tokens);
    if (now < dueAt || !tokens.refreshToken) return `Bearer ${tokens.accessToken}`;
    const expired = tokens.expiresAt !== undefined && now >= tokens.expiresAt;
    if (!expired && now < this.nextRefreshAt) return `Bearer ${tokens.accessToken}`;
    try {
      return `Bearer ${(await this.refresh(signal)).accessToken}`;
    } catch (err) {
      // Still valid: use it and try again after the backoff; a refused refresh is thrown on.
      if (!expired && err instanceof ConnectionLostError) return `Bearer ${tokens.accessToken}`;
      throw err;
    }
  }

  accepted(sent: string | undefined): void {
    if (sent !== undefined && sent === `Bearer ${this.untried}`) this.untried = undefined;
  }

  async refused(refusal: AuthRefusal, signal: AbortSignal): Promise<void> {
    const challenge = parseBearerChallenge(refusal.wwwAuthenticate);
    if (refusal.status === 403) return this.stepUp(challenge, signal);
    if (challenge?.scope) this.challengeScope = challenge.scope;
    await this.load();
    await this.discover(challenge, signal);
    const tokens = this.tokens;
    if (tokens && refusal.sent !== `Bearer ${tokens.accessToken}`) return; // renewed meanwhile: send again
    if (tokens && refusal.sent === `Bearer ${this.untried}`) {
      await this.forget(`the server refused a token it had just issued; sign in again`);
    } else if (tokens?.refreshToken) {
      try {
        await this.refresh(signal);
        return;
      } catch (err) {
        if (err instanceof ConnectionLostError) throw err;
        // refused: the person signs in again below
      }
    } else if (tokens) {
      await this.forget('the access token ran out and there is no refresh token; sign in again');
    }
    return this.signInNeeded(unionScopes(this.pendingScope, this.scopeToAsk()), signal);
  }

  /** 403 insufficient_scope: sign in again for the scope asked (bounded per scope set). */
  private async stepUp(challenge: BearerChallenge | undefined, signal: AbortSignal): Promise<void> {
    if (challenge?.error !== 'insufficient_scope')
      throw new OAuthError('the server refused the request (HTTP 403)');
    await this.load();
    const wanted = unionScopes(this.tokens?.scope, challenge.scope) ?? '';
    const tries = (this.stepUps.get(wanted) ?? 0) + 1;
    this.stepUps.set(wanted, tries);
    if (tries > MAX_STEP_UPS)
      throw new OAuthError(
        `the server still refuses after ${MAX_STEP_UPS} sign-ins with scope "${wanted}"; ask its owner which access the request needs`,
      );
    if (!this.meta) await this.discover(challenge, signal);
    this.pendingScope = wanted || undefined;
    this.options.log(`${this.options.server} asks for more access (scope "${challenge.scope ?? ''}")`);
    return this.signInNeeded(wanted || undefined, signal);
  }

  private signInNeeded(scope: string | undefined, signal: AbortSignal): Promise<void> {
    if (this.options.autoSignIn) return this.signIn(this.options.autoSignIn, signal, scope);
    const where = this.meta ? new URL(this.meta.issuer).host : 'its authorization server';
    const message = this.pendingScope
      ? `${this.options.server} needs more access (scope "${this.pendingScope}"): sign in again from Switchboard's window or tray`
      : this.problem
        ? `${this.options.server}: ${this.problem} (Sign in is in Switchboard's window and tray)`
        : `${this.options.server} wants you to sign in at ${where}: use Sign in in Switchboard's window or tray`;
    throw new AuthRequiredError(message, this.pendingScope);
  }

  /** The scope of a first sign-in: the config's, else the challenge's, else all the server lists. */
  private scopeToAsk(): string | undefined {
    return (
      this.options.settings.scope ??
      this.challengeScope ??
      (this.resourceMeta?.scopesSupported?.length ? this.resourceMeta.scopesSupported.join(' ') : undefined)
    );
  }

  /** Protected-resource metadata, then the authorization server's; an older server gets the fallback. */
  private async discover(challenge: BearerChallenge | undefined, signal: AbortSignal): Promise<void> {
    if (this.meta) return;
    const serverUrl = this.options.serverUrl;
    const resourceMeta = await discoverResource(serverUrl, challenge, signal);
    if (resourceMeta) {
      const issuer = resourceMeta.authorizationServers[0];
      if (!issuer) throw new OAuthError('the server names no authorization server in its metadata');
      const meta = await discoverAuthServer(issuer, signal);
      if (!meta) throw new OAuthError(`the authorization server ${issuer} publishes no metadata`);
      this.resourceMeta = resourceMeta;
      this.meta = meta;
      this.resource = resourceMeta.resource; // as the server wrote it: the token request must match it exactly
    } else {
      const meta = await discoverAuthServer(serverUrl.origin, signal);
      if (!meta && !challenge)
        throw new FatalConnectError(
          'HTTP 401: the server wants authorization but does not say how (no OAuth metadata); put the credentials it needs in the server\'s "headers" (e.g. an Authorization header) and restart it',
        );
      this.meta = meta ?? fallbackAuthServer(serverUrl);
      this.resource = canonicalResource(serverUrl);
    }
    // Tokens of another issuer are not for this server any more (keyed by issuer).
    if (this.tokens && this.tokens.issuer !== this.meta.issuer) this.tokens = undefined;
  }

  /** A refresh at a time; a refused one forgets the tokens (the person signs in again). */
  private refresh(signal: AbortSignal): Promise<TokenSet> {
    this.refreshing ??= this.refreshOnce(signal).finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }

  private async refreshOnce(signal: AbortSignal): Promise<TokenSet> {
    const tokens = this.tokens;
    if (!tokens?.refreshToken) throw new OAuthError('there is no refresh token');
    try {
      this.meta ??=
        (await discoverAuthServer(tokens.issuer, signal)) ?? fallbackAuthServer(this.options.serverUrl);
      this.client ??= await clientOf(
        tokens.clientId,
        tokens.issuer,
        this.meta,
        this.options.settings,
        this.options.vault,
      );
      if (!this.client)
        throw new OAuthResponseError('the token endpoint', 400, 'invalid_client', 'the client is gone');
      const next = await refreshTokens(
        { meta: this.meta, client: this.client, tokens, now: this.options.clock.now() },
        signal,
      );
      await this.keep(next);
      this.refreshFailures = 0;
      this.nextRefreshAt = 0;
      this.options.onChange?.('token refreshed');
      return next;
    } catch (err) {
      if (err instanceof ConnectionLostError) {
        this.refreshFailures++;
        const wait = Math.min(
          REFRESH_BACKOFF_MS.max,
          REFRESH_BACKOFF_MS.base * 2 ** (this.refreshFailures - 1),
        );
        this.nextRefreshAt = this.options.clock.now() + wait;
        this.problem = `could not refresh the token (${err.message}); trying again in ${Math.round(wait / 1000)} s`;
        this.options.log(`${this.options.server}: ${this.problem}`);
        throw new ConnectionLostError(`could not refresh the OAuth token: ${err.message}`, true);
      }
      const detail = err instanceof Error ? err.message : String(err);
      await this.forget(`the sign-in ran out or was revoked (${detail}); sign in again`);
      throw new AuthRequiredError(`${this.options.server}: ${this.problem}`);
    }
  }

  /**
   * Signs in through `openUrl` (the system browser, or a test's fetch), one at a time. The
   * tokens go to the keyring; a person-facing problem is kept for the window.
   */
  async signIn(
    openUrl: (url: string) => Promise<void> | void,
    signal: AbortSignal,
    scope?: string,
  ): Promise<void> {
    this.signingIn ??= this.signInOnce(openUrl, signal, scope).finally(() => {
      this.signingIn = undefined;
      this.signInUrl = undefined;
    });
    return this.signingIn;
  }

  private async signInOnce(
    openUrl: (url: string) => Promise<void> | void,
    signal: AbortSignal,
    scope: string | undefined,
  ): Promise<void> {
    try {
      await this.load();
      if (!this.meta) {
        const challenge = await probeChallenge(this.options.serverUrl, signal);
        if (challenge?.scope) this.challengeScope = challenge.scope;
        await this.discover(challenge, signal);
      }
      const meta = this.meta!;
      const { tokens, client } = await signIn({
        meta,
        settings: this.options.settings,
        registry: this.options.vault,
        resource: this.resource ?? canonicalResource(this.options.serverUrl),
        scope: scope ?? unionScopes(this.pendingScope, this.scopeToAsk()),
        openUrl: async (url) => {
          this.signInUrl = url;
          this.options.onChange?.('waiting for the browser');
          await openUrl(url);
        },
        now: () => this.options.clock.now(),
        signal,
      });
      this.client = client;
      await this.keep(tokens);
      this.untried = tokens.accessToken;
      this.pendingScope = undefined;
      this.refreshFailures = 0;
      this.nextRefreshAt = 0;
      this.options.log(`${this.options.server}: signed in at ${meta.issuer}`);
      this.options.onChange?.('signed in');
    } catch (err) {
      this.problem = `sign-in failed: ${(err as Error).message}`;
      this.options.log(`${this.options.server}: ${this.problem}`);
      this.options.onChange?.(this.problem);
      throw err;
    }
  }

  /** Sign out: the tokens leave the keyring (and memory); the server asks again next time. */
  async signOut(): Promise<void> {
    this.loaded = true;
    this.tokens = undefined;
    this.untried = undefined;
    this.problem = undefined;
    this.pendingScope = undefined;
    await this.options.vault.deleteTokens(this.options.server);
    this.options.onChange?.('signed out');
  }

  private async keep(tokens: TokenSet): Promise<void> {
    this.remember(tokens);
    this.tokens = tokens;
    this.problem = undefined;
    await this.options.vault.saveTokens(this.options.server, tokens);
  }

  private remember(tokens: TokenSet): void {
    this.options.onTokenValue?.(tokens.accessToken);
    if (tokens.refreshToken) this.options.onTokenValue?.(tokens.refreshToken);
  }

  private async forget(problem: string): Promise<void> {
    const tokens = this.tokens;
    this.tokens = undefined;
    this.untried = undefined;
    this.problem = problem;
    this.options.log(`${this.options.server}: ${problem}`);
    if (tokens)
      await this.options.vault.deleteTokensOf(this.options.server, tokens.issuer).catch(() => undefined);
    this.options.onChange?.(problem);
  }
}
