import type { JsonRpcId, JsonRpcMessage } from '../jsonrpc/messages.js';
import type { Upstream } from '../upstream/upstream.js';
import { engineError } from '../../shared/errors.js';
import { capabilityNeeded, type Downstream } from './downstream.js';
import type { InFlight, InFlightRequests } from './in-flight-requests.js';

interface RoutedServerRequest {
  session: Downstream;
  /** The server's own id (a 2025-11-25 server's request); none for a question the engine asks. */
  upstreamId?: JsonRpcId;
  /** Where the client's answer goes. */
  settle(answer: { result: unknown } | { error: JsonRpcMessage['error'] }): void;
}

type Answer = { result: unknown } | { error: JsonRpcMessage['error'] };

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
    // A 2026-07-28 client's request ends in -32021 instead (gateway/modern-requests.ts).
    if (!session.modern && !needed.declaredBy(session.clientCapabilities))
      return refuse(`the client whose request it came with did not declare the "${needed.label}" capability`);
    const upstreamId = message.id;
    const settle = (answer: Answer) => upstream.reply(upstreamId, answer);
    if (!this.deliver(session, clientId, message, { session, upstreamId, settle }))
      refuse('the client it belongs to has no stream open to carry it');
  }

  /**
   * Asks the client of one request a question of the server's (a 2026-07-28 server's input-required
   * result, for a 2025-11-25 client) as a server→client request; resolves with its answer.
   */
  ask(
    session: Downstream,
    clientId: JsonRpcId,
    question: { method: string; params?: unknown },
  ): Promise<JsonRpcMessage> {
    return new Promise((resolve) => {
      const settle = (answer: Answer) => resolve({ jsonrpc: '2.0', id: clientId, ...answer });
      const needed = capabilityNeeded(question);
      const refuse = (detail: string) =>
        settle({ error: engineError('NO_CAPABLE_CLIENT', { server: this.server, detail }) });
      if (!needed.declaredBy(session.clientCapabilities))
        return refuse(`the client did not declare the "${needed.label}" capability the server asks for`);
      const message: JsonRpcMessage = { jsonrpc: '2.0', method: question.method, params: question.params };
      if (!this.deliver(session, clientId, message, { session, settle }))
        refuse('the client has no stream open to carry the question');
    });
  }

  private deliver(
    session: Downstream,
    clientId: JsonRpcId | undefined,
    message: JsonRpcMessage,
    routed: RoutedServerRequest,
  ): boolean {
    const id = `sb-${this.server}-${++serverRequestCounter}`;
    this.routed.set(id, routed);
    if (session.deliver({ ...message, id }, clientId)) return true;
    this.routed.delete(id);
    return false;
  }

  /** The client's answer to a request delivered here, on to the server. False if not ours. */
  answer(session: Downstream, message: JsonRpcMessage): boolean {
    if (typeof message.id !== 'string') return false;
    const routed = this.routed.get(message.id);
    if (!routed || routed.session !== session) return false;
    this.routed.delete(message.id);
    routed.settle(message.error ? { error: message.error } : { result: message.result });
    return true;
  }

  /** The session is gone: the server hears that the requests it still had will not be answered. */
  dropSession(session: Downstream): void {
    for (const [id, routed] of this.routed) {
      if (routed.session !== session) continue;
      this.routed.delete(id);
      routed.settle({
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
