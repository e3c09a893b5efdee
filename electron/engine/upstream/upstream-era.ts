import type { PendingRequest } from '../flow/pending-requests.js';
import type { JsonRpcMessage } from '../jsonrpc/messages.js';
import {
  MODERN_VERSIONS,
  mcpName,
  readDiscover,
  supportedInstead,
  withEnvelope,
  type Caller,
} from '../protocol/modern-era.js';
import { AuthRequiredError } from '../actor/start-errors.js';
import { ConnectionLostError, FatalConnectError } from './remote-http.js';
import { UpstreamError } from './upstream-error.js';
import { engineError } from '../../shared/errors.js';
import type { Encoded } from './upstream-requests.js';
import type { UpstreamInfo } from './upstream.js';
import { UpstreamListen, type ListenCarrier } from './upstream-listen.js';

/** How long a server has to answer `server/discover` before it is spoken to in 2025-11-25. */
export const DEFAULT_DISCOVER_TIMEOUT_MS = 10_000;

/**
 * What the probe found: a 2026-07-28 server and what it offers, one to `initialize`, or one that
 * refused the probe's revision (-32022) and named another we speak (`retry`: ask again in it).
 */
export type EraVerdict = { modern: UpstreamInfo } | { legacy: string } | { retry: string };

/**
 * Which protocol era one upstream speaks, and how its requests look in it. Each connection (each
 * start, restart, reconnect) asks `server/discover` first, as the SDKs do: a server that offers
 * 2026-07-28 is spoken to in it (every request carries the asking client's envelope, there is no
 * `initialize`, no session and no ping); any other answer, an error or silence, means `initialize`.
 * A stdio server that hung or died on the question is not asked again for this configuration.
 */
export class UpstreamEra {
  /** The 2026-07-28-era revision the current connection speaks; undefined: 2025-11-25. */
  version: string | undefined;
  /** The most verbose log level asked for (2026-07-28 has no `logging/setLevel`: each request asks). */
  private logLevel: string | undefined;
  /** Resources some client subscribed to: a 2026-07-28 server tells of them on our listen. */
  readonly subscribed = new Set<string>();
  private probeBroke = false;
  /** A 2026-07-28 server's changes come on our listen (2025-11-25: the GET stream, subscriptions). */
  private readonly listen: UpstreamListen;

  constructor(
    private readonly options: {
      server: string;
      /** The upstream's own identity (a shared upstream: what the engine routes). */
      caller: () => Caller;
      /** How the listen goes out; `isOpen`: the connection takes requests now. */
      listen: Omit<ListenCarrier, 'envelope'> & { isOpen(): boolean };
      log: (line: string) => void;
    },
  ) {
    this.listen = new UpstreamListen({
      ...options.listen,
      envelope: (params) => withEnvelope(params, this.version ?? MODERN_VERSIONS[0], options.caller()),
    });
  }

  /** After a 2026-07-28 connect: the listen for what the server says changes. */
  openListen(capabilities: Record<string, unknown>): void {
    this.listen.open(capabilities, this.subscribed);
  }

  /** The connection ends: its listen with it. */
  stopListen(): void {
    this.listen.stop();
  }

  /** An answer from the server that ends one of our listens: true when it was one. */
  listenAnswered(message: JsonRpcMessage): boolean {
    if (!this.listen.owns(message.id)) return false;
    this.listen.ended(message, this.subscribed);
    return true;
  }

  get modern(): boolean {
    return this.version !== undefined;
  }

  /** Whether to ask `server/discover` on the next connection. */
  get probes(): boolean {
    return !this.probeBroke;
  }

  probeParams(version: string): Record<string, unknown> {
    return withEnvelope({}, version, this.options.caller());
  }

  /**
   * The probe's answer. What `initialize` could not fix either is thrown: a sign-in, a refusal, a
   * network that is gone, a process that died (a stdio server that died or hung on the question is
   * not asked again).
   */
  async verdict(answer: Promise<JsonRpcMessage>, closed: () => boolean): Promise<EraVerdict> {
    let response: JsonRpcMessage;
    try {
      response = await answer;
    } catch (err) {
      const fatal =
        err instanceof AuthRequiredError ||
        err instanceof FatalConnectError ||
        err instanceof ConnectionLostError;
      if (fatal) throw err;
      const timedOut = err instanceof UpstreamError && err.error.code === engineError('REQUEST_TIMEOUT').code;
      if (timedOut || closed()) {
        this.probeBroke = true;
        this.options.log(
          `the server did not answer server/discover (${(err as Error).message}); it is spoken to in 2025-11-25 from now on`,
        );
      }
      if (closed()) throw err;
      return { legacy: (err as Error).message };
    }
    const retry = supportedInstead(response);
    if (retry) return { retry };
    const found = readDiscover(response, this.options.server);
    if (!found) return { legacy: response.error?.message ?? 'its answer offers no 2026-07-28 revision' };
    const { version, capabilities, serverInfo, instructions } = found;
    return {
      modern: {
        protocolVersion: version,
        capabilities,
        serverInfo,
        ...(instructions !== undefined ? { instructions } : {}),
      },
    };
  }

  /**
   * A request as the current era puts it on the wire. 2026-07-28 has no ping (a discover stands in
   * for the health check), no `logging/setLevel` (the level goes with each request) and no
   * resource subscriptions (they go with our listen): those are answered here.
   */
  encode(p: PendingRequest): Encoded {
    const routing = { method: p.method, name: mcpName(p.method, p.params) };
    if (!this.version) return { body: p.body, routing };
    const params = p.params as Record<string, unknown> | undefined;
    switch (p.method) {
      case 'logging/setLevel':
        this.logLevel = typeof params?.level === 'string' ? params.level : undefined;
        return { answer: { result: {} } };
      case 'resources/subscribe':
      case 'resources/unsubscribe': {
        const uri = params?.uri;
        if (typeof uri === 'string') {
          const had = this.subscribed.has(uri);
          if (p.method === 'resources/subscribe') this.subscribed.add(uri);
          else this.subscribed.delete(uri);
          const changed = had !== this.subscribed.has(uri);
          if (changed && this.options.listen.isOpen()) this.listen.update(this.subscribed);
        }
        return { answer: { result: {} } };
      }
    }
    const method = p.method === 'ping' ? 'server/discover' : p.method;
    const caller = (p.caller as Caller | undefined) ?? this.options.caller();
    const logLevel = caller.logLevel ?? this.logLevel;
    const body = JSON.stringify({
      jsonrpc: '2.0',
      id: p.id,
      method,
      params: withEnvelope(p.method === 'ping' ? {} : p.params, this.version, { ...caller, logLevel }),
    });
    const toolArguments = p.method === 'tools/call' ? params?.arguments : undefined;
    return {
      body,
      routing: { ...routing, method, ...(toolArguments !== undefined ? { toolArguments } : {}) },
    };
  }

  /** A notification of ours in the current era's shape (2026-07-28 keeps only cancellations). */
  notification(method: string, params: unknown): JsonRpcMessage | undefined {
    if (!this.version) return { jsonrpc: '2.0', method, ...(params === undefined ? {} : { params }) };
    if (method !== 'notifications/cancelled') return undefined;
    return { jsonrpc: '2.0', method, params: withEnvelope(params, this.version, this.options.caller()) };
  }
}
