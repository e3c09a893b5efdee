import { EventEmitter } from 'node:events';
import type { Clock } from '../flow/clock.js';
import { RequestsById } from '../flow/requests-by-id.js';
import { errorReply, type JsonRpcId, type JsonRpcMessage } from '../jsonrpc/messages.js';
import { listChangedKind, listKindsOffered, type ListKind } from '../protocol/list-tracker.js';
import type { Upstream } from '../upstream/upstream.js';
import type { HookPipeline } from '../extensions/hook-pipeline.js';
import type { CallInfo, RequestMessage } from '../extensions/extension.js';
import { UpstreamError } from '../upstream/upstream-error.js';
import { engineError } from '../../shared/errors.js';
import { CAPABILITY_FOR_REQUEST, type Downstream } from './downstream.js';
import { Subscriptions } from './subscriptions.js';

export interface ServerRouterOptions {
  server: string;
  clock: Clock;
  /** The server's upstream now (it is replaced when the server's config changes). */
  upstream: () => Upstream | undefined;
  log: (line: string) => void;
  /** The extensions' hooks (none: messages pass untouched). */
  hooks?: HookPipeline;
}

interface InFlight {
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

interface RoutedServerRequest {
  session: Downstream;
  upstreamId: JsonRpcId;
}

let serverRequestCounter = 0;

/**
 * Carries many client sessions over one server's upstream (DESIGN §3): requests go out under the
 * upstream's ids and come back to the session that sent them; progress tokens are remapped so two
 * sessions can use the same token; cancellations, server→client requests, subscriptions and the
 * log level follow the session they belong to.
 */
export class ServerRouter extends EventEmitter<{ listsChanged: [ListKind[]] }> {
  readonly server: string;
  private readonly sessions = new Set<Downstream>();
  private readonly inFlight = new Map<number, InFlight>();
  private readonly bySession = new Map<Downstream, RequestsById<InFlight>>();
  private readonly progress = new Map<string, InFlight>();
  private readonly serverRequests = new Map<string, RoutedServerRequest>();
  private readonly subscriptions = new Subscriptions<Downstream>();
  private logLevel: unknown;
  private bound: Upstream | undefined;
  /** The upstream has been connected before, so its next `connected` is a restart or reconnect. */
  private seenConnected = false;
  /** A restart happened: the next list refresh is announced to the sessions (the server will not). */
  private announceNextLists = false;
  private nextToken = 1;
  private readonly handlers = {
    notification: (m: JsonRpcMessage) => this.fromServerNotification(m),
    serverRequest: (m: JsonRpcMessage) => this.fromServerRequest(m),
    connected: () => this.onConnected(),
    listsChanged: (kinds: ListKind[]) => this.onListsChanged(kinds),
  };

  constructor(private readonly options: ServerRouterOptions) {
    super();
    this.server = options.server;
    this.rebind();
  }

  /** The upstream in force, following a replacement (config change) if there was one. */
  rebind(): Upstream | undefined {
    const current = this.options.upstream();
    if (current === this.bound) return current;
    if (this.bound) {
      this.bound.off('notification', this.handlers.notification);
      this.bound.off('serverRequest', this.handlers.serverRequest);
      this.bound.off('connected', this.handlers.connected);
      this.bound.off('listsChanged', this.handlers.listsChanged);
    }
    this.bound = current;
    this.seenConnected = current?.info !== undefined;
    this.announceNextLists = false;
    current?.on('notification', this.handlers.notification);
    current?.on('serverRequest', this.handlers.serverRequest);
    current?.on('connected', this.handlers.connected);
    current?.on('listsChanged', this.handlers.listsChanged);
    return current;
  }

  attach(session: Downstream): void {
    this.sessions.add(session);
  }

  /** The session is gone: its requests are cancelled upstream, its subscriptions dropped. */
  detach(session: Downstream): void {
    if (!this.sessions.delete(session)) return;
    for (const flight of this.bySession.get(session)?.values() ?? [])
      this.cancel(flight, 'the client went away');
    this.bySession.delete(session);
    for (const uri of this.subscriptions.dropAll(session))
      this.bound?.notify('resources/unsubscribe', { uri });
    for (const [id, routed] of this.serverRequests) {
      if (routed.session !== session) continue;
      this.serverRequests.delete(id);
      this.bound?.reply(routed.upstreamId, {
        error: engineError('NO_CAPABLE_CLIENT', { server: this.server, detail: 'the client went away' }),
      });
    }
  }

  get sessionCount(): number {
    return this.sessions.size;
  }

  /** A notification of the engine's own (an extension's) to every session of this server. */
  broadcast(message: JsonRpcMessage, seen = new Set<unknown>()): void {
    for (const session of this.sessions) {
      if (seen.has(session)) continue;
      seen.add(session);
      session.deliver(message);
    }
  }

  /**
   * Sends a client's request to the server; resolves with the reply under the client's id, or
   * undefined when the client cancelled it (a cancelled request gets no reply).
   */
  request(
    session: Downstream,
    clientId: JsonRpcId,
    method: string,
    params: unknown,
  ): Promise<JsonRpcMessage | undefined> {
    const hooks = this.options.hooks;
    if (!hooks?.active) return this.send(session, clientId, method, params);
    const name = method === 'tools/call' ? (params as { name?: unknown } | undefined)?.name : undefined;
    const view = session.view;
    // Every field always present (undefined when absent): one object shape for every call.
    const call: CallInfo = {
      session: view.session,
      client: view.client,
      endpoint: view.endpoint,
      server: this.server,
      method,
      tool: typeof name === 'string' ? name : undefined,
      startedAt: this.options.clock.now(),
    };
    const message: RequestMessage = { jsonrpc: '2.0', id: clientId, method, params };
    return hooks.request(call, message, (m) => this.send(session, clientId, m.method, m.params));
  }

  private send(
    session: Downstream,
    clientId: JsonRpcId,
    method: string,
    params: unknown,
  ): Promise<JsonRpcMessage | undefined> {
    const upstream = this.rebind();
    if (!upstream) {
      const error = engineError('SERVER_UNAVAILABLE', { server: this.server, detail: 'it is not running' });
      return Promise.resolve(errorReply(clientId, error));
    }
    if (method === 'resources/subscribe' || method === 'resources/unsubscribe')
      return this.subscription(session, clientId, method, params);
    if (method === 'logging/setLevel') this.logLevel = (params as { level?: unknown } | undefined)?.level;
    const flight: InFlight = { session, clientId, upstreamId: 0, cancelled: false };
    const sent = upstream.send(method, this.withEngineToken(params, flight));
    flight.upstreamId = sent.id;
    this.track(flight);
    // One promise per request (this is the hot path): the reply, an error, or nothing once cancelled.
    return new Promise<JsonRpcMessage | undefined>((resolve, reject) => {
      flight.abandon = () => resolve(undefined);
      sent.response.then(
        (response) => {
          this.untrack(flight);
          if (flight.cancelled) return resolve(undefined);
          response.id = clientId;
          resolve(response);
        },
        (err: unknown) => {
          this.untrack(flight);
          if (flight.cancelled) resolve(undefined);
          else if (err instanceof UpstreamError) resolve(errorReply(clientId, err.error));
          else reject(err as Error);
        },
      );
    });
  }

  /** A notification from the client: cancellations are mapped to the upstream's id. */
  notify(session: Downstream, method: string, params: unknown): void {
    if (method === 'notifications/initialized') return; // the engine initialized the server itself
    if (method === 'notifications/cancelled') {
      const requestId = (params as { requestId?: JsonRpcId } | undefined)?.requestId;
      const flight = requestId === undefined ? undefined : this.bySession.get(session)?.get(requestId);
      const reason = (params as { reason?: unknown } | undefined)?.reason;
      if (flight) this.cancel(flight, typeof reason === 'string' ? reason : undefined);
      return;
    }
    this.rebind()?.notify(method, params);
  }

  /** The client's answer to a server→client request this router delivered. False if not ours. */
  respond(session: Downstream, message: JsonRpcMessage): boolean {
    if (typeof message.id !== 'string') return false;
    const routed = this.serverRequests.get(message.id);
    if (!routed || routed.session !== session) return false;
    this.serverRequests.delete(message.id);
    this.bound?.reply(
      routed.upstreamId,
      message.error ? { error: message.error } : { result: message.result },
    );
    return true;
  }

  // ---- from the server ----------------------------------------------------------------------------

  private fromServerNotification(original: JsonRpcMessage): void {
    const hooks = this.options.hooks;
    const message = hooks?.active ? hooks.notification(original, this.server) : original;
    if (!message) return;
    const method = message.method!;
    const params = message.params as Record<string, unknown> | undefined;
    if (method === 'notifications/progress') {
      const flight = this.progress.get(String(params?.progressToken));
      if (flight?.progressToken === undefined) return;
      const progressToken = flight.clientToken;
      flight.session.deliver({ ...message, params: { ...params, progressToken } }, flight.clientId);
      return;
    }
    if (method === 'notifications/cancelled') {
      // The server gave up on one of its own requests to a client.
      for (const [id, routed] of this.serverRequests) {
        if (routed.upstreamId !== params?.requestId) continue;
        this.serverRequests.delete(id);
        routed.session.deliver({ ...message, params: { ...params, requestId: id } });
      }
      return;
    }
    if (method === 'notifications/resources/updated') {
      for (const session of this.subscriptions.of(String(params?.uri))) session.deliver(message);
      return;
    }
    const kind = listChangedKind(method);
    // Sent while a request runs (logging, for one): it belongs with that request if only one runs.
    const only = this.inFlight.size === 1 ? this.inFlight.values().next().value : undefined;
    for (const session of this.sessions) {
      if (kind) session.deliver(message);
      else session.deliver(message, only?.session === session ? only.clientId : undefined);
    }
  }

  /**
   * Policy for sampling, elicitation and roots requests: the session whose request is in flight on
   * this server (the newest one, if several), else the most recently active session that declared
   * the capability, else an error back to the server.
   */
  private fromServerRequest(message: JsonRpcMessage): void {
    const upstream = this.bound;
    if (!upstream || message.id === undefined || message.id === null) return;
    if (message.method === 'ping') return upstream.reply(message.id, { result: {} });
    const capability = CAPABILITY_FOR_REQUEST[message.method ?? ''];
    const capable = (s: Downstream) =>
      capability === undefined || s.clientCapabilities[capability] !== undefined;
    const flights = [...this.inFlight.values()].reverse().filter((f) => capable(f.session));
    const idle = [...this.sessions].filter(capable).sort((a, b) => b.lastActive - a.lastActive);
    const candidates: [Downstream, JsonRpcId | undefined][] = [
      ...flights.map((f): [Downstream, JsonRpcId] => [f.session, f.clientId]),
      ...idle.map((s): [Downstream, undefined] => [s, undefined]),
    ];
    const id = `sb-${this.server}-${++serverRequestCounter}`;
    for (const [session, relatedTo] of candidates) {
      this.serverRequests.set(id, { session, upstreamId: message.id });
      if (session.deliver({ ...message, id }, relatedTo)) return;
      this.serverRequests.delete(id);
    }
    upstream.reply(message.id, {
      error: engineError('NO_CAPABLE_CLIENT', {
        server: this.server,
        detail: `no connected client declared the "${capability ?? message.method}" capability`,
      }),
    });
  }

  /** After a restart or reconnect: subscriptions and the log level are set again. */
  private onConnected(): void {
    const upstream = this.bound;
    if (!upstream) return;
    this.announceNextLists = this.seenConnected;
    this.seenConnected = true;
    if (this.logLevel !== undefined)
      upstream.request('logging/setLevel', { level: this.logLevel }).catch(() => undefined);
    for (const uri of this.subscriptions.uris())
      upstream.request('resources/subscribe', { uri }).then(
        (r) =>
          r.error &&
          this.options.log(`${this.server}: could not subscribe to ${uri} again: ${r.error.message}`),
        () => undefined,
      );
  }

  /** After a restart the server does not say its lists changed: the engine does, where it differs. */
  private onListsChanged(kinds: ListKind[]): void {
    this.emit('listsChanged', kinds);
    // A change the server announced itself was forwarded already; only a restart's is ours to tell.
    if (!this.announceNextLists) return;
    this.announceNextLists = false;
    const announced = new Set(
      listKindsOffered(this.bound?.info?.capabilities)
        .filter((k) => k.listChanged)
        .map((k) => k.kind),
    );
    for (const kind of kinds) {
      if (!announced.has(kind)) continue;
      const message: JsonRpcMessage = { jsonrpc: '2.0', method: `notifications/${kind}/list_changed` };
      for (const session of this.sessions) session.deliver(message);
    }
  }

  // ---- bookkeeping --------------------------------------------------------------------------------

  private async subscription(
    session: Downstream,
    clientId: JsonRpcId,
    method: string,
    params: unknown,
  ): Promise<JsonRpcMessage> {
    const uri = String((params as { uri?: unknown } | undefined)?.uri);
    const subscribe = method === 'resources/subscribe';
    // Only the first subscriber and the last to leave reach the server.
    const reachesServer = subscribe
      ? this.subscriptions.of(uri).size === 0
      : this.subscriptions.isLast(uri, session);
    if (reachesServer) {
      const response = await this.rebind()!
        .request(method, params)
        .catch((err: unknown) => {
          if (err instanceof UpstreamError) return errorReply(clientId, err.error);
          throw err;
        });
      if (response.error) return { ...response, id: clientId };
    }
    if (subscribe) this.subscriptions.add(uri, session);
    else this.subscriptions.remove(uri, session);
    return { jsonrpc: '2.0', id: clientId, result: {} };
  }

  private withEngineToken(params: unknown, flight: InFlight): unknown {
    const meta = (params as { _meta?: Record<string, unknown> } | undefined)?._meta;
    if (meta?.progressToken === undefined) return params;
    const token = `${this.server}:${this.nextToken++}`;
    flight.progressToken = token;
    this.progress.set(token, flight);
    flight.clientToken = meta.progressToken;
    return { ...(params as object), _meta: { ...meta, progressToken: token } };
  }

  private track(flight: InFlight): void {
    this.inFlight.set(flight.upstreamId, flight);
    let mine = this.bySession.get(flight.session);
    if (!mine) this.bySession.set(flight.session, (mine = new RequestsById()));
    mine.set(flight.clientId, flight);
  }

  private untrack(flight: InFlight): void {
    this.inFlight.delete(flight.upstreamId);
    this.bySession.get(flight.session)?.delete(flight.clientId);
    if (flight.progressToken !== undefined) this.progress.delete(flight.progressToken);
  }

  private cancel(flight: InFlight, reason: string | undefined): void {
    if (flight.cancelled) return;
    flight.cancelled = true;
    this.untrack(flight);
    flight.abandon?.();
    this.bound?.notify('notifications/cancelled', {
      requestId: flight.upstreamId,
      ...(reason !== undefined ? { reason } : {}),
    });
  }
}
