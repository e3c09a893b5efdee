import type { ServerState } from '../../shared/events.js';
import type { Upstream } from './upstream.js';
import type { UpstreamOptions } from './upstream-core.js';

/* What the supervisor and a RemoteLink see of a remote upstream (Streamable HTTP or SSE). */

/** Where a remote server is; asked at every connect so `${env:}`/`${secret:}` changes take effect. */
export interface RemoteTarget {
  url: string;
  headers: Record<string, string>;
  /** OAuth for this server (absent when the config sets its own Authorization header). */
  auth?: RequestAuthorizer;
}

/** A refusal the authorizer may be able to fix: a 401, or a 403 asking for more scope. */
export interface AuthRefusal {
  status: number;
  wwwAuthenticate: string | null;
  /** The Authorization header the refused request carried. */
  sent: string | undefined;
}

/**
 * Adds `Authorization` to every request of a remote server and deals with refusals (the OAuth
 * client, electron/engine/oauth/oauth-session.ts). `refused` resolves when sending again may work
 * (a refreshed token, more scope); it throws AuthRequiredError when a person has to sign in.
 */
export interface RequestAuthorizer {
  authorization(signal: AbortSignal): Promise<string | undefined>;
  refused(refusal: AuthRefusal, signal: AbortSignal): Promise<void>;
  /** The server took a request with this header: the token works. */
  accepted(sent: string | undefined): void;
}

export interface RemoteUpstreamOptions extends UpstreamOptions {
  target: () => RemoteTarget | Promise<RemoteTarget>;
}

/** What a RemoteLink drives; `unhealthy` reports a lost connection. */
export interface RemoteConnection extends Upstream {
  connect(signal: AbortSignal): Promise<void>;
  drain(): Promise<void>;
  close(reason: string): Promise<void>;
  stateChanged(from: ServerState, to: ServerState, reason: string): void;
}
