import type { Clock } from '../flow/clock.js';
import { AuthRequiredError } from '../actor/start-errors.js';
import { ConnectionLostError } from '../upstream/remote-http.js';
import type { AuthRefusal, RequestAuthorizer } from '../upstream/remote-connection.js';
import { clientOf, type OAuthClient, type OAuthClientSettings } from './client-registration.js';
import { AuthorizationTarget } from './authorization-target.js';
import { KeptTokens } from './kept-tokens.js';
import { OAuthError, OAuthResponseError } from './oauth-error.js';
import { oauthStatus, signInNeededMessage, type OAuthStatus, type SignInFacts } from './oauth-status.js';
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

/**
 * One remote server's OAuth client (MCP authorization, 2025-11-25): sends the access token, refreshes
 * it before it runs out (and on a 401), discovers how to sign in when the server first refuses,
 * and asks for more scope on `insufficient_scope`. Tokens live in the keyring, keyed by issuer.
 */
export class OAuthSession implements RequestAuthorizer {
  private readonly tokens: KeptTokens;
  private readonly target: AuthorizationTarget;
  private client: OAuthClient | undefined;
  private refreshing: Promise<TokenSet> | undefined;
  private refreshFailures = 0;
  private nextRefreshAt = 0;
  private readonly stepUps = new Map<string, number>();
  private signingIn: Promise<void> | undefined;
  pendingScope: string | undefined;
  problem: string | undefined;
  signInUrl: string | undefined;

  constructor(private readonly options: OAuthSessionOptions) {
    this.tokens = new KeptTokens(options);
    this.target = new AuthorizationTarget(options.serverUrl, options.settings);
  }

  get serverUrl(): URL {
    return this.options.serverUrl;
  }

  status(): OAuthStatus {
    return oauthStatus(this.facts());
  }

  /** Tokens kept from an earlier run, if any are for this server's URL. */
  load(): Promise<void> {
    return this.tokens.load();
  }

  async authorization(signal: AbortSignal): Promise<string | undefined> {
    await this.tokens.load();
    const tokens = this.tokens.current;
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
    if (sent !== undefined && sent === `Bearer ${this.tokens.untried}`) this.tokens.untried = undefined;
  }

  async refused(refusal: AuthRefusal, signal: AbortSignal): Promise<void> {
    const challenge = parseBearerChallenge(refusal.wwwAuthenticate);
    if (refusal.status === 403) return this.stepUp(challenge, signal);
    this.target.noteChallenge(challenge);
    await this.tokens.load();
    // The server may have moved to another authorization server (SEP-2352): look again.
    this.target.forget();
    await this.discover(challenge, signal);
    const tokens = this.tokens.current;
    if (tokens && refusal.sent !== `Bearer ${tokens.accessToken}`) return; // renewed meanwhile: send again
    if (tokens && refusal.sent === `Bearer ${this.tokens.untried}`) {
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
    return this.signInNeeded(unionScopes(this.pendingScope, this.target.scopeToAsk()), signal);
  }

  /** 403 insufficient_scope: sign in again for the scope asked (bounded per scope set). */
  private async stepUp(challenge: BearerChallenge | undefined, signal: AbortSignal): Promise<void> {
    if (challenge?.error !== 'insufficient_scope')
      throw new OAuthError('the server refused the request (HTTP 403)');
    await this.tokens.load();
    const wanted = unionScopes(this.tokens.current?.scope, challenge.scope) ?? '';
    const tries = (this.stepUps.get(wanted) ?? 0) + 1;
    this.stepUps.set(wanted, tries);
    if (tries > MAX_STEP_UPS)
      throw new OAuthError(
        `the server still refuses after ${MAX_STEP_UPS} sign-ins with scope "${wanted}"; ask its owner which access the request needs`,
      );
    if (!this.target.meta) await this.discover(challenge, signal);
    this.pendingScope = wanted || undefined;
    this.options.log(`${this.options.server} asks for more access (scope "${challenge.scope ?? ''}")`);
    return this.signInNeeded(wanted || undefined, signal);
  }

  private signInNeeded(scope: string | undefined, signal: AbortSignal): Promise<void> {
    if (this.options.autoSignIn) return this.signIn(this.options.autoSignIn, signal, scope);
    throw new AuthRequiredError(signInNeededMessage(this.options.server, this.facts()), this.pendingScope);
  }

  private facts(): SignInFacts {
    return {
      tokens: this.tokens.current,
      meta: this.target.meta,
      clientId: this.options.settings.clientId,
      pendingScope: this.pendingScope,
      signInUrl: this.signInUrl,
      problem: this.problem,
    };
  }

  /** Where to sign in; tokens of another issuer are not for this server any more (keyed by issuer). */
  private async discover(challenge: BearerChallenge | undefined, signal: AbortSignal): Promise<void> {
    if (this.target.meta) return;
    const meta = await this.target.discover(challenge, signal);
    if (this.tokens.current && this.tokens.current.issuer !== meta.issuer) this.tokens.current = undefined;
  }

  /** A refresh at a time; a refused one forgets the tokens (the person signs in again). */
  private refresh(signal: AbortSignal): Promise<TokenSet> {
    this.refreshing ??= this.refreshOnce(signal).finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }

  private async refreshOnce(signal: AbortSignal): Promise<TokenSet> {
    const tokens = this.tokens.current;
    if (!tokens?.refreshToken) throw new OAuthError('there is no refresh token');
    try {
      const meta = await this.target.ofIssuer(tokens.issuer, signal);
      this.client ??= await clientOf(
        tokens.clientId,
        tokens.issuer,
        meta,
        this.options.settings,
        this.options.vault,
      );
      if (!this.client)
        throw new OAuthResponseError('the token endpoint', 400, 'invalid_client', 'the client is gone');
      const next = await refreshTokens(
        { meta, client: this.client, tokens, now: this.options.clock.now() },
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
      await this.tokens.load();
      if (!this.target.meta) {
        const challenge = await probeChallenge(this.options.serverUrl, signal);
        this.target.noteChallenge(challenge);
        await this.discover(challenge, signal);
      }
      const meta = this.target.meta!;
      const { tokens, client } = await signIn({
        meta,
        settings: this.options.settings,
        registry: this.options.vault,
        resource: this.target.resource,
        scope: scope ?? unionScopes(this.pendingScope, this.target.scopeToAsk()),
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
      this.tokens.untried = tokens.accessToken;
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
    this.problem = undefined;
    this.pendingScope = undefined;
    await this.tokens.deleteAll();
    this.options.onChange?.('signed out');
  }

  private async keep(tokens: TokenSet): Promise<void> {
    this.problem = undefined;
    await this.tokens.keep(tokens);
  }

  private async forget(problem: string): Promise<void> {
    this.problem = problem;
    this.options.log(`${this.options.server}: ${problem}`);
    await this.tokens.forget();
    this.options.onChange?.(problem);
  }
}
