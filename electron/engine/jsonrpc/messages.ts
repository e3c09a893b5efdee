import { engineError, type JsonRpcErrorObject } from '../../shared/errors.js';

/** JSON-RPC ids are strings or numbers (null only in error replies to unreadable requests). */
export type JsonRpcId = string | number;

export interface JsonRpcMessage {
  jsonrpc: '2.0';
  id?: JsonRpcId | null;
  method?: string;
  params?: unknown;
  result?: unknown;
  error?: JsonRpcErrorObject;
}

export type Classified =
  | { kind: 'request'; id: JsonRpcId; method: string; message: JsonRpcMessage }
  | { kind: 'notification'; method: string; message: JsonRpcMessage }
  | { kind: 'response'; id: JsonRpcId; message: JsonRpcMessage }
  | { kind: 'invalid'; id: JsonRpcId | null; error: JsonRpcErrorObject };

/**
 * Parses one line and checks the envelope only (DESIGN §3: no payload validation on the data plane).
 */
export function parseLine(line: Buffer | string): Classified {
  const text = typeof line === 'string' ? line : line.toString('utf8');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return {
      kind: 'invalid',
      id: readIdLoosely(text),
      error: engineError('PARSE_ERROR', { detail: (err as Error).message }),
    };
  }
  return classify(value);
}

export function classify(value: unknown): Classified {
  if (Array.isArray(value)) {
    return invalid(
      null,
      'JSON-RPC batches are not supported (MCP removed them in 2025-06-18); send one message per line',
    );
  }
  if (typeof value !== 'object' || value === null) return invalid(null, 'the message is not a JSON object');
  const message = value as JsonRpcMessage;
  const id = message.id;
  const hasId = id !== undefined && id !== null;
  if (hasId && typeof id !== 'string' && typeof id !== 'number')
    return invalid(null, '"id" must be a string or a number');
  if (message.jsonrpc !== '2.0') return invalid(hasId ? id : null, '"jsonrpc" must be "2.0"');
  if (typeof message.method === 'string') {
    // JSON-RPC wants structured params; a server given a string drops the request without a word.
    // (null is let through as "none": some clients write it.)
    const params: unknown = message.params;
    if (params !== undefined && params !== null && typeof params !== 'object')
      return invalid(hasId ? id : null, '"params" must be an object (or an array) when present');
    return hasId
      ? { kind: 'request', id, method: message.method, message }
      : { kind: 'notification', method: message.method, message };
  }
  if (message.method !== undefined) return invalid(hasId ? id : null, '"method" must be a string');
  if (hasId && ('result' in message || 'error' in message)) return { kind: 'response', id, message };
  return invalid(hasId ? id : null, 'a message needs a "method", or an "id" with a "result" or "error"');
}

function invalid(id: JsonRpcId | null, detail: string): Classified {
  return { kind: 'invalid', id, error: engineError('INVALID_REQUEST', { detail }) };
}

const ID_VALUE = String.raw`("(?:[^"\\]|\\.){0,200}"|-?\d{1,20})`;
const ID_PATTERN = new RegExp(String.raw`"id"\s*:\s*` + ID_VALUE);
const JSONRPC_MEMBER = String.raw`"jsonrpc"\s*:\s*"2\.0"\s*`;
/** An id that opens the object (optionally after "jsonrpc"): certainly the envelope's. */
const HEAD_ID = new RegExp(
  String.raw`^\s*\{\s*(?:` + JSONRPC_MEMBER + String.raw`,\s*)?"id"\s*:\s*` + ID_VALUE,
);
/** An id that closes the object (optionally before "jsonrpc"), as the TypeScript SDK writes replies. */
const TAIL_ID = new RegExp(
  String.raw`"id"\s*:\s*` + ID_VALUE + String.raw`\s*(?:,\s*` + JSONRPC_MEMBER + String.raw`)?\}\s*$`,
);

/** Best effort: find an id in text that is not valid JSON (or was cut short), so the error can carry it. */
export function readIdLoosely(text: string): JsonRpcId | null {
  const match = ID_PATTERN.exec(text.length > 4096 ? text.slice(0, 4096) : text);
  return parseIdLiteral(match?.[1]);
}

/**
 * The envelope id of a message we only have the ends of (it was too large to keep). Only ids
 * that are certainly top-level count, so an error never goes to the wrong request.
 */
export function readEnvelopeId(head: string, tail: string): JsonRpcId | null {
  return parseIdLiteral(HEAD_ID.exec(head)?.[1]) ?? parseIdLiteral(TAIL_ID.exec(tail)?.[1]);
}

function parseIdLiteral(literal: string | undefined): JsonRpcId | null {
  if (!literal) return null;
  try {
    const parsed: unknown = JSON.parse(literal);
    return typeof parsed === 'string' || typeof parsed === 'number' ? parsed : null;
  } catch {
    return null;
  }
}

/** Map key that keeps `1` and `"1"` apart. */
export function idKey(id: JsonRpcId): string {
  return typeof id === 'number' ? `n:${id}` : `s:${id}`;
}

export function serialize(message: JsonRpcMessage): Buffer {
  return Buffer.from(JSON.stringify(message), 'utf8');
}

export function errorReply(id: JsonRpcId | null, error: JsonRpcErrorObject): JsonRpcMessage {
  return { jsonrpc: '2.0', id, error };
}

export function notification(method: string, params?: unknown): JsonRpcMessage {
  return params === undefined ? { jsonrpc: '2.0', method } : { jsonrpc: '2.0', method, params };
}

/** Above this size a reply is passed through as it arrives and routed by the id at its ends. */
export const LARGE_MESSAGE_BYTES = 64 * 1024;
const RESPONSE_HEAD = new RegExp(
  String.raw`^\s*\{\s*(?:` +
    JSONRPC_MEMBER +
    String.raw`,\s*)?(?:"id"\s*:\s*` +
    ID_VALUE +
    String.raw`\s*,\s*)?(?:` +
    JSONRPC_MEMBER +
    String.raw`,\s*)?"(?:result|error)"\s*:`,
);

/** True when the first bytes of a message show a JSON-RPC response (result or error). */
export function looksLikeResponseHead(head: string): boolean {
  return RESPONSE_HEAD.test(head);
}
