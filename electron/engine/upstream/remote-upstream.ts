import { EventEmitter } from 'node:events';
import { ConditionWaiters } from '../flow/condition-waiters.js';
import { classify, type JsonRpcId, type JsonRpcMessage } from '../jsonrpc/messages.js';
import type { ListKind } from '../protocol/list-tracker.js';
import { HealthPinger } from './health-pinger.js';
import { passOnServerMessage, refreshAndReport } from './list-refresh.js';
import { DEFAULT_BUFFER_LIMITS } from '../flow/restart-buffer.js';
import { PendingRequests, type PendingRequest } from '../flow/pending-requests.js';
import type { EngineErrorName } from '../../shared/errors.js';
import type { ServerState } from '../../shared/events.js';
import { ConnectionLostError, FatalConnectError, SessionExpiredError } from './remote-http.js';
import { authorizedFetch } from './authorized-fetch.js';
import { RequestGate } from './request-gate.js';
import { AuthRequiredError } from '../actor/start-errors.js';
import { UpstreamError } from './upstream-error.js';
import {
  engineInitializeParams,
  type SentRequest,
  type UpstreamEvents,
  type UpstreamInfo,
} from './upstream.js';
import {
  DEFAULT_MAX_MESSAGE_BYTES,
  type RemoteConnection,
  type RemoteTarget,
  type RequestAuthorizer,
  type RemoteUpstreamOptions,
} from './remote-connection.js';

/**
 * The transport-neutral half of a remote upstream (DESIGN §3, shared mode): request ids and
 * timeouts, the bounded hold buffer, initialize, lists, pings and the routing of what the server
 * sends. Subclasses move bytes: Streamable HTTP or the legacy HTTP+SSE transport.
 */
export abstract class RemoteUpstream extends EventEmitter<UpstreamEvents> implements RemoteConnection {
  info: UpstreamInfo | undefined;
  readonly lists: Partial<Record<ListKind, unknown[]>> = {};
  protected readonly options: RemoteUpstreamOptions;
  protected readonly maxMessageBytes: number;
  /** Aborts every exchange of the current connection (close, or a failed connect). */
  protected connection = new AbortController();
  /** Generation of the current session: work of an older one is ignored. */
  protected session = 0;
  /** The protocol version the server chose in its InitializeResult (sent as a header over HTTP). */
  protected protocolVersion: string | undefined;
  /** OAuth of the current connection (from the target), when the server uses it. */
  protected auth: RequestAuthorizer | undefined;
  /** The current session is initialized: answers and notifications may go out. */
  private sessionUp = false;
  private nextId = 1;
  private readonly pending: PendingRequests;
  private readonly waiters: ConditionWaiters;
  private open = false;
  /** Whether requests that cannot go out now wait or are refused. */
  private readonly gate = new RequestGate();
  private lostSession = -1;
  private renewing: Promise<void> | undefined;
  private readonly pinger: HealthPinger;

  constructor(options: RemoteUpstreamOptions) {
    super();
    this.options = options;
    this.maxMessageBytes = options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
    this.waiters = new ConditionWaiters(options.clock);
    this.pending = new PendingRequests(options.clock, options.bufferLimits ?? DEFAULT_BUFFER_LIMITS, () =>
      this.waiters.recheck(),
    );
    this.pinger = new HealthPinger({
      clock: options.clock,
      intervalMs: options.pingIntervalMs,
      timeoutMs: options.pingTimeoutMs,
      ping: (timeoutMs) => this.sendRequest('ping', undefined, timeoutMs, true).response,
      onUnanswered: (detail) => this.connectionLost(detail),
    });
  }

  // ---- the transport's part ----------------------------------------------------------------------

  /** Before initialize: HTTP remembers where to post; SSE opens its stream and reads the endpoint. */
  protected abstract openTransport(target: RemoteTarget, signal: AbortSignal): Promise<void>;
  /** After `notifications/initialized`: HTTP opens its GET stream for server-initiated messages. */
  protected abstract openStreams(signal: AbortSignal): Promise<void>;
  /** Sends one message; for a request over HTTP, resolves once its answer has been received. */
  protected abstract transmit(
    body: string,
    requestId: number | undefined,
    signal: AbortSignal,
  ): Promise<void>;
  /** Ends the session's streams; `polite` also tells the server (DELETE) where that makes sense. */
  protected abstract closeTransport(polite: boolean): Promise<void>;

  /** `fetch` with the OAuth header when the server uses OAuth (see authorized-fetch.ts). */
  protected authorizedFetch(url: URL, init: RequestInit & { signal: AbortSignal; headers: Headers }) {
    return authorizedFetch(this.auth, url, init);
  }

  // ---- for sessions -------------------------------------------------------------------------------

  get inFlight(): number {
    return this.pending.size;
  }

  /** Requests waiting for the connection. */
  get bufferDepth(): number {
    return this.pending.held;
  }

  request(method: string, params?: unknown, opts: { timeoutMs?: number } = {}): Promise<JsonRpcMessage> {
    return this.send(method, params, opts).response;
  }

  send(method: string, params?: unknown, opts: { timeoutMs?: number } = {}): SentRequest {
    return this.sendRequest(method, params, opts.timeoutMs ?? this.options.requestTimeoutMs, false);
  }

  notify(method: string, params?: unknown): void {
    if (this.sessionUp) this.post({ jsonrpc: '2.0', method, ...(params === undefined ? {} : { params }) });
  }

  reply(id: JsonRpcId, answer: { result: unknown } | { error: JsonRpcMessage['error'] }): void {
    if (this.sessionUp) this.post({ jsonrpc: '2.0', id, ...answer });
    else this.options.log(`could not answer server request ${JSON.stringify(id)}: not connected`);
  }

  private sendRequest(method: string, params: unknown, timeoutMs: number, internal: boolean): SentRequest {
    const id = this.nextId++;
    const body = JSON.stringify({ jsonrpc: '2.0', id, method, ...(params === undefined ? {} : { params }) });
    const bytes = Buffer.byteLength(body);
    const direct = internal || this.open;
    const buffer = { fits: this.pending.fits(bytes), held: this.pending.held };
    const refusal = direct ? undefined : this.gate.refuse(this.options.server, buffer);
    if (refusal) return { id, response: Promise.reject(refusal) };
    const response = new Promise<JsonRpcMessage>((resolve, reject) => {
      const timer = this.options.clock.setTimeout(() => this.timedOut(id, timeoutMs), timeoutMs);
      const p: PendingRequest = { id, method, body, bytes, internal, resolve, reject, timer };
      this.pending.add(p);
      if (direct) this.dispatch(p);
      else this.pending.hold(p);
    });
    return { id, response };
  }

  private dispatch(p: PendingRequest): void {
    if (this.connection.signal.aborted)
      return this.pending.settle(p, this.failure('SERVER_UNAVAILABLE', p, 'the connection was closed'));
    // Its own signal only: close() aborts every request in flight, and one composite signal per
    // request would stay attached to the long-lived connection signal.
    const abort = new AbortController();
    p.abort = abort;
    // Still this request's exchange: not answered, not aborted (whoever aborted it has answered it).
    const current = () => this.pending.get(p.id) === p && p.abort === abort && !abort.signal.aborted;
    this.transmit(p.body, p.id, abort.signal).then(
      () => {
        // Over HTTP the exchange ends with the answer; one that ends without it is a failure.
        if (!current() || !this.answersInline()) return;
        this.pending.settle(p, this.failure('SERVER_UNAVAILABLE', p, 'the exchange ended without an answer'));
      },
      (err: unknown) => {
        if (current()) this.transmitFailed(p, err as Error);
      },
    );
  }

  /** True when a request's answer arrives on its own exchange (Streamable HTTP). */
  protected abstract answersInline(): boolean;

  private transmitFailed(p: PendingRequest, err: Error): void {
    if (err instanceof UpstreamError) return this.pending.settle(p, err);
    if (err instanceof ConnectionLostError) {
      if (err.notDelivered && !p.internal) this.pending.hold(p);
      else this.settleFailed(p, err);
      return this.connectionLost(err.message);
    }
    if (err instanceof SessionExpiredError) {
      const session = this.session;
      if (!p.internal && !p.resent) {
        p.resent = true;
        this.pending.hold(p);
      } else this.settleFailed(p, err);
      return void this.renewSession(session);
    }
    if (err instanceof AuthRequiredError) {
      // A refused token (not a wish for more scope) stops the whole server until the person signs in.
      if (!p.internal && err.scope === undefined) this.connectionLost(err.message, err);
      return this.settleFailed(p, err, 'AUTH_REQUIRED');
    }
    if (err instanceof FatalConnectError && !p.internal) this.connectionLost(err.message);
    this.settleFailed(p, err);
  }

  /** Internal requests (initialize, lists) get the transport's error; a client's, an engine error. */
  private settleFailed(p: PendingRequest, err: Error, name: EngineErrorName = 'SERVER_UNAVAILABLE'): void {
    this.pending.settle(p, p.internal ? err : this.failure(name, p, err.message));
  }

  private failure(name: EngineErrorName, p: PendingRequest, detail: string): UpstreamError {
    return new UpstreamError(name, this.options.server, `${p.method}: ${detail}`);
  }

  private timedOut(id: number, timeoutMs: number): void {
    const p = this.pending.get(id);
    if (!p) return;
    const wasSent = !p.held;
    p.abort?.abort();
    this.pending.settle(p, this.failure('REQUEST_TIMEOUT', p, `no reply within ${timeoutMs} ms`));
    // Tell the server to stop working on it; initialize is never cancelled (the spec forbids it).
    if (wasSent && p.method !== 'initialize' && this.open)
      this.notify('notifications/cancelled', { requestId: id, reason: `timed out after ${timeoutMs} ms` });
  }

  /** Sends the held requests, oldest first (a request sent again keeps its place by id). */
  private flushHeld(): void {
    for (const p of this.pending.takeHeld()) this.dispatch(p);
  }

  private failPending(which: 'held' | 'sent' | 'all', error: EngineErrorName, detail: string): void {
    this.pending.fail(which, (p) => this.failure(error, p, detail));
  }

  /** A notification or a response to the server: best effort, a lost connection is reported. */
  private post(message: JsonRpcMessage): void {
    const body = JSON.stringify(message);
    const signal = this.connection.signal;
    this.transmit(body, undefined, signal).catch((err: Error) => {
      if (signal.aborted) return;
      this.options.log(`could not send ${message.method ?? 'a response'}: ${err.message}`);
      if (err instanceof ConnectionLostError) this.connectionLost(err.message);
      else if (err instanceof SessionExpiredError) void this.renewSession(this.session);
    });
  }

  // ---- the lifecycle's part (RemoteServer) -------------------------------------------------------

  /** Connects and initializes; resolves once requests go straight through. */
  async connect(signal: AbortSignal): Promise<void> {
    this.connection = new AbortController();
    const abort = () => this.connection.abort();
    signal.addEventListener('abort', abort, { once: true });
    try {
      await this.establish();
    } finally {
      signal.removeEventListener('abort', abort);
    }
  }

  /** A planned reconnect: hold new work and let requests in flight finish (bounded). */
  async drain(): Promise<void> {
    this.open = false;
    this.gate.reconnecting = true;
    const timeoutMs = this.options.drainTimeoutMs ?? 10_000;
    await this.waiters.wait(() => this.pending.noneSent(), timeoutMs);
    this.failPending('sent', 'SERVER_RESTARTED', `still running after the ${timeoutMs} ms drain timeout`);
  }

  /** Ends the connection; requests in flight get errors, held ones keep waiting for the next. */
  async close(reason: string): Promise<void> {
    // Ending a session on a server we lost would only wait for it: say goodbye on planned closes only.
    const polite = this.lostSession !== this.session;
    this.open = false;
    this.sessionUp = false;
    this.pinger.stop();
    this.lostSession = this.session; // whatever breaks now is expected
    this.failPending('sent', 'SERVER_UNAVAILABLE', `the connection was closed (${reason})`);
    this.connection.abort();
    await this.closeTransport(polite).catch((err: Error) =>
      this.options.log(`closing the session: ${err.message}`),
    );
  }

  stateChanged(_from: ServerState, to: ServerState, reason: string): void {
    const refusal = this.gate.stateChanged(to, reason);
    if (refusal) this.failPending('all', refusal.error, refusal.detail);
  }

  private async establish(): Promise<void> {
    const session = ++this.session;
    const signal = this.connection.signal;
    this.open = false;
    this.sessionUp = false;
    this.protocolVersion = undefined;
    this.pinger.stop();
    const target = await this.options.target();
    this.auth = target.auth;
    await this.openTransport(target, signal);
    const init = await this.sendRequest(
      'initialize',
      engineInitializeParams(this.options.clientInfo),
      this.options.requestTimeoutMs,
      true,
    ).response;
    if (init.error) throw new Error(`the server refused to initialize: ${init.error.message}`);
    this.info = init.result as UpstreamInfo;
    this.protocolVersion =
      typeof this.info?.protocolVersion === 'string' ? this.info.protocolVersion : undefined;
    await this.transmit(
      JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }),
      undefined,
      signal,
    );
    this.sessionUp = true;
    // Before any request goes out, so a server request tied to none of ours has a stream to come on.
    await this.openStreams(signal);
    this.assertAlive(session);
    this.open = true;
    this.gate.reconnecting = false;
    this.flushHeld();
    this.emit('connected');
    await this.refreshLists();
    this.assertAlive(session);
    this.pinger.start(() => session === this.session && this.open);
  }

  private assertAlive(session: number): void {
    if (this.connection.signal.aborted) throw new Error('the connection was closed');
    if (this.lostSession === session || this.session !== session)
      throw new Error('the connection broke while connecting');
  }

  /** The server forgot our session (HTTP 404): initialize a new one, once, and send again. */
  private renewSession(expired: number): Promise<void> {
    if (this.session !== expired) {
      if (this.open) this.flushHeld();
      return Promise.resolve();
    }
    if (this.renewing) return this.renewing;
    this.open = false;
    this.gate.reconnecting = true;
    this.options.log('the server ended our session (HTTP 404); starting a new one');
    const connection = this.connection;
    this.renewing = (async () => {
      this.sessionUp = false;
      await this.closeTransport(false);
      await this.establish();
    })()
      .catch((err: Error) => {
        // A close (and maybe a new connect) came in between: that one is in charge now.
        if (this.connection === connection)
          this.connectionLost(`could not start a new session: ${err.message}`);
      })
      .finally(() => (this.renewing = undefined));
    return this.renewing;
  }

  /** The request went out and its answer has not come yet. */
  protected awaitsAnswer(id: number): boolean {
    return this.pending.awaitsAnswer(id);
  }

  /** The server forgot the current session (seen on a stream rather than on a request). */
  protected sessionExpired(): void {
    void this.renewSession(this.session);
  }

  /**
   * The connection broke: hold new work and tell the lifecycle (once per session) to reconnect. With
   * `signIn`, the sign-in is gone instead (revoked, refresh refused): the lifecycle waits for a person.
   */
  protected connectionLost(reason: string, signIn?: AuthRequiredError): void {
    if (this.lostSession === this.session || this.connection.signal.aborted) return;
    this.lostSession = this.session;
    this.open = false;
    this.gate.reconnecting = signIn === undefined;
    this.pinger.stop();
    this.options.log(signIn ? reason : `connection lost: ${reason}`);
    if (signIn) this.emit('authRequired', signIn);
    else this.emit('unhealthy', reason);
  }

  // ---- from the server ----------------------------------------------------------------------------

  /** One message from the server, whichever stream it came on. */
  protected receive(value: unknown): void {
    const parsed = classify(value);
    switch (parsed.kind) {
      case 'response': {
        const p = typeof parsed.id === 'number' ? this.pending.get(parsed.id) : undefined;
        if (!p || p.held)
          return this.options.log(`dropped a late reply to request ${JSON.stringify(parsed.id)}`);
        return this.pending.settle(p, parsed.message);
      }
      case 'request':
      case 'notification':
        return passOnServerMessage(this, parsed, (kinds) => void this.refreshLists(kinds));
      case 'invalid':
        this.options.log(`ignored a message from the server that is not JSON-RPC: ${parsed.error.message}`);
    }
  }

  /** Re-lists what the server offers; tells the router which lists changed. */
  private refreshLists(only?: ListKind[]): Promise<void> {
    return refreshAndReport(this, {
      capabilities: this.info?.capabilities,
      lists: this.lists,
      only,
      log: this.options.log,
      send: (method, params) =>
        this.sendRequest(method, params, this.options.requestTimeoutMs, true).response,
    });
  }
}
