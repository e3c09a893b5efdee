import type { Clock } from '../flow/clock.js';
import { errorReply, type JsonRpcId, type JsonRpcMessage } from '../jsonrpc/messages.js';
import { RequestsById } from '../flow/requests-by-id.js';
import { engineError } from '../../shared/errors.js';
import type { SessionView } from '../extensions/extension.js';
import type { Downstream } from './downstream.js';

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

  constructor(
    readonly id: string,
    protected readonly transport: SessionTransport,
    protected readonly clock: Clock,
  ) {
    this.lastActive = clock.now();
    this.view = { session: id, endpoint: 'server' };
  }

  deliver(message: JsonRpcMessage, relatedTo?: JsonRpcId): boolean {
    return !this.closed && this.transport.deliver(message, relatedTo);
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
    if (method === 'initialize') {
      const init = params as
        { capabilities?: Record<string, unknown>; clientInfo?: { name?: unknown } } | undefined;
      this.clientCapabilities = init?.capabilities ?? {};
      const client = init?.clientInfo?.name;
      if (typeof client === 'string') this.view = { ...this.view, client };
      return this.initialize(id, params);
    }
    if (method === 'ping') return Promise.resolve({ jsonrpc: '2.0', id, result: {} });
    return this.onRequest(id, method, params);
  }

  /** The client went away (DELETE, socket closed, session expired). */
  close(): void {
    this.closed = true;
  }

  protected abstract initialize(id: JsonRpcId, params: unknown): Promise<JsonRpcMessage>;
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
