import type { AuthRequiredError } from '../actor/start-errors.js';
import type { EventEmitter } from 'node:events';
import type { JsonRpcId, JsonRpcMessage } from '../jsonrpc/messages.js';
import type { ListKind } from '../protocol/list-tracker.js';
import type { Caller } from '../protocol/modern-era.js';

/** What the server said in its InitializeResult (or, in 2026-07-28, its `server/discover`). */
export interface UpstreamInfo {
  /** The revision spoken with it: 2025-11-25 or older, or a modern one (see protocol/modern-era.ts). */
  protocolVersion: string;
  capabilities: Record<string, unknown>;
  serverInfo: { name: string; version: string; [key: string]: unknown };
  instructions?: string;
}

export interface UpstreamEvents {
  /** A notification from the server (progress, logging, list_changed, resources/updated, ...). */
  notification: [JsonRpcMessage];
  /**
   * A request from the server (sampling, elicitation, roots): answer with `reply`. `relatedTo` is
   * the id of the engine's request whose stream carried it (Streamable HTTP), when one did.
   */
  serverRequest: [JsonRpcMessage, relatedTo?: number];
  /** After a (re)start or a list_changed from the server: the lists whose content changed. */
  listsChanged: [ListKind[]];
  /** The server is initialized and takes requests (after every start, restart or reconnect). */
  connected: [];
  /** The server stopped answering pings: it should be restarted. */
  unhealthy: [string];
  /** A remote server's OAuth sign-in is gone (revoked, refresh refused): a person must sign in. */
  authRequired: [AuthRequiredError];
}

export interface SentRequest {
  /** The id the request carries on the upstream connection (for `notifications/cancelled`). */
  id: number;
  /** The server's whole response (result or error); rejects with an UpstreamError. */
  response: Promise<JsonRpcMessage>;
}

/**
 * One server as the engine's MCP client sees it (DESIGN §3, shared upstream). Local stdio servers
 * and remote ones (Streamable HTTP, SSE) both look like this to the router. Requests sent while
 * the server restarts or reconnects wait in a bounded buffer and go out, in order, once it is back.
 */
export interface Upstream extends EventEmitter<UpstreamEvents> {
  readonly info: UpstreamInfo | undefined;
  /** Every item of each list the server offers, fetched across all pages. */
  readonly lists: Partial<Record<ListKind, unknown[]>>;
  /** Requests sent and not yet answered. */
  readonly inFlight: number;
  /** Requests waiting for the server to come back (restart, reconnect). */
  readonly bufferDepth: number;
  /** Sends a request under an id of the upstream's own. */
  send(method: string, params?: unknown, opts?: SendOptions): SentRequest;
  /** `send(...).response`. */
  request(method: string, params?: unknown, opts?: SendOptions): Promise<JsonRpcMessage>;
  notify(method: string, params?: unknown): void;
  /** Answers a server→client request (the id is the server's own). */
  reply(id: JsonRpcId, answer: { result: unknown } | { error: JsonRpcMessage['error'] }): void;
}

export interface SendOptions {
  timeoutMs?: number;
  /**
   * Who asks (a 2026-07-28 server hears it in the request's envelope, so what it may ask back is
   * that client's to answer); absent: the upstream's own client identity.
   */
  caller?: Caller | undefined;
}

/** What an HTTP transport puts in a 2026-07-28 request's routing headers. */
export interface WireRouting {
  method: string;
  /** `Mcp-Name`: the tool, prompt or resource the request is about. */
  name?: string | undefined;
  /** A tools/call's arguments: those the tool declares as headers go as `Mcp-Param-*` too. */
  toolArguments?: unknown;
}

/** Who a per-client upstream is for: it initializes the server as that client would. */
export interface ClientIdentity {
  capabilities: Record<string, unknown>;
  clientInfo: { name: string; version: string; [key: string]: unknown };
}

/** The protocol version the engine asks its servers for. */
export const UPSTREAM_PROTOCOL_VERSION = '2025-11-25';

/**
 * What a shared upstream declares: everything the engine routes to a client session that declared
 * it too (down to the mode: sampling with tools, URL elicitation); the rest goes back refused.
 */
export const SHARED_CLIENT_CAPABILITIES: Readonly<Record<string, unknown>> = {
  roots: { listChanged: true },
  sampling: { tools: {} },
  elicitation: { form: {}, url: {} },
};

/** The engine's own initialize to a server, local or remote. */
export function engineInitializeParams(
  clientInfo: { name: string; version: string; [key: string]: unknown },
  /** A per-client upstream's own client's capabilities; absent: a shared upstream's. */
  capabilities: Record<string, unknown> = SHARED_CLIENT_CAPABILITIES,
): Record<string, unknown> {
  return { protocolVersion: UPSTREAM_PROTOCOL_VERSION, capabilities, clientInfo };
}
