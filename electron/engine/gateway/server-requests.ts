import type { JsonRpcId, JsonRpcMessage } from '../jsonrpc/messages.js';
import type { Upstream } from '../upstream/upstream.js';
import { engineError } from '../../shared/errors.js';
import { capabilityNeeded, type Downstream } from './downstream.js';
import type { InFlight, InFlightRequests } from './in-flight-requests.js';

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
   * Sampling, elicitation and roots requests go only where they certainly belong: to the session
   * whose request they arrived with (an http upstream sends them on that request's stream), else to
   * the one session with requests in flight; and only if that client declared the capability.
   * Anything else (no request in flight, several clients' in flight, a client without the
   * capability) is answered to the server with an error: never a guess, never another client's
   * idle session. An upstream of one client's own (`sole`) asks that client. A ping is answered here.
   */
  route(
    upstream: Upstream,
    message: JsonRpcMessage,
    flights: InFlightRequests,
    relatedTo?: number,
    sole?: Downstream,
  ): void {
    if (message.id === undefined || message.id === null) return;
    if (message.method === 'ping') return upstream.reply(message.id, { result: {} });
    const needed = capabilityNeeded(message);
    const owner = sole
      ? soleOwner(sole, flights, relatedTo)
      : relatedTo === undefined
        ? onlyOwner(flights)
        : found(flights.byUpstream(relatedTo));
    const refuse = (detail: string) =>
      upstream.reply(message.id!, {
        error: engineError('NO_CAPABLE_CLIENT', { server: this.server, detail }),
      });
    if ('unknown' in owner) return refuse(owner.unknown);
    const { session, clientId } = owner;
    if (!needed.declaredBy(session.clientCapabilities))
      return refuse(`the client whose request it came with did not declare the "${needed.label}" capability`);
    const id = `sb-${this.server}-${++serverRequestCounter}`;
    this.routed.set(id, { session, upstreamId: message.id });
    if (session.deliver({ ...message, id }, clientId)) return;
    this.routed.delete(id);
    refuse('the client it belongs to has no stream open to carry it');
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

type Owner = { session: Downstream; clientId: JsonRpcId | undefined } | { unknown: string };

function found(flight: InFlight | undefined): Owner {
  if (!flight) return { unknown: 'the request it came with is no longer in flight' };
  return { session: flight.session, clientId: flight.clientId };
}

/**
 * On an upstream of one client's own: the request it came with, else the only one in flight (so a
 * 2026-07-28 client, one session per request, gets it with the right request), else the client.
 */
function soleOwner(sole: Downstream, flights: InFlightRequests, relatedTo: number | undefined): Owner {
  const related = relatedTo === undefined ? undefined : flights.byUpstream(relatedTo);
  const only = [...flights.values()];
  const flight = related ?? (only.length === 1 ? only[0] : undefined);
  return flight
    ? { session: flight.session, clientId: flight.clientId }
    : { session: sole, clientId: undefined };
}

/** The newest request in flight, when every request in flight is one client's. */
function onlyOwner(flights: InFlightRequests): Owner {
  const all = [...flights.values()];
  const clients = new Set(all.map((f) => f.session)).size;
  const newest = all.at(-1);
  if (clients === 1 && newest) return { session: newest.session, clientId: newest.clientId };
  if (clients === 0) return { unknown: 'no client request is in flight, so it belongs to no client' };
  return { unknown: `requests of ${clients} clients are in flight; which one it belongs to cannot be told` };
}
