import type { JsonRpcId, JsonRpcMessage } from '../jsonrpc/messages.js';
import type { Upstream } from '../upstream/upstream.js';
import { engineError } from '../../shared/errors.js';
import { CAPABILITY_FOR_REQUEST, type Downstream } from './downstream.js';
import type { InFlight } from './in-flight-requests.js';

/** A session that may answer a server's request, and the client's id of the request it relates to. */
type Candidate = [Downstream, JsonRpcId | undefined];

interface RoutedServerRequest {
  session: Downstream;
  upstreamId: JsonRpcId;
}

let serverRequestCounter = 0;

/**
 * One server's own requests to clients (sampling, elicitation, roots): each goes to one session
 * under an id of the engine's, and the session's answer goes back to the server under the server's id.
 */
export class ServerRequests {
  private readonly routed = new Map<string, RoutedServerRequest>();

  constructor(private readonly server: string) {}

  /**
   * Policy for sampling, elicitation and roots requests: the session whose request is in flight on
   * this server (the newest one, if several), else the most recently active session that declared
   * the capability, else an error back to the server. A ping is answered here.
   */
  route(
    upstream: Upstream,
    message: JsonRpcMessage,
    flightsOldestFirst: Iterable<InFlight>,
    sessions: Iterable<Downstream>,
  ): void {
    if (message.id === undefined || message.id === null) return;
    if (message.method === 'ping') return upstream.reply(message.id, { result: {} });
    const capability = CAPABILITY_FOR_REQUEST[message.method ?? ''];
    const capable = (s: Downstream) =>
      capability === undefined || s.clientCapabilities[capability] !== undefined;
    const flights = [...flightsOldestFirst].reverse().filter((f) => capable(f.session));
    const idle = [...sessions].filter(capable).sort((a, b) => b.lastActive - a.lastActive);
    const candidates: Candidate[] = [
      ...flights.map((f): [Downstream, JsonRpcId] => [f.session, f.clientId]),
      ...idle.map((s): [Downstream, undefined] => [s, undefined]),
    ];
    const id = `sb-${this.server}-${++serverRequestCounter}`;
    for (const [session, relatedTo] of candidates) {
      this.routed.set(id, { session, upstreamId: message.id });
      if (session.deliver({ ...message, id }, relatedTo)) return;
      this.routed.delete(id);
    }
    upstream.reply(message.id, {
      error: engineError('NO_CAPABLE_CLIENT', {
        server: this.server,
        detail: `no connected client declared the "${capability ?? message.method}" capability`,
      }),
    });
  }

  /** The client's answer to a request delivered here, on to the server. False if not ours. */
  answer(session: Downstream, message: JsonRpcMessage, upstream: Upstream | undefined): boolean {
    if (typeof message.id !== 'string') return false;
    const routed = this.routed.get(message.id);
    if (!routed || routed.session !== session) return false;
    this.routed.delete(message.id);
    upstream?.reply(routed.upstreamId, message.error ? { error: message.error } : { result: message.result });
    return true;
  }

  /** The session is gone: the server hears that the requests it still had will not be answered. */
  dropSession(session: Downstream, upstream: Upstream | undefined): void {
    for (const [id, routed] of this.routed) {
      if (routed.session !== session) continue;
      this.routed.delete(id);
      upstream?.reply(routed.upstreamId, {
        error: engineError('NO_CAPABLE_CLIENT', { server: this.server, detail: 'the client went away' }),
      });
    }
  }

  /** The server gave up on one of its own requests: the session it went to is told, under our id. */
  cancelledByServer(message: JsonRpcMessage): void {
    const params = message.params as Record<string, unknown> | undefined;
    for (const [id, routed] of this.routed) {
      if (routed.upstreamId !== params?.requestId) continue;
      this.routed.delete(id);
      routed.session.deliver({ ...message, params: { ...params, requestId: id } });
    }
  }
}
