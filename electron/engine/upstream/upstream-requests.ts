import type { Clock } from '../flow/clock.js';
import { ConditionWaiters } from '../flow/condition-waiters.js';
import { PendingRequests, type PendingRequest } from '../flow/pending-requests.js';
import type { BufferLimits } from '../flow/restart-buffer.js';
import { RequestGate } from '../flow/request-gate.js';
import type { JsonRpcMessage } from '../jsonrpc/messages.js';
import { AuthRequiredError } from '../actor/start-errors.js';
import type { EngineErrorName } from '../../shared/errors.js';
import type { ServerState } from '../../shared/events.js';
import { ConnectionLostError, FatalConnectError, SessionExpiredError } from './remote-http.js';
import { UpstreamError } from './upstream-error.js';
import type { Caller } from '../protocol/modern-era.js';
import type { SentRequest, WireRouting } from './upstream.js';

/** A request as the connection's era puts it on the wire, or the connection's own answer to it. */
export type Encoded = { body: string; routing: WireRouting } | { answer: { result: unknown } };

/** What the request table needs from the connection that carries its requests. */
export interface RequestCarrier {
  /** Requests go straight out (the session is initialized and not draining). */
  isOpen(): boolean;
  /** The current connection's signal: aborted when it closes. */
  signal(): AbortSignal;
  /** The request in the era the connection speaks (encoded as it goes out: the era may change on a restart). */
  encode(p: PendingRequest): Encoded;
  transmit(body: string, requestId: number, signal: AbortSignal, routing: WireRouting): Promise<void>;
  /** True when a request's answer arrives on its own exchange (Streamable HTTP). */
  answersInline(): boolean;
  /** The connection broke, or (with `signIn`) its sign-in is gone. */
  lost(reason: string, signIn?: AuthRequiredError): void;
  /** The server forgot the current session: start a new one. */
  sessionExpired(): void;
  notify(method: string, params: unknown): void;
}

/**
 * The requests of one upstream that have no answer yet (DESIGN §4): ids of its own, timeouts,
 * the bounded hold buffer behind the one request gate, sending again what never arrived, and the
 * engine error each failure becomes.
 */
export class UpstreamRequests {
  private nextId = 1;
  private readonly pending: PendingRequests;
  private readonly waiters: ConditionWaiters;
  /** Whether requests that cannot go out now wait or are refused. */
  readonly gate = new RequestGate();

  constructor(
    private readonly server: string,
    private readonly clock: Clock,
    limits: BufferLimits,
    private readonly carrier: RequestCarrier,
  ) {
    this.waiters = new ConditionWaiters(clock);
    this.pending = new PendingRequests(clock, limits, () => this.waiters.recheck());
  }

  get size(): number {
    return this.pending.size;
  }

  get held(): number {
    return this.pending.held;
  }

  /** Sends (or holds, or refuses) a request; `internal` ones (initialize, lists, ping) go out at once. */
  send(method: string, params: unknown, timeoutMs: number, internal: boolean, caller?: Caller): SentRequest {
    const id = this.nextId++;
    const body = JSON.stringify({ jsonrpc: '2.0', id, method, ...(params === undefined ? {} : { params }) });
    const bytes = Buffer.byteLength(body);
    const direct = internal || this.carrier.isOpen();
    const room = { fits: this.pending.fits(bytes), held: this.pending.held };
    const refusal = direct ? undefined : this.gate.refuse(room);
    if (refusal) return { id, response: Promise.reject(this.error(refusal.error, refusal.detail)) };
    const response = new Promise<JsonRpcMessage>((resolve, reject) => {
      const timer = this.clock.setTimeout(() => this.timedOut(id, timeoutMs), timeoutMs);
      const p: PendingRequest = { id, method, params, caller, body, bytes, internal, resolve, reject, timer };
      this.pending.add(p);
      if (direct) this.dispatch(p);
      else this.pending.hold(p);
    });
    return { id, response };
  }

  /** An answer from the server; false when no request sent is waiting for it (late, or never ours). */
  settle(id: unknown, message: JsonRpcMessage): boolean {
    const p = typeof id === 'number' ? this.pending.get(id) : undefined;
    if (!p || p.held) return false;
    this.pending.settle(p, message);
    return true;
  }

  /** The request went out and its answer has not come yet. */
  awaitsAnswer(id: number): boolean {
    return this.pending.awaitsAnswer(id);
  }

  /**
   * The engine stops waiting for a request (its client cancelled it): over HTTP its exchange is
   * ended, which is how a 2026-07-28 server hears of it. True when it was still out.
   */
  abandon(id: number, detail: string): boolean {
    const p = this.pending.get(id);
    if (!p) return false;
    p.abort?.abort();
    this.pending.settle(p, this.failure('SERVER_UNAVAILABLE', p, detail));
    return true;
  }

  /** Sends the held requests, oldest first (a request sent again keeps its place by id). */
  flushHeld(): void {
    for (const p of this.pending.takeHeld()) this.dispatch(p);
  }

  fail(which: 'held' | 'sent' | 'all', error: EngineErrorName, detail: string): void {
    this.pending.fail(which, (p) => this.failure(error, p, detail));
  }

  /** Waits (bounded) for what went out to be answered; what is still out then fails. */
  async drain(timeoutMs: number): Promise<void> {
    await this.waiters.wait(() => this.pending.noneSent(), timeoutMs);
    this.fail('sent', 'SERVER_RESTARTED', `still running after the ${timeoutMs} ms drain timeout`);
  }

  /** Follows the lifecycle: what it says must be answered now is. */
  stateChanged(from: ServerState, to: ServerState, reason: string): void {
    const answer = this.gate.stateChanged(from, to, reason);
    if (answer) this.fail('held', answer.error, answer.detail);
  }

  private dispatch(p: PendingRequest): void {
    if (this.carrier.signal().aborted)
      return this.pending.settle(p, this.failure('SERVER_UNAVAILABLE', p, 'the connection was closed'));
    // Its own signal only: a close aborts every request in flight, and one composite signal per
    // request would stay attached to the long-lived connection signal.
    const wire = this.carrier.encode(p);
    if ('answer' in wire) return this.pending.settle(p, { jsonrpc: '2.0', id: p.id, ...wire.answer });
    const abort = new AbortController();
    p.abort = abort;
    // Still this request's exchange: not answered, not aborted (whoever aborted it has answered it).
    const current = () => this.pending.get(p.id) === p && p.abort === abort && !abort.signal.aborted;
    this.carrier.transmit(wire.body, p.id, abort.signal, wire.routing).then(
      () => {
        // Over HTTP the exchange ends with the answer; one that ends without it is a failure.
        if (!current() || !this.carrier.answersInline()) return;
        this.pending.settle(p, this.failure('SERVER_UNAVAILABLE', p, 'the exchange ended without an answer'));
      },
      (err: unknown) => {
        if (current()) this.transmitFailed(p, err as Error);
      },
    );
  }

  private transmitFailed(p: PendingRequest, err: Error): void {
    if (err instanceof UpstreamError) return this.pending.settle(p, err);
    if (err instanceof ConnectionLostError) {
      if (err.notDelivered && !p.internal) this.pending.hold(p);
      else this.settleFailed(p, err);
      return this.carrier.lost(err.message);
    }
    if (err instanceof SessionExpiredError) {
      if (!p.internal && !p.resent) {
        p.resent = true;
        this.pending.hold(p);
      } else this.settleFailed(p, err);
      return this.carrier.sessionExpired();
    }
    if (err instanceof AuthRequiredError) {
      // A refused token (not a wish for more scope) stops the whole server until the person signs in.
      if (!p.internal && err.scope === undefined) this.carrier.lost(err.message, err);
      return this.settleFailed(p, err, 'AUTH_REQUIRED');
    }
    if (err instanceof FatalConnectError && !p.internal) this.carrier.lost(err.message);
    this.settleFailed(p, err);
  }

  /** Internal requests (initialize, lists) get the transport's error; a client's, an engine error. */
  private settleFailed(p: PendingRequest, err: Error, name: EngineErrorName = 'SERVER_UNAVAILABLE'): void {
    this.pending.settle(p, p.internal ? err : this.failure(name, p, err.message));
  }

  private failure(name: EngineErrorName, p: PendingRequest, detail: string): UpstreamError {
    return this.error(name, `${p.method}: ${detail}`);
  }

  private error(name: EngineErrorName, detail: string): UpstreamError {
    return new UpstreamError(name, this.server, detail);
  }

  private timedOut(id: number, timeoutMs: number): void {
    const p = this.pending.get(id);
    if (!p) return;
    const wasSent = !p.held;
    p.abort?.abort();
    this.pending.settle(p, this.failure('REQUEST_TIMEOUT', p, `no reply within ${timeoutMs} ms`));
    // Tell the server to stop working on it; initialize is never cancelled (the spec forbids it).
    if (wasSent && p.method !== 'initialize' && this.carrier.isOpen())
      this.carrier.notify('notifications/cancelled', {
        requestId: id,
        reason: `timed out after ${timeoutMs} ms`,
      });
  }
}
