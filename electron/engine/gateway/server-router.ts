import { EventEmitter } from 'node:events';
import type { Clock } from '../flow/clock.js';
import { errorReply, type JsonRpcId, type JsonRpcMessage } from '../jsonrpc/messages.js';
import { listChangedKind, listKindsOffered, type ListKind } from '../protocol/list-tracker.js';
import type { Upstream } from '../upstream/upstream.js';
import type { HookPipeline } from '../extensions/hook-pipeline.js';
import type { CallInfo, RequestMessage } from '../extensions/extension.js';
import { UpstreamError } from '../upstream/upstream-error.js';
import { engineError } from '../../shared/errors.js';
import type { Downstream } from './downstream.js';
import { Subscriptions } from './subscriptions.js';
import { LogLevels } from './log-levels.js';
import { TaskOwners } from './task-owners.js';
import { InFlightRequests, type InFlight } from './in-flight-requests.js';
import { ServerRequests } from './server-requests.js';
import { answerInputRounds } from './input-required.js';
import { isInputRequired, legacyResult, type Caller } from '../protocol/modern-era.js';

export interface ServerRouterOptions {
  server: string;
  clock: Clock;
  /** The server's upstream now (it is replaced when the server's config changes). */
  upstream: () => Upstream | undefined;
  log: (line: string) => void;
  /** The extensions' hooks (none: messages pass untouched). */
  hooks?: HookPipeline;
  /** The upstream is one client session's own: everything the server asks goes to that client. */
  soleClient?: boolean;
}

/**
 * Carries many client sessions over one server's upstream (DESIGN §3): requests go out under the
 * upstream's ids and come back to the session that sent them; progress tokens are remapped so two
 * sessions can use the same token; cancellations, server→client requests, subscriptions and the
 * log level follow the session they belong to.
 */
export class ServerRouter extends EventEmitter<{
  listsChanged: [ListKind[]];
  /** How many sessions use the server now (after one came or went). */
  sessions: [number];
}> {
  readonly server: string;
  private readonly sessions = new Set<Downstream>();
  private readonly flights: InFlightRequests;
  private readonly serverRequests: ServerRequests;
  private readonly subscriptions = new Subscriptions<Downstream>();
  private readonly logLevels = new LogLevels();
  private readonly tasks = new TaskOwners();
  private bound: Upstream | undefined;
  /** The upstream has been connected before, so its next `connected` is a restart or reconnect. */
  private seenConnected = false;
  /** A restart happened: the next list refresh is announced to the sessions (the server will not). */
  private announceNextLists = false;
  private readonly handlers = {
    notification: (m: JsonRpcMessage) => this.fromServerNotification(m),
    serverRequest: (m: JsonRpcMessage, relatedTo?: number) => this.fromServerRequest(m, relatedTo),
    connected: () => this.onConnected(),
    listsChanged: (kinds: ListKind[]) => this.onListsChanged(kinds),
  };

  constructor(private readonly options: ServerRouterOptions) {
    super();
    this.server = options.server;
    this.flights = new InFlightRequests(options.server);
    this.serverRequests = new ServerRequests(options.server);
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
    if (this.sessions.has(session)) return;
    this.sessions.add(session);
    if (!session.ephemeral) this.emit('sessions', this.sessionCount);
  }

  /** The session is gone: its requests are cancelled upstream, its subscriptions dropped. */
  detach(session: Downstream): void {
    if (!this.sessions.delete(session)) return;
    for (const flight of this.flights.ofSession(session)) this.cancel(flight, 'the client went away');
    this.flights.forgetSession(session);
    for (const uri of this.subscriptions.dropAll(session))
      this.bound?.notify('resources/unsubscribe', { uri });
    this.serverRequests.dropSession(session);
    this.logLevels.forget(session);
    this.tasks.forget(session);
    if (!session.ephemeral) this.emit('sessions', this.sessionCount);
  }

  /** Whether the session created this task on this server (the aggregated endpoint routes by it). */
  hasTask(session: Downstream, taskId: string): boolean {
    return this.tasks.owns(session, taskId);
  }

  /** Client requests on their way to the server or waiting for its reply. */
  get requestsInFlight(): number {
    return this.flights.size;
  }

  /** Client sessions that last (a 2026-07-28 request, its own session for a moment, is not one). */
  get sessionCount(): number {
    let count = 0;
    for (const session of this.sessions) if (!session.ephemeral) count++;
    return count;
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
      return this.subscriptions.request(upstream, session, clientId, method, params);
    const notYours = this.tasks.refusal(session, method, params);
    if (notYours) return Promise.resolve(errorReply(clientId, notYours));
    // The server is asked for the most verbose level any session wants; messages are filtered per session.
    if (method === 'logging/setLevel' && this.logLevels.set(session, (params as { level?: unknown })?.level))
      params = { ...(params as object), level: this.logLevels.upstreamLevel };
    const flight: InFlight = { session, clientId, upstreamId: 0, cancelled: false };
    const caller = callerOf(session, clientId);
    const sentParams = this.flights.withEngineToken(params, flight);
    const sent = upstream.send(method, sentParams, { caller });
    flight.upstreamId = sent.id;
    this.flights.add(flight);
    // One promise per request (this is the hot path): the reply, an error, or nothing once cancelled.
    return new Promise<JsonRpcMessage | undefined>((resolve, reject) => {
      flight.abandon = () => resolve(undefined);
      sent.response.then(
        (response) => {
          if (!flight.cancelled && isInputRequired(response.result) && !session.modern)
            return resolve(this.askForInput(upstream, flight, method, sentParams, caller, response));
          this.flights.remove(flight);
          if (flight.cancelled) return resolve(undefined);
          this.tasks.replied(session, method, response);
          response.id = clientId;
          // A 2026-07-28 server's result, to a 2025-11-25 client: in that era's shape.
          if (response.result !== undefined && !session.modern)
            response.result = legacyResult(response.result);
          resolve(response);
        },
        (err: unknown) => {
          this.flights.remove(flight);
          if (flight.cancelled) resolve(undefined);
          else if (err instanceof UpstreamError) resolve(errorReply(clientId, err.error));
          else reject(err as Error);
        },
      );
    });
  }

  /**
   * A 2026-07-28 server needs a 2025-11-25 client's input: its questions go to that client as
   * server→client requests, and the request goes again with the answers (same flight, new id).
   */
  private async askForInput(
    upstream: Upstream,
    flight: InFlight,
    method: string,
    params: unknown,
    caller: Caller,
    first: JsonRpcMessage,
  ): Promise<JsonRpcMessage | undefined> {
    const { session, clientId } = flight;
    try {
      const reply = await answerInputRounds(first, {
        ask: (question) => this.serverRequests.ask(session, clientId, question),
        retry: (answers) => {
          const again = upstream.send(method, { ...(params as object), ...answers }, { caller });
          this.flights.renumber(flight, again.id);
          return again.response;
        },
        pause: () => new Promise((resolve) => this.options.clock.setTimeout(resolve, 250)),
        cancelled: () => flight.cancelled,
      });
      if (!reply || flight.cancelled) return undefined;
      return {
        ...reply,
        id: clientId,
        ...(reply.result !== undefined ? { result: legacyResult(reply.result) } : {}),
      };
    } catch (err) {
      if (err instanceof UpstreamError) return errorReply(clientId, err.error);
      throw err;
    } finally {
      this.flights.remove(flight);
    }
  }

  /** A notification from the client: cancellations are mapped to the upstream's id. */
  notify(session: Downstream, method: string, params: unknown): void {
    if (method === 'notifications/initialized') return; // the engine initialized the server itself
    if (method === 'notifications/cancelled') {
      const requestId = (params as { requestId?: JsonRpcId } | undefined)?.requestId;
      const flight = requestId === undefined ? undefined : this.flights.get(session, requestId);
      const reason = (params as { reason?: unknown } | undefined)?.reason;
      if (flight) this.cancel(flight, typeof reason === 'string' ? reason : undefined);
      return;
    }
    this.rebind()?.notify(method, params);
  }

  /** The client's answer to a server→client request this router delivered. False if not ours. */
  respond(session: Downstream, message: JsonRpcMessage): boolean {
    return this.serverRequests.answer(session, message);
  }

  // ---- from the server ----------------------------------------------------------------------------

  private fromServerNotification(original: JsonRpcMessage): void {
    const hooks = this.options.hooks;
    const message = hooks?.active ? hooks.notification(original, this.server) : original;
    if (!message) return;
    const method = message.method!;
    const params = message.params as Record<string, unknown> | undefined;
    if (method === 'notifications/progress') {
      const flight = this.flights.withProgressToken(String(params?.progressToken));
      if (flight?.progressToken === undefined) return;
      const progressToken = flight.clientToken;
      flight.session.deliver({ ...message, params: { ...params, progressToken } }, flight.clientId);
      return;
    }
    if (method === 'notifications/cancelled') {
      // The server gave up on one of its own requests to a client.
      this.serverRequests.cancelledByServer(message);
      return;
    }
    if (method === 'notifications/tasks/status') {
      this.tasks.ownerOf(params)?.deliver(message);
      return;
    }
    if (method === 'notifications/resources/updated') {
      for (const session of this.subscriptions.of(String(params?.uri))) session.deliver(message);
      return;
    }
    const kind = listChangedKind(method);
    // Sent while a request runs (logging, for one): it belongs with that request if only one runs.
    const only = this.flights.only();
    const level = method === 'notifications/message' ? params?.level : undefined;
    for (const session of this.sessions) {
      if (level !== undefined && !this.logLevels.wants(session, level)) continue;
      if (kind) session.deliver(message);
      else session.deliver(message, only?.session === session ? only.clientId : undefined);
    }
  }

  /** Sampling, elicitation and roots requests (and pings) from the server. */
  private fromServerRequest(message: JsonRpcMessage, relatedTo: number | undefined): void {
    const sole = this.options.soleClient ? this.sessions.values().next().value : undefined;
    if (this.bound) this.serverRequests.route(this.bound, message, this.flights, relatedTo, sole);
  }

  /** After a restart or reconnect: subscriptions and the log level are set again. */
  private onConnected(): void {
    const upstream = this.bound;
    if (!upstream) return;
    this.announceNextLists = this.seenConnected;
    this.seenConnected = true;
    const level = this.logLevels.upstreamLevel;
    if (level !== undefined) upstream.request('logging/setLevel', { level }).catch(() => undefined);
    this.subscriptions.renew(upstream, (problem) => this.options.log(`${this.server}: ${problem}`));
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

  private cancel(flight: InFlight, reason: string | undefined): void {
    if (flight.cancelled) return;
    flight.cancelled = true;
    this.flights.remove(flight);
    flight.abandon?.();
    this.bound?.notify('notifications/cancelled', {
      requestId: flight.upstreamId,
      ...(reason !== undefined ? { reason } : {}),
    });
  }
}

/** Who asks, as a 2026-07-28 server hears it in the request's envelope. */
function callerOf(session: Downstream, clientId: JsonRpcId): Caller {
  return {
    capabilities: session.clientCapabilities,
    clientInfo: session.clientInfo ?? { name: session.view.client ?? 'unknown', version: '0' },
    logLevel: session.requestLogLevel?.(clientId),
  };
}
