import { RequestsById } from '../flow/requests-by-id.js';
import type { JsonRpcId } from '../jsonrpc/messages.js';
import type { Downstream } from './downstream.js';

/** A client's request on its way to the server (under the upstream's id) and back. */
export interface InFlight {
  session: Downstream;
  clientId: JsonRpcId;
  upstreamId: number;
  /** The token the server sees, when the client asked for progress, and the client's own. */
  progressToken?: string;
  clientToken?: unknown;
  /** Ends the client's wait at once when it cancels (the server may still answer; that is dropped). */
  abandon?: () => void;
  cancelled: boolean;
}

/**
 * The requests in flight on one server's upstream, found by the upstream's id, by their session and
 * the client's id (a cancellation), and by the progress token the server sees: progress tokens are
 * remapped so two sessions can use the same token.
 */
export class InFlightRequests {
  private readonly byUpstreamId = new Map<number, InFlight>();
  private readonly bySession = new Map<Downstream, RequestsById<InFlight>>();
  private readonly byProgressToken = new Map<string, InFlight>();
  private nextToken = 1;

  constructor(private readonly server: string) {}

  get size(): number {
    return this.byUpstreamId.size;
  }

  /** Oldest first. */
  values(): IterableIterator<InFlight> {
    return this.byUpstreamId.values();
  }

  /** The one request in flight, when exactly one is. */
  only(): InFlight | undefined {
    return this.byUpstreamId.size === 1 ? this.byUpstreamId.values().next().value : undefined;
  }

  /** The request the upstream knows by `upstreamId`. */
  byUpstream(upstreamId: number): InFlight | undefined {
    return this.byUpstreamId.get(upstreamId);
  }

  /** The session's request of that (client's) id. */
  get(session: Downstream, clientId: JsonRpcId): InFlight | undefined {
    return this.bySession.get(session)?.get(clientId);
  }

  ofSession(session: Downstream): Iterable<InFlight> {
    return this.bySession.get(session)?.values() ?? [];
  }

  forgetSession(session: Downstream): void {
    this.bySession.delete(session);
  }

  /** The request the server's progress notification is about. */
  withProgressToken(token: string): InFlight | undefined {
    return this.byProgressToken.get(token);
  }

  /** The params to send: the client's progress token, if any, swapped for one unique on this server. */
  withEngineToken(params: unknown, flight: InFlight): unknown {
    const meta = (params as { _meta?: Record<string, unknown> } | undefined)?._meta;
    if (meta?.progressToken === undefined) return params;
    const token = `${this.server}:${this.nextToken++}`;
    flight.progressToken = token;
    this.byProgressToken.set(token, flight);
    flight.clientToken = meta.progressToken;
    return { ...(params as object), _meta: { ...meta, progressToken: token } };
  }

  add(flight: InFlight): void {
    this.byUpstreamId.set(flight.upstreamId, flight);
    let mine = this.bySession.get(flight.session);
    if (!mine) this.bySession.set(flight.session, (mine = new RequestsById()));
    mine.set(flight.clientId, flight);
  }

  /** The request went again under a new upstream id (a round of input): it is known by that one now. */
  renumber(flight: InFlight, upstreamId: number): void {
    this.byUpstreamId.delete(flight.upstreamId);
    flight.upstreamId = upstreamId;
    this.byUpstreamId.set(upstreamId, flight);
  }

  remove(flight: InFlight): void {
    this.byUpstreamId.delete(flight.upstreamId);
    this.bySession.get(flight.session)?.delete(flight.clientId);
    if (flight.progressToken !== undefined) this.byProgressToken.delete(flight.progressToken);
  }
}
