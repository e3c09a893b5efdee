import type { Clock } from '../flow/clock.js';
import { errorReply, type JsonRpcId, type JsonRpcMessage } from '../jsonrpc/messages.js';
import { RequestsById } from '../flow/requests-by-id.js';
import { engineError } from '../../shared/errors.js';
import type { SessionView } from '../extensions/extension.js';
import { negotiateProtocolVersion, type Downstream } from './downstream.js';
import { readEnvelope, type Envelope } from '../protocol/modern-era.js';
import type { ClientIdentity } from '../upstream/upstream.js';
import { ModernRequests, type DiscoverInfo } from './modern-requests.js';
import type { InputRounds } from './input-rounds.js';

export type { DiscoverInfo } from './modern-requests.js';

/** Where a session's server-initiated messages go (an HTTP session's streams, a socket). */
export interface SessionTransport {
  deliver(message: JsonRpcMessage, relatedTo?: JsonRpcId): boolean;
}

/**
 * The MCP server side of one client session. The engine answers `initialize` and `ping` itself
 * and hands everything else to the subclass (one server, or all of them).
 */
export abstract class McpSession implements Downstream {
  clientCapabilities: Record<string, unknown> = {};
  lastActive: number;
  protocolVersion: string | undefined;
  closed = false;
  /** Who the session is, for extensions (set up once the client said its name). */
  view: SessionView;
  /** Ids of the client's requests that have no reply yet: a reused one would cross the replies. */
  private readonly openRequests = new RequestsById<true>();
  /** The client speaks 2026-07-28 (its requests carry the envelope): see ModernRequests. */
  modern = false;
  /** Who the client says it is (initialize's clientInfo, or a 2026-07-28 client's envelope's). */
  clientInfo: { name: string; version: string } | undefined;
  private readonly modernSide = new ModernRequests({
    onRequest: (id, method, params) => this.onRequest(id, method, params),
    discover: () => this.discover(),
    handle: (message) => this.handle(message),
    send: (message, relatedTo) => this.transport.deliver(message, relatedTo),
    close: () => this.close(),
    ephemeral: () => this.ephemeral,
    endpoint: () => this.endpoint,
    rounds: () => this.rounds,
    declared: () => this.clientCapabilities,
  });

  constructor(
    readonly id: string,
    protected readonly transport: SessionTransport,
    protected readonly clock: Clock,
    /** The session exists for one request only (a 2026-07-28 POST): it ends with that request. */
    readonly ephemeral = false,
  ) {
    this.lastActive = clock.now();
    this.view = { session: id, endpoint: 'server' };
  }

  deliver(message: JsonRpcMessage, relatedTo?: JsonRpcId): boolean {
    if (this.closed) return false;
    if (this.modern && this.modernSide.take(message, relatedTo)) return true;
    return this.transport.deliver(message, relatedTo);
  }

  /** Who a 2026-07-28 client is, as an upstream of its own is initialized for it. */
  protected modernClient(): ClientIdentity {
    return {
      capabilities: this.clientCapabilities,
      clientInfo: this.clientInfo ?? { name: 'unknown', version: '0' },
    };
  }

  requestLogLevel(clientId: JsonRpcId): string | undefined {
    return this.modern ? this.modernSide.logLevelOf(clientId) : undefined;
  }

  /** Rounds of 2026-07-28 requests that wait for this client's input: the session must stay. */
  get parked(): boolean {
    return this.modernSide.parked > 0;
  }

  /** One message from the client; resolves with the reply to send, if any. */
  async handle(message: JsonRpcMessage): Promise<JsonRpcMessage | undefined> {
    this.lastActive = this.clock.now();
    const { id, method } = message;
    if (method === undefined) {
      this.onResponse(message);
      return undefined;
    }
    if (id === undefined || id === null) {
      const cancelled = method === 'notifications/cancelled' ? message.params : undefined;
      const requestId = (cancelled as { requestId?: unknown } | undefined)?.requestId;
      if (this.modern && requestId !== undefined && this.modernSide.endListen(requestId)) return undefined;
      this.onNotification(method, message.params);
      return undefined;
    }
    if (this.openRequests.has(id))
      return errorReply(id, engineError('DUPLICATE_REQUEST_ID', { detail: `id ${JSON.stringify(id)}` }));
    this.openRequests.set(id, true);
    try {
      return await this.answer(id, method, message.params);
    } catch (err) {
      // JSON.parse takes nesting that JSON.stringify (to the server) cannot: the client's doing.
      if (!(err instanceof RangeError && /call stack/.test(err.message))) throw err;
      const detail = 'the message is nested too deeply to be passed on; flatten it';
      return errorReply(id, engineError('INVALID_REQUEST', { detail }));
    } finally {
      this.openRequests.delete(id);
    }
  }

  /** True while a request with this id has no reply yet in this session. */
  hasOpenRequest(id: JsonRpcId): boolean {
    return this.openRequests.has(id);
  }

  private answer(id: JsonRpcId, method: string, params: unknown): Promise<JsonRpcMessage | undefined> {
    const claim = readEnvelope(params);
    if (claim && 'error' in claim) return Promise.resolve(errorReply(id, claim.error));
    if (claim) return this.answerModern(id, method, params, claim.envelope);
    if (method === 'server/discover') return this.modernSide.discover(id);
    if (method === 'initialize') {
      const init = params as
        | { capabilities?: Record<string, unknown>; clientInfo?: { name?: unknown; version?: unknown } }
        | undefined;
      this.clientCapabilities = init?.capabilities ?? {};
      const client = init?.clientInfo?.name;
      if (typeof client === 'string') {
        this.view = { ...this.view, client };
        const version = init?.clientInfo?.version;
        this.clientInfo = { name: client, version: typeof version === 'string' ? version : '0' };
      }
      return this.initialize(id, params);
    }
    if (method === 'ping') return Promise.resolve({ jsonrpc: '2.0', id, result: {} });
    return this.onRequest(id, method, params);
  }

  /**
   * The InitializeResult for a 2025-era client: the version it asked for (or the newest), and what
   * the server behind the session (or the aggregate) offers.
   */
  protected initializeResult(
    id: JsonRpcId,
    params: unknown,
    info: { capabilities: unknown; serverInfo: unknown; instructions?: string | undefined },
  ): JsonRpcMessage {
    this.protocolVersion = negotiateProtocolVersion(
      (params as { protocolVersion?: unknown })?.protocolVersion,
    );
    const { capabilities, serverInfo, instructions } = info;
    return {
      jsonrpc: '2.0',
      id,
      result: {
        protocolVersion: this.protocolVersion,
        capabilities,
        serverInfo,
        ...(instructions !== undefined ? { instructions } : {}),
      },
    };
  }

  /** A 2026-07-28 request: the envelope stands in for `initialize`, the answer is in that era's shape. */
  private answerModern(
    id: JsonRpcId,
    method: string,
    params: unknown,
    envelope: Envelope,
  ): Promise<JsonRpcMessage | undefined> {
    this.modern = true;
    this.clientInfo = envelope.clientInfo;
    this.clientCapabilities = envelope.capabilities;
    this.protocolVersion = envelope.version;
    if (envelope.clientInfo) this.view = { ...this.view, client: envelope.clientInfo.name };
    return this.modernSide.answer(id, method, params, envelope);
  }

  /** The client went away (DELETE, socket closed, session expired). */
  close(): void {
    this.closed = true;
    this.modernSide.close();
  }

  protected abstract initialize(id: JsonRpcId, params: unknown): Promise<JsonRpcMessage>;
  /** What `server/discover` answers: the server's capabilities and identity, or why not. */
  protected abstract discover(): Promise<DiscoverInfo>;
  /** Where a parked round may be resumed: the server's name, `*` for the aggregate. */
  protected abstract readonly endpoint: string;
  /** The engine's parked rounds (a retry may come over another POST, so not the session's own). */
  protected abstract readonly rounds: InputRounds;
  protected abstract onRequest(
    id: JsonRpcId,
    method: string,
    params: unknown,
  ): Promise<JsonRpcMessage | undefined>;
  protected abstract onNotification(method: string, params: unknown): void;
  protected abstract onResponse(message: JsonRpcMessage): void;
}

export function methodNotFound(id: JsonRpcId, method: string, where: string): JsonRpcMessage {
  return errorReply(id, {
    code: -32601,
    message: `Method not found: ${method} is not offered by ${where}`,
  });
}

/**
 * A tool, prompt or resource no server (that is up) offers, in the words servers use for their own
 * (the SDK's `Tool x not found`, -32602; the spec's `Resource not found`, -32002, with the URI).
 */
export function itemNotFound(
  id: JsonRpcId,
  item: { tool: string } | { prompt: string } | { uri: string },
  detail: string,
): JsonRpcMessage {
  if ('uri' in item)
    return errorReply(id, { code: -32002, message: 'Resource not found', data: { uri: item.uri, detail } });
  const [kind, name] = 'tool' in item ? ['Tool', item.tool] : ['Prompt', item.prompt];
  return errorReply(id, { code: -32602, message: `${kind} ${name} not found`, data: { detail } });
}

export function unknownServer(id: JsonRpcId, detail: string): JsonRpcMessage {
  return errorReply(id, engineError('UNKNOWN_SERVER', { detail }));
}
