import { EventEmitter } from 'node:events';
import type { Clock } from '../flow/clock.js';
import { DEFAULT_BUFFER_LIMITS, type BufferLimits } from '../flow/restart-buffer.js';
import { classify, type JsonRpcId, type JsonRpcMessage } from '../jsonrpc/messages.js';
import type { ListKind } from '../protocol/list-tracker.js';
import type { AuthRequiredError } from '../actor/start-errors.js';
import type { EngineErrorName } from '../../shared/errors.js';
import type { ServerState } from '../../shared/events.js';
import { HealthPinger } from './health-pinger.js';
import { passOnServerMessage, refreshAndReport } from './list-refresh.js';
import { ConnectionLostError, SessionExpiredError } from './remote-http.js';
import { UpstreamRequests } from './upstream-requests.js';
import { UpstreamEra } from './upstream-era.js';
import { handshake } from './handshake.js';
import { UpstreamListen } from './upstream-listen.js';
import {
  SHARED_CLIENT_CAPABILITIES,
  type SendOptions,
  type SentRequest,
  type Upstream,
  type UpstreamEvents,
  type UpstreamInfo,
  type WireRouting,
} from './upstream.js';

/** The largest message accepted from a server. */
export const DEFAULT_MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

export interface UpstreamOptions {
  server: string;
  clock: Clock;
  /** Default bound on one request; the SDK's client uses 60 s. */
  requestTimeoutMs: number;
  /** How long a planned restart or reconnect lets requests in flight finish. */
  drainTimeoutMs?: number;
  /** Ping the server this often while connected (0 = never); an unanswered ping means it is gone. */
  pingIntervalMs?: number;
  pingTimeoutMs?: number;
  maxMessageBytes?: number;
  /** Bounds on requests held while the server (re)starts or reconnects. */
  bufferLimits?: BufferLimits;
  clientInfo: { name: string; version: string; [key: string]: unknown };
  /** The capabilities to declare (a per-client upstream: its client's); default: what the engine routes. */
  clientCapabilities?: Record<string, unknown>;
  /** How long `server/discover` may take before the server is spoken to in 2025-11-25. */
  discoverTimeoutMs?: number;
  log: (line: string) => void;
}

/**
 * The one connection core of the engine's MCP client (DESIGN §3, shared mode), for every kind of
 * server: request ids and timeouts, the bounded hold buffer behind the one request gate,
 * initialize, lists and their announcement, pings, drain, and the routing of what the server
 * sends. Subclasses only move messages: a process's stdio, Streamable HTTP or legacy SSE.
 */
export abstract class UpstreamCore extends EventEmitter<UpstreamEvents> implements Upstream {
  info: UpstreamInfo | undefined;
  readonly lists: Partial<Record<ListKind, unknown[]>> = {};
  protected readonly options: UpstreamOptions;
  protected readonly maxMessageBytes: number;
  /** Aborts every exchange of the current connection (close, or a failed connect). */
  protected connection = new AbortController();
  /** Generation of the current session: work of an older one is ignored. */
  protected session = 0;
  /** The protocol version the server chose in its InitializeResult (sent as a header over HTTP). */
  protected protocolVersion: string | undefined;
  /** The current session is initialized: answers and notifications may go out. */
  private sessionUp = false;
  private open = false;
  private readonly requests: UpstreamRequests;
  private lostSession = -1;
  private renewing: Promise<void> | undefined;
  private readonly pinger: HealthPinger;
  /** Which protocol era the server speaks (asked at each connect), and its requests' shape in it. */
  protected readonly era: UpstreamEra;

  constructor(options: UpstreamOptions) {
    super();
    this.options = options;
    this.maxMessageBytes = options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
    this.era = new UpstreamEra({
      server: options.server,
      caller: () => ({
        capabilities: options.clientCapabilities ?? SHARED_CLIENT_CAPABILITIES,
        clientInfo: options.clientInfo,
      }),
      listen: {
        transmit: (body, signal, routing) => this.transmit(body, undefined, signal, routing),
        answersInline: () => this.answersInline(),
        cancel: (id) => this.notify('notifications/cancelled', { requestId: id }),
        signal: () => this.connection.signal,
        isOpen: () => this.open,
        log: options.log,
      },
      log: options.log,
    });
    this.requests = new UpstreamRequests(
      options.server,
      options.clock,
      options.bufferLimits ?? DEFAULT_BUFFER_LIMITS,
      {
        isOpen: () => this.open,
        signal: () => this.connection.signal,
        encode: (p) => this.era.encode(p),
        transmit: (body, id, signal, routing) => this.transmit(body, id, signal, routing),
        answersInline: () => this.answersInline(),
        lost: (reason, signIn) => this.connectionLost(reason, signIn),
        sessionExpired: () => this.sessionExpired(),
        notify: (method, params) => this.notify(method, params),
      },
    );
    this.pinger = new HealthPinger({
      clock: options.clock,
      intervalMs: options.pingIntervalMs,
      timeoutMs: options.pingTimeoutMs,
      ping: (timeoutMs) => this.requests.send('ping', undefined, timeoutMs, true).response,
      onUnanswered: (detail) => this.connectionLost(detail),
    });
  }

  // ---- the transport's part ----------------------------------------------------------------------

  /** Before initialize: stdio takes the process's pipes, HTTP resolves where to post, SSE opens its stream. */
  protected abstract openTransport(signal: AbortSignal): Promise<void>;
  /** After `notifications/initialized`: HTTP opens its GET stream for server-initiated messages. */
  protected abstract openStreams(signal: AbortSignal): Promise<void>;
  /**
   * Sends one message; for a request over HTTP, resolves once its answer has been received.
   * `routing` names the method (and the tool, prompt or resource) for 2026-07-28's headers.
   */
  protected abstract transmit(
    body: string,
    requestId: number | undefined,
    signal: AbortSignal,
    routing: WireRouting,
  ): Promise<void>;
  /** True when a request's answer arrives on its own exchange (Streamable HTTP). */
  protected abstract answersInline(): boolean;
  /** Ends the session's streams; `polite` also tells the server (DELETE) where that makes sense. */
  protected abstract closeTransport(polite: boolean): Promise<void>;
  /** Whether the transport can carry 2026-07-28 (the legacy HTTP+SSE transport cannot). */
  protected speaksModernEra(): boolean {
    return true;
  }
  /** One page of a list as the engine keeps it (HTTP leaves out tools it cannot call). */
  protected listed(_method: string, answer: JsonRpcMessage): JsonRpcMessage {
    return answer;
  }

  // ---- for sessions -------------------------------------------------------------------------------

  get inFlight(): number {
    return this.requests.size;
  }

  /** Requests waiting for the server to come back. */
  get bufferDepth(): number {
    return this.requests.held;
  }

  request(method: string, params?: unknown, opts: SendOptions = {}): Promise<JsonRpcMessage> {
    return this.send(method, params, opts).response;
  }

  /**
   * Sends a request under an id of its own. While the server restarts or reconnects the request
   * waits (bounded) and goes out once it is back; when the server is down until someone acts it fails.
   */
  send(method: string, params?: unknown, opts: SendOptions = {}): SentRequest {
    const timeoutMs = opts.timeoutMs ?? this.options.requestTimeoutMs;
    return this.requests.send(method, params, timeoutMs, false, opts.caller);
  }

  notify(method: string, params?: unknown): void {
    if (!this.sessionUp) return;
    const requestId = (params as { requestId?: unknown } | undefined)?.requestId;
    // 2026-07-28 over HTTP: a request is cancelled by ending its exchange.
    const cancelled = method === 'notifications/cancelled' && typeof requestId === 'number';
    if (cancelled && this.era.modern && this.answersInline()) {
      this.requests.abandon(requestId, 'cancelled by its client');
      return;
    }
    const message = this.era.notification(method, params);
    if (message) this.post(message);
  }

  /** Answers a server→client request (the id is the server's own). */
  reply(id: JsonRpcId, answer: { result: unknown } | { error: JsonRpcMessage['error'] }): void {
    if (this.sessionUp) this.post({ jsonrpc: '2.0', id, ...answer });
    else this.options.log(`could not answer server request ${JSON.stringify(id)}: not connected`);
  }

  /** A notification or a response to the server: best effort, a lost connection is reported. */
  private post(message: JsonRpcMessage): void {
    const body = JSON.stringify(message);
    const signal = this.connection.signal;
    this.transmit(body, undefined, signal, { method: message.method ?? '' }).catch((err: Error) => {
      if (signal.aborted) return;
      this.options.log(`could not send ${message.method ?? 'a response'}: ${err.message}`);
      if (err instanceof ConnectionLostError) this.connectionLost(err.message);
      else if (err instanceof SessionExpiredError) void this.renewSession(this.session);
    });
  }

  // ---- the lifecycle's part (ServerActor, through its link) ---------------------------------------

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

  /** A planned restart or reconnect: hold new work and let requests in flight finish (bounded). */
  async drain(): Promise<void> {
    this.open = false;
    this.requests.gate.reconnecting = true;
    // Only what went out counts: requests held for the restart wait for the next connection.
    await this.requests.drain(this.options.drainTimeoutMs ?? 10_000);
  }

  /** Ends the connection; requests in flight get errors, held ones keep waiting for the next. */
  close(reason: string): Promise<void> {
    return this.closeWith('SERVER_UNAVAILABLE', `the connection was closed (${reason})`);
  }

  /** `close`, answering the requests in flight with `error` (a process that exited, say). */
  protected async closeWith(error: EngineErrorName, detail: string): Promise<void> {
    // Ending a session on a server we lost would only wait for it: say goodbye on planned closes only.
    const polite = this.lostSession !== this.session;
    this.open = false;
    this.sessionUp = false;
    this.pinger.stop();
    this.lostSession = this.session; // whatever breaks now is expected
    this.requests.fail('sent', error, detail);
    this.connection.abort();
    this.era.stopListen();
    await this.closeTransport(polite).catch((err: Error) =>
      this.options.log(`closing the session: ${err.message}`),
    );
  }

  /** The lifecycle's state: whether requests that cannot go out now wait or are refused. */
  stateChanged(from: ServerState, to: ServerState, reason: string): void {
    this.requests.stateChanged(from, to, reason);
  }

  private async establish(): Promise<void> {
    const session = ++this.session;
    const signal = this.connection.signal;
    this.open = false;
    this.sessionUp = false;
    this.protocolVersion = undefined;
    this.pinger.stop();
    await this.openTransport(signal);
    const { info, modern } = await handshake({
      era: this.era,
      modernTransport: this.speaksModernEra(),
      send: (method, params, timeoutMs) => this.requests.send(method, params, timeoutMs, true).response,
      notify: (body, routing) => this.transmit(body, undefined, signal, routing),
      useVersion: (version) => (this.protocolVersion = version),
      closed: () => this.connection.signal.aborted || this.lostSession === session,
      log: this.options.log,
      clientInfo: this.options.clientInfo,
      clientCapabilities: this.options.clientCapabilities,
      discoverTimeoutMs: this.options.discoverTimeoutMs,
      requestTimeoutMs: this.options.requestTimeoutMs,
    });
    this.info = info;
    this.sessionUp = true;
    // Before any request goes out, so a server request tied to none of ours has a stream to come on.
    await this.openStreams(signal);
    this.assertAlive(session);
    this.open = true;
    this.requests.gate.reconnecting = false;
    if (modern) this.era.openListen(info.capabilities);
    this.requests.flushHeld();
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
      if (this.open) this.requests.flushHeld();
      return Promise.resolve();
    }
    if (this.renewing) return this.renewing;
    this.open = false;
    this.requests.gate.reconnecting = true;
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
    return this.requests.awaitsAnswer(id);
  }

  /** The server forgot the current session (seen on a stream rather than on a request). */
  protected sessionExpired(): void {
    void this.renewSession(this.session);
  }

  /**
   * The connection broke (or stopped answering pings): hold new work and tell the lifecycle, once
   * per session. With `signIn`, the sign-in is gone instead (revoked, refresh refused): the
   * lifecycle waits for a person.
   */
  protected connectionLost(reason: string, signIn?: AuthRequiredError): void {
    if (this.lostSession === this.session || this.connection.signal.aborted) return;
    this.lostSession = this.session;
    this.open = false;
    this.requests.gate.reconnecting = signIn === undefined;
    this.pinger.stop();
    this.options.log(signIn ? reason : `connection lost: ${reason}`);
    if (signIn) this.emit('authRequired', signIn);
    else this.emit('unhealthy', reason);
  }

  // ---- from the server ----------------------------------------------------------------------------

  /** One message from the server; `relatedTo`: the request whose stream carried it, if one did. */
  protected receive(value: unknown, relatedTo?: number): void {
    const parsed = classify(value);
    switch (parsed.kind) {
      case 'response':
        if (this.era.listenAnswered(parsed.message)) return;
        if (!this.requests.settle(parsed.id, parsed.message))
          this.options.log(`dropped a late reply to request ${JSON.stringify(parsed.id)}`);
        return;
      case 'notification':
        if (parsed.method === 'notifications/subscriptions/acknowledged') return;
        return passOnServerMessage(
          this,
          { ...parsed, message: UpstreamListen.plain(parsed.message) },
          (kinds) => void this.refreshLists(kinds),
          relatedTo,
        );
      case 'request':
        return passOnServerMessage(this, parsed, (kinds) => void this.refreshLists(kinds), relatedTo);
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
      send: async (method, params) =>
        this.listed(
          method,
          await this.requests.send(method, params, this.options.requestTimeoutMs, true).response,
        ),
    });
  }
}
