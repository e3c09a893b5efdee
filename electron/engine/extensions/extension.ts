import type { Clock } from '../flow/clock.js';
import type { JsonRpcId, JsonRpcMessage } from '../jsonrpc/messages.js';
import type { JsonRpcErrorObject } from '../../shared/errors.js';

/**
 * What an extension is and what it may hook (DESIGN §8). Every hook is optional; the host runs the
 * hooks of enabled extensions in registration order, times each call, and skips one that throws.
 */

export type JsonObject = Record<string, unknown>;

/** A tool as MCP lists it. */
export interface Tool {
  name: string;
  title?: string;
  description?: string;
  inputSchema?: JsonObject;
  [key: string]: unknown;
}

/** A `tools/call` result as MCP defines it. */
export interface ToolResult {
  content: JsonObject[];
  isError?: boolean;
  structuredContent?: JsonObject;
  [key: string]: unknown;
}

/** The client session a message belongs to. */
export interface SessionView {
  /** The session's id (Streamable HTTP session id, or the local socket's). */
  session: string;
  /** `clientInfo.name` from the client's initialize, when it sent one. */
  client?: string;
  /** `server`: /mcp/NAME and `connect NAME`; `aggregate`: /mcp and `connect --all`. */
  endpoint: 'server' | 'aggregate';
  /** The session's own server (endpoint `server` only). */
  server?: string;
}

/** One client request on its way to a server. The same object reaches the reply hooks. */
export interface CallInfo extends SessionView {
  /** The server the request goes to. */
  server: string;
  method: string;
  /** `tools/call`: the tool's name on its server (not namespaced). */
  tool?: string;
  /** When the request reached the engine (clock ms). */
  startedAt: number;
}

/** A client request: forwarded as is, changed, answered by the extension, or blocked. */
export interface RequestMessage extends JsonRpcMessage {
  id: JsonRpcId;
  method: string;
}

/**
 * What a request hook returns:
 * - a request (with `method`): forward it, changed or not;
 * - a reply (`{ result }` or `{ error }`): answer the client with it, the server never sees the request;
 * - null: block it (the client gets a `blocked_by_extension` error naming the extension).
 */
export type RequestOutcome = RequestMessage | { result: unknown } | { error: JsonRpcErrorObject } | null;

/** A tool call an extension answers itself, with what it may need to do so. */
export interface ToolCallContext extends SessionView {
  /** The tools this session would see with no extension tools and no tool-list hooks (e.g. namespaced). */
  listTools(): Promise<Tool[]>;
  /** Calls a tool as this session would (aggregate: a namespaced name), through every hook. */
  callTool(name: string, args: JsonObject): Promise<ToolResult>;
  /** Progress for the call, when the client asked for it (no-op otherwise). */
  progress(progress: number, total?: number, message?: string): void;
}

export interface ExtensionLogger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface ExtensionContext {
  readonly id: string;
  /** `<home>/extension-data/<id>`, created before initialize. */
  readonly dataDir: string;
  /** The config in force: defaults filled in, checked against configSchema. Changes live. */
  readonly config: JsonObject;
  readonly log: ExtensionLogger;
  readonly clock: Clock;
  /** Tells the person (window, tray app notification), e.g. "circuit opened for notes". */
  notify(message: string): void;
  /** Something the window shows about this extension changed (e.g. tools waiting for approval). */
  changed(): void;
  /** Sends a notification to every client session (of one server's sessions, when `server` is given). */
  notifyClients(message: JsonRpcMessage, server?: string): void;
  /** The tools a server offers now, as it lists them (before any extension's filter). */
  toolsOf(server: string): Tool[];
  /** Names of the configured servers. */
  servers(): string[];
}

export interface Extension {
  readonly id: string;
  readonly name: string;
  readonly version: string;
  readonly description?: string;
  readonly defaultEnabled: boolean;
  /** JSON Schema (an object) of the config; the window renders it as a form. */
  readonly configSchema?: JsonObject;

  initialize?(ctx: ExtensionContext): void | Promise<void>;
  /** The config changed while enabled (without this, the host shuts down and initializes again). */
  configure?(config: JsonObject): void | Promise<void>;
  shutdown?(): void | Promise<void>;

  // ---- message hooks ----
  /** Client → server request. */
  onRequest?(request: RequestMessage, call: CallInfo): RequestOutcome | Promise<RequestOutcome>;
  /** Server → client reply to a request; null blocks it (the client gets an error, never silence). */
  onResponse?(
    reply: JsonRpcMessage,
    call: CallInfo,
    request: RequestMessage,
  ): JsonRpcMessage | null | Promise<JsonRpcMessage | null>;
  /** The client cancelled the request (as the request hooks left it): no reply will come. */
  onCancelled?(call: CallInfo, request: RequestMessage): void;
  /** Server → client notification; null drops it. */
  onNotification?(message: JsonRpcMessage, server: string): JsonRpcMessage | null;

  // ---- tool hooks ----
  /** The tools of one server as a client will see them (hide, reorder, annotate). */
  filterTools?(server: string, tools: Tool[], view: SessionView): Tool[];
  /** Tools the extension adds to a session's list (answered by handleToolCall). */
  getAdditionalTools?(view: SessionView): Tool[];
  handleToolCall?(name: string, args: JsonObject, ctx: ToolCallContext): Promise<ToolResult>;
  /** The whole tools list a session gets, last (tool-search replaces it). */
  onToolList?(tools: Tool[], view: SessionView): Tool[];

  // ---- lifecycle hooks ----
  beforeRestart?(server: string, reason: string): void | Promise<void>;
  afterServerStart?(server: string): void | Promise<void>;
  /** A server's tools were listed again (after a start or list_changed). */
  onToolsChanged?(server: string, tools: Tool[]): void | Promise<void>;
  onShutdown?(): void | Promise<void>;
}

/** The hooks the host times and counts, by name. */
export const HOOK_NAMES = [
  'onRequest',
  'onResponse',
  'onCancelled',
  'onNotification',
  'filterTools',
  'getAdditionalTools',
  'handleToolCall',
  'onToolList',
  'beforeRestart',
  'afterServerStart',
  'onToolsChanged',
  'onShutdown',
] as const;
export type HookName = (typeof HOOK_NAMES)[number];

/** A text tool result (what most extension tools answer). */
export function textResult(text: string, isError = false): ToolResult {
  return { content: [{ type: 'text', text }], ...(isError ? { isError: true } : {}) };
}
