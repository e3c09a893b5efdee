import type { AuthStatusDto } from '../../shared/api.js';
import type { RemoteServerConfig } from '../../shared/config.js';
import type { EngineEvent, ServerState } from '../../shared/events.js';
import { ApiError, unknownServer } from '../errors/api-error.js';
import type { Clock } from '../flow/clock.js';
import type { SecretStore } from '../secrets/secret-store.js';
import type { OAuthClientSettings } from './client-registration.js';
import { OAuthSession } from './oauth-session.js';
import { OAuthVault } from './oauth-vault.js';

export interface OAuthManagerOptions {
  store: SecretStore;
  clock: Clock;
  log: (line: string) => void;
  emit: (event: EngineEvent) => void;
  /** Shows a sign-in page: Electron's shell.openExternal, or the platform's opener headless. */
  openUrl: (url: string) => Promise<void> | void;
  /** A remote server's config with `${secret:}` filled in; undefined for an unknown or local server. */
  remoteConfig: (server: string) => Promise<RemoteServerConfig | undefined>;
  state: (server: string) => ServerState | undefined;
  start: (server: string) => Promise<void>;
  restart: (server: string) => Promise<void>;
  /** Token values, so logs can mask them. */
  remember: (value: string) => void;
}

function settingsOf(config: RemoteServerConfig): OAuthClientSettings {
  return typeof config.oauth === 'object' ? config.oauth : {};
}

/**
 * The engine's OAuth sign-ins, one OAuthSession per remote server: the authorizer its connection
 * uses, and Sign in / Sign out / status for the API, the window and the tray.
 */
export class OAuthManager {
  private readonly sessions = new Map<string, { session: OAuthSession; key: string }>();
  private readonly vault: OAuthVault;
  private readonly signIns = new Map<string, AbortController>();

  constructor(private readonly options: OAuthManagerOptions) {
    this.vault = new OAuthVault(options.store);
  }

  /** The session for a server's current URL and settings (a changed config gets a fresh one). */
  authorizerFor(server: string, config: RemoteServerConfig): OAuthSession {
    const settings = settingsOf(config);
    const key = JSON.stringify([config.url, settings]);
    const known = this.sessions.get(server);
    if (known?.key === key) return known.session;
    const session = new OAuthSession({
      server,
      serverUrl: new URL(config.url),
      settings,
      vault: this.vault,
      clock: this.options.clock,
      log: this.options.log,
      onChange: (detail) => this.changed(server, session, detail),
      onTokenValue: this.options.remember,
    });
    this.sessions.set(server, { session, key });
    return session;
  }

  async status(server: string): Promise<AuthStatusDto> {
    const session = await this.sessionOf(server);
    await session.load().catch(() => undefined); // an unreachable keyring shows as not signed in
    return { server, ...session.status() };
  }

  /**
   * Starts a sign-in and answers once the browser was asked to open (or the sign-in failed early),
   * so the window can show the page's link; the server starts when the sign-in completes.
   */
  async signIn(server: string): Promise<AuthStatusDto> {
    const session = await this.sessionOf(server);
    this.signIns.get(server)?.abort();
    const abort = new AbortController();
    this.signIns.set(server, abort);
    let opened: () => void = () => undefined;
    const pageShown = new Promise<void>((resolve) => (opened = resolve));
    const done = session.signIn(async (url) => {
      opened();
      try {
        await this.options.openUrl(url);
      } catch (err) {
        this.options.log(
          `${server}: could not open the browser (${(err as Error).message}); open the page from the window`,
        );
      }
    }, abort.signal);
    const finished = done.then(
      () => this.afterSignIn(server),
      () => undefined, // the session keeps the problem for the status, and said it in the log
    );
    void finished.finally(() => {
      if (this.signIns.get(server) === abort) this.signIns.delete(server);
    });
    await Promise.race([pageShown, finished]);
    return { server, ...session.status() };
  }

  async signOut(server: string): Promise<AuthStatusDto> {
    const session = await this.sessionOf(server);
    this.signIns.get(server)?.abort();
    await session.signOut();
    const state = this.options.state(server);
    // A connected server is reconnected without tokens, so it shows needs-auth rather than working on.
    if (state === 'ready' || state === 'backoff') await this.options.restart(server);
    return { server, ...session.status() };
  }

  /** Cancels sign-ins waiting for a browser (engine shutdown). */
  close(): void {
    for (const abort of this.signIns.values()) abort.abort();
    this.signIns.clear();
  }

  private async afterSignIn(server: string): Promise<void> {
    const state = this.options.state(server);
    if (state === 'needs-auth' || state === 'failed' || state === 'stopped') await this.options.start(server);
    else if (state === 'backoff') await this.options.restart(server);
  }

  private async sessionOf(server: string): Promise<OAuthSession> {
    let config: RemoteServerConfig | undefined;
    try {
      config = await this.options.remoteConfig(server);
    } catch (err) {
      throw new ApiError(409, (err as Error).message); // a secret it needs is missing: set that first
    }
    if (config === undefined && this.options.state(server) === undefined) throw unknownServer(server);
    if (config === undefined)
      throw new ApiError(400, `${server} is a local server; OAuth sign-in is for remote (http/sse) servers`);
    if (config.oauth === false)
      throw new ApiError(400, `${server} has "oauth": false in its config; remove it to sign in with OAuth`);
    return this.authorizerFor(server, config);
  }

  private changed(server: string, session: OAuthSession, detail: string): void {
    this.options.emit({
      type: 'auth.changed',
      server,
      signedIn: session.status().signedIn,
      detail,
      at: this.options.clock.now(),
    });
  }
}
