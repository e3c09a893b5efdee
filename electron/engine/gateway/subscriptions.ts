import { errorReply, type JsonRpcId, type JsonRpcMessage } from '../jsonrpc/messages.js';
import type { Upstream } from '../upstream/upstream.js';
import { UpstreamError } from '../upstream/upstream-error.js';

/**
 * Which sessions subscribed to which resource URIs, over one upstream subscription per URI: only the
 * first subscriber and the last to leave reach the server.
 */
export class Subscriptions<S> {
  private readonly byUri = new Map<string, Set<S>>();

  of(uri: string): ReadonlySet<S> {
    return this.byUri.get(uri) ?? new Set();
  }

  uris(): string[] {
    return [...this.byUri.keys()];
  }

  add(uri: string, session: S): void {
    let set = this.byUri.get(uri);
    if (!set) this.byUri.set(uri, (set = new Set()));
    set.add(session);
  }

  remove(uri: string, session: S): void {
    const set = this.byUri.get(uri);
    set?.delete(session);
    if (set?.size === 0) this.byUri.delete(uri);
  }

  /** True when `session` is the only subscriber left (its unsubscribe should reach the server). */
  isLast(uri: string, session: S): boolean {
    const set = this.byUri.get(uri);
    return set !== undefined && set.size === 1 && set.has(session);
  }

  /** Removes every subscription of a session; returns the URIs nobody subscribes to any more. */
  dropAll(session: S): string[] {
    const orphaned: string[] = [];
    for (const [uri, set] of this.byUri) {
      if (!set.delete(session) || set.size > 0) continue;
      this.byUri.delete(uri);
      orphaned.push(uri);
    }
    return orphaned;
  }

  /** A session's resources/subscribe or resources/unsubscribe: the reply under the client's id. */
  async request(
    upstream: Upstream,
    session: S,
    clientId: JsonRpcId,
    method: string,
    params: unknown,
  ): Promise<JsonRpcMessage> {
    const uri = String((params as { uri?: unknown } | undefined)?.uri);
    const subscribe = method === 'resources/subscribe';
    // Only the first subscriber and the last to leave reach the server.
    const reachesServer = subscribe ? this.of(uri).size === 0 : this.isLast(uri, session);
    if (reachesServer) {
      const response = await upstream.request(method, params).catch((err: unknown) => {
        if (err instanceof UpstreamError) return errorReply(clientId, err.error);
        throw err;
      });
      if (response.error) return { ...response, id: clientId };
    }
    if (subscribe) this.add(uri, session);
    else this.remove(uri, session);
    return { jsonrpc: '2.0', id: clientId, result: {} };
  }

  /** After a restart or reconnect: every URI is subscribed to again (a failure is logged). */
  renew(upstream: Upstream, log: (problem: string) => void): void {
    for (const uri of this.uris())
      upstream.request('resources/subscribe', { uri }).then(
        (r) => r.error && log(`could not subscribe to ${uri} again: ${r.error.message}`),
        () => undefined,
      );
  }
}
