/**
 * The one table of errors the engine itself returns to clients (DESIGN §5).
 * Codes sit in -32060..-32079, inside JSON-RPC's implementation-defined range and clear of
 * the codes MCP servers and the SDK already use (-32000..-32002, -32042).
 * The README's error table is printed from this list by `node scripts/error-table.mjs`; a test keeps them equal.
 */
export interface EngineErrorSpec {
  readonly code: number;
  /** Stable machine-readable reason, sent as `error.data.reason`. */
  readonly reason: string;
  readonly message: string;
  /** A sentence a person can act on. */
  readonly suggestion: string;
}

export const StandardErrorCodes = {
  PARSE_ERROR: -32700,
  INVALID_REQUEST: -32600,
  METHOD_NOT_FOUND: -32601,
  INVALID_PARAMS: -32602,
  INTERNAL_ERROR: -32603,
} as const;

export const EngineErrors = {
  PARSE_ERROR: {
    code: StandardErrorCodes.PARSE_ERROR,
    reason: 'parse_error',
    message: 'Parse error: the line is not valid JSON',
    suggestion: 'Send one JSON-RPC message per line, UTF-8 encoded, with no embedded newlines.',
  },
  INVALID_REQUEST: {
    code: StandardErrorCodes.INVALID_REQUEST,
    reason: 'invalid_request',
    message: 'Invalid request: not a JSON-RPC 2.0 message',
    suggestion:
      'Send an object with "jsonrpc": "2.0" and a "method" (request/notification) or "result"/"error" (response).',
  },
  SERVER_UNAVAILABLE: {
    code: -32060,
    reason: 'server_unavailable',
    message: 'The MCP server is not running',
    suggestion:
      'Check the server log (stderr) for why it stopped, fix it, then save a watched file or restart it.',
  },
  SERVER_RESTARTED: {
    code: -32061,
    reason: 'server_restarted',
    message: 'The MCP server restarted before it answered this request',
    suggestion: 'Retry the request; it was still running when the restart drain timeout ran out.',
  },
  SERVER_EXITED: {
    code: -32062,
    reason: 'server_exited',
    message: 'The MCP server process exited before it answered this request',
    suggestion:
      'Retry the request once the server is back; if it keeps exiting, read its stderr for the crash.',
  },
  RESTART_TIMEOUT: {
    code: -32063,
    reason: 'restart_timeout',
    message: 'The MCP server did not become ready within the startup timeout',
    suggestion: 'Look at the server log for a slow or failing start, or raise --startup-timeout.',
  },
  START_FAILED: {
    code: -32064,
    reason: 'start_failed',
    message: 'The MCP server could not be started',
    suggestion: 'Check that the command exists on PATH and the working directory is right, then restart.',
  },
  CRASH_LOOP: {
    code: -32065,
    reason: 'crash_loop',
    message: 'The MCP server keeps crashing and was stopped',
    suggestion: 'Fix the crash shown in its stderr, then save a watched file or restart the server.',
  },
  BUFFER_FULL: {
    code: -32066,
    reason: 'buffer_full',
    message: 'Too many messages are waiting for the server to restart',
    suggestion: 'Retry after the restart completes, or raise the restart buffer limits.',
  },
  MESSAGE_TOO_LARGE: {
    code: -32067,
    reason: 'message_too_large',
    message: 'The message is larger than the maximum message size',
    suggestion: 'Send a smaller message, or raise --max-message-size.',
  },
  UNKNOWN_SERVER: {
    code: -32068,
    reason: 'unknown_server',
    message: 'No server with that name is configured',
    suggestion: 'Run `switchboard status` to list configured servers, or add it to the config file.',
  },
  RATE_LIMITED: {
    code: -32069,
    reason: 'rate_limited',
    message: 'Rate limit exceeded',
    suggestion: 'Wait and retry, or raise the limit in the rate-limiter extension settings.',
  },
  CIRCUIT_OPEN: {
    code: -32070,
    reason: 'circuit_open',
    message: 'The server failed repeatedly, so calls to it are paused',
    suggestion: 'Wait for the cooldown to pass; the next call probes the server again.',
  },
  BLOCKED_BY_EXTENSION: {
    code: -32071,
    reason: 'blocked_by_extension',
    message: 'An extension blocked this message',
    suggestion: 'Check the extension named in the error data, or disable it in Extensions.',
  },
  REQUEST_TIMEOUT: {
    code: -32073,
    reason: 'request_timeout',
    message: 'The MCP server did not answer in time',
    suggestion: 'Retry, or raise the request timeout for this server; if it keeps happening, read its log.',
  },
  NO_CAPABLE_CLIENT: {
    code: -32074,
    reason: 'no_capable_client',
    message: 'No client this request from the server certainly belongs to can answer it',
    suggestion:
      'Call the tool from a client that supports sampling, elicitation or roots (as the request needs), one call at a time on a shared server.',
  },
  AUTH_REQUIRED: {
    code: -32075,
    reason: 'auth_required',
    message: 'The remote MCP server wants you to sign in (again, or with more access)',
    suggestion: "Use Sign in on the server's page in Switchboard's window or in the tray menu, then retry.",
  },
  SHUTTING_DOWN: {
    code: -32072,
    reason: 'shutting_down',
    message: 'Switchboard is shutting down',
    suggestion: 'Start Switchboard again and retry.',
  },
  DUPLICATE_REQUEST_ID: {
    code: -32076,
    reason: 'duplicate_request_id',
    message: 'Invalid request: a request with this id is still in flight in this session',
    suggestion:
      'Give every request a new id: JSON-RPC ids must be unique among the requests of a session that have no reply yet.',
  },
} as const satisfies Record<string, EngineErrorSpec>;

export type EngineErrorName = keyof typeof EngineErrors;

export interface EngineErrorData {
  server?: string;
  reason: string;
  suggestion: string;
  detail?: string;
  [key: string]: unknown;
}

export interface JsonRpcErrorObject {
  code: number;
  message: string;
  data?: unknown;
}

/** Builds the `error` member of a JSON-RPC reply for one of the engine's own errors. */
export function engineError(
  name: EngineErrorName,
  context: { server?: string; detail?: string; suggestion?: string; extra?: Record<string, unknown> } = {},
): JsonRpcErrorObject & { data: EngineErrorData } {
  const spec: EngineErrorSpec = EngineErrors[name];
  const message = context.detail ? `${spec.message}: ${context.detail}` : spec.message;
  const data: EngineErrorData = {
    reason: spec.reason,
    suggestion: context.suggestion ?? spec.suggestion,
    ...(context.server !== undefined ? { server: context.server } : {}),
    ...(context.detail !== undefined ? { detail: context.detail } : {}),
    ...context.extra,
  };
  return { code: spec.code, message, data };
}

/** The README's error table, in Markdown (kept equal to the README by a test). */
export function errorTableMarkdown(): string {
  const rows = Object.values(EngineErrors).map(
    (e: EngineErrorSpec) => `| ${e.code} | \`${e.reason}\` | ${e.message} | ${e.suggestion} |`,
  );
  return ['| code | reason | meaning | what to do |', '| --- | --- | --- | --- |', ...rows].join('\n');
}
