import { authorizedFetch } from './authorized-fetch.js';
import type {
  RemoteConnection,
  RemoteTarget,
  RemoteUpstreamOptions,
  RequestAuthorizer,
} from './remote-connection.js';
import { UpstreamCore } from './upstream-core.js';

/**
 * A remote server's upstream: the one connection core, with where the server is asked at every
 * connect (so `${env:}`/`${secret:}` changes take effect) and OAuth on every request when it uses
 * it. Subclasses move messages: Streamable HTTP or the legacy HTTP+SSE transport.
 */
export abstract class RemoteUpstream extends UpstreamCore implements RemoteConnection {
  /** OAuth of the current connection (from the target), when the server uses it. */
  private auth: RequestAuthorizer | undefined;

  constructor(private readonly remote: RemoteUpstreamOptions) {
    super(remote);
  }

  /** Before initialize: HTTP remembers where to post; SSE opens its stream and reads the endpoint. */
  protected abstract openTarget(target: RemoteTarget, signal: AbortSignal): Promise<void>;

  protected async openTransport(signal: AbortSignal): Promise<void> {
    const target = await this.remote.target();
    this.auth = target.auth;
    await this.openTarget(target, signal);
  }

  /** `fetch` with the OAuth header when the server uses OAuth (see authorized-fetch.ts). */
  protected authorizedFetch(url: URL, init: RequestInit & { signal: AbortSignal; headers: Headers }) {
    return authorizedFetch(this.auth, url, init);
  }
}
