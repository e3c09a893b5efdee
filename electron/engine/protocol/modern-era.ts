import type { JsonRpcErrorObject } from '../../shared/errors.js';

/**
 * The protocol revision 2026-07-28 ("modern") as a gateway meets it downstream: no `initialize`, no
 * session; every request carries its protocol version and the client's capabilities in `_meta` (the
 * envelope); every result says its `resultType`, lists and reads say how long they may be cached.
 * Everything before it (2025-11-25 and older) is the legacy era, served as it always was.
 */
export const MODERN_VERSIONS = ['2026-07-28'] as const;
const FIRST_MODERN = MODERN_VERSIONS[0];

export const ENVELOPE = {
  protocolVersion: 'io.modelcontextprotocol/protocolVersion',
  clientCapabilities: 'io.modelcontextprotocol/clientCapabilities',
  clientInfo: 'io.modelcontextprotocol/clientInfo',
  logLevel: 'io.modelcontextprotocol/logLevel',
} as const;
export const SERVER_INFO_META = 'io.modelcontextprotocol/serverInfo';
/** On each notification a `subscriptions/listen` delivers: the listen request's id. */
export const SUBSCRIPTION_ID_META = 'io.modelcontextprotocol/subscriptionId';

/** The error codes 2026-07-28 adds. */
export const MODERN_ERROR_CODES = {
  HEADER_MISMATCH: -32020,
  MISSING_CAPABILITY: -32021,
  UNSUPPORTED_VERSION: -32022,
} as const;

/** Methods the modern era has no more (2025-11-25 clients still use them). */
export const REMOVED_IN_MODERN: ReadonlySet<string> = new Set([
  'initialize',
  'ping',
  'logging/setLevel',
  'resources/subscribe',
  'resources/unsubscribe',
]);

/** Results a modern client may cache: they carry `ttlMs` and `cacheScope`. */
const CACHEABLE: ReadonlySet<string> = new Set([
  'server/discover',
  'tools/list',
  'prompts/list',
  'resources/list',
  'resources/templates/list',
  'resources/read',
]);

export interface Envelope {
  version: string;
  capabilities: Record<string, unknown>;
  clientInfo?: { name: string; version: string };
  /** The least severe log message the client wants with this request (none: no log messages). */
  logLevel?: string;
}

export type EnvelopeClaim = { envelope: Envelope } | { error: JsonRpcErrorObject } | undefined;

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The version a message's envelope names, if it names one (the only sign of the modern era). */
export function claimedVersion(params: unknown): unknown {
  const meta = isObject(params) ? params._meta : undefined;
  return isObject(meta) && ENVELOPE.protocolVersion in meta ? meta[ENVELOPE.protocolVersion] : undefined;
}

/** Whether the message claims the modern era (a legacy version in the envelope does not). */
export function isModernClaim(params: unknown): boolean {
  const version = claimedVersion(params);
  return typeof version === 'string' && version >= FIRST_MODERN;
}

/**
 * The envelope of a modern request, checked as a 2026-07-28 server checks it; undefined for a
 * legacy message. A revision this side does not serve is -32022 with the ones it does.
 */
export function readEnvelope(params: unknown): EnvelopeClaim {
  if (!isModernClaim(params)) return undefined;
  const meta = (params as { _meta: Record<string, unknown> })._meta;
  const version = meta[ENVELOPE.protocolVersion] as string;
  if (!(MODERN_VERSIONS as readonly string[]).includes(version))
    return { error: unsupportedVersion(version) };
  const capabilities = meta[ENVELOPE.clientCapabilities];
  if (!isObject(capabilities)) return { error: invalidEnvelope(ENVELOPE.clientCapabilities, 'missing') };
  const info = meta[ENVELOPE.clientInfo];
  const clientInfo =
    isObject(info) && typeof info.name === 'string'
      ? { name: info.name, version: typeof info.version === 'string' ? info.version : '0' }
      : undefined;
  const logLevel = meta[ENVELOPE.logLevel];
  return {
    envelope: {
      version,
      capabilities,
      ...(clientInfo ? { clientInfo } : {}),
      ...(typeof logLevel === 'string' ? { logLevel } : {}),
    },
  };
}

export function unsupportedVersion(requested?: string): JsonRpcErrorObject {
  return {
    code: MODERN_ERROR_CODES.UNSUPPORTED_VERSION,
    message: `Unsupported protocol version: ${requested ?? 'the request did not name a protocol version'}`,
    data: { supported: [...MODERN_VERSIONS], ...(requested !== undefined ? { requested } : {}) },
  };
}

export function invalidEnvelope(key: string, problem: string): JsonRpcErrorObject {
  return {
    code: -32602,
    message: `Invalid _meta envelope for protocol revision ${FIRST_MODERN}: ${key}: ${problem}`,
    data: { envelope: { key, problem } },
  };
}

/** The params as a legacy server expects them: the envelope's keys taken out of `_meta`. */
export function withoutEnvelope(params: unknown): unknown {
  if (!isObject(params) || !isObject(params._meta)) return params;
  const meta = { ...params._meta };
  for (const key of Object.values(ENVELOPE)) delete meta[key];
  const { _meta: _dropped, ...rest } = params;
  return Object.keys(meta).length > 0 ? { ...rest, _meta: meta } : rest;
}

/**
 * A result as a modern client reads it: `resultType`, cache fields where the method is cacheable
 * (a legacy server gives none: 0 ms and private, so nothing is cached across people or time), and
 * the server's identity in `_meta`.
 */
export function modernResult(
  method: string,
  result: Record<string, unknown>,
  serverInfo: unknown,
): Record<string, unknown> {
  const meta = isObject(result._meta) ? result._meta : {};
  return {
    ...result,
    resultType: typeof result.resultType === 'string' ? result.resultType : 'complete',
    ...(CACHEABLE.has(method) && result.resultType !== 'input_required'
      ? {
          ttlMs: typeof result.ttlMs === 'number' ? result.ttlMs : 0,
          cacheScope: result.cacheScope === 'public' ? 'public' : 'private',
        }
      : {}),
    _meta: { ...meta, [SERVER_INFO_META]: serverInfo },
  };
}

/** An error as a modern client reads it: "resource not found" is -32602 with the URI now. */
export function modernError(error: JsonRpcErrorObject): JsonRpcErrorObject {
  return error.code === -32002 ? { ...error, code: -32602 } : error;
}

/** The `server/discover` result for a server with these capabilities (tasks are an extension now). */
export function discoverResult(info: {
  capabilities: Record<string, unknown>;
  instructions?: string | undefined;
}): Record<string, unknown> {
  const { tasks: _tasks, ...capabilities } = info.capabilities;
  return {
    supportedVersions: [...MODERN_VERSIONS],
    capabilities,
    ...(info.instructions !== undefined ? { instructions: info.instructions } : {}),
  };
}

/** Who asks, as a modern request's envelope says it (the client's capabilities and identity). */
export interface Caller {
  capabilities: Record<string, unknown>;
  clientInfo: { name: string; version: string; [key: string]: unknown };
  /** The least severe log message wanted with the request; none: no log messages. */
  logLevel?: string | undefined;
}

/** `params` with the envelope of `caller` in its `_meta` (what the request's own `_meta` had stays). */
export function withEnvelope(params: unknown, version: string, caller: Caller): Record<string, unknown> {
  const base = isObject(params) ? params : {};
  const meta = isObject(base._meta) ? base._meta : {};
  return {
    ...base,
    _meta: {
      ...meta,
      [ENVELOPE.protocolVersion]: version,
      [ENVELOPE.clientCapabilities]: modernCapabilities(caller.capabilities),
      [ENVELOPE.clientInfo]: caller.clientInfo,
      ...(caller.logLevel !== undefined ? { [ENVELOPE.logLevel]: caller.logLevel } : {}),
    },
  };
}

/** Client capabilities as 2026-07-28 has them: tasks are an extension now, not a capability. */
function modernCapabilities(capabilities: Record<string, unknown>): Record<string, unknown> {
  const { tasks: _tasks, ...rest } = capabilities;
  return rest;
}

export function isModernVersion(version: unknown): version is string {
  return typeof version === 'string' && (MODERN_VERSIONS as readonly string[]).includes(version);
}

/** A `server/discover` answer that offers a revision this side speaks: the server's era and identity. */
export function readDiscover(
  response: { result?: unknown; error?: unknown },
  fallbackName: string,
):
  | {
      version: string;
      capabilities: Record<string, unknown>;
      serverInfo: { name: string; version: string };
      instructions?: string;
    }
  | undefined {
  const result = response.result;
  if (!isObject(result) || !Array.isArray(result.supportedVersions)) return undefined;
  const version = MODERN_VERSIONS.find((v) => (result.supportedVersions as unknown[]).includes(v));
  if (!version) return undefined;
  const meta = isObject(result._meta) ? result._meta : {};
  const info = meta[SERVER_INFO_META];
  const serverInfo =
    isObject(info) && typeof info.name === 'string'
      ? { ...info, name: info.name, version: typeof info.version === 'string' ? info.version : '0' }
      : { name: fallbackName, version: '0' };
  return {
    version,
    capabilities: isObject(result.capabilities) ? result.capabilities : {},
    serverInfo,
    ...(typeof result.instructions === 'string' ? { instructions: result.instructions } : {}),
  };
}

/**
 * The revision a -32022 answer names in `data.supported` that this side speaks too, if it names
 * one: the request may be sent once more in it.
 */
export function supportedInstead(response: { error?: unknown }): string | undefined {
  const error = response.error;
  if (!isObject(error) || error.code !== MODERN_ERROR_CODES.UNSUPPORTED_VERSION) return undefined;
  const supported = isObject(error.data) ? error.data.supported : undefined;
  return Array.isArray(supported) ? MODERN_VERSIONS.find((v) => supported.includes(v)) : undefined;
}

/** A modern server's result as a 2025-era client reads it: without the new era's own fields. */
export function legacyResult(result: unknown): unknown {
  if (!isObject(result) || result.resultType === undefined) return result;
  const { resultType: _type, ttlMs: _ttl, cacheScope: _scope, ...rest } = result;
  if (!isObject(rest._meta) || !(SERVER_INFO_META in rest._meta)) return rest;
  const { [SERVER_INFO_META]: _info, ...meta } = rest._meta;
  const { _meta: _dropped, ...plain } = rest;
  return Object.keys(meta).length > 0 ? { ...plain, _meta: meta } : plain;
}

/** An input-required result: the server needs the client's answers before it can go on. */
export interface InputRequired {
  resultType: 'input_required';
  inputRequests?: Record<string, { method: string; params?: unknown }>;
  requestState?: string;
}

export function isInputRequired(result: unknown): result is InputRequired {
  return isObject(result) && result.resultType === 'input_required';
}

/** Where `Mcp-Name` comes from in the body, per method. */
export const MCP_NAME_SOURCE: Readonly<Record<string, string>> = {
  'tools/call': 'name',
  'prompts/get': 'name',
  'resources/read': 'uri',
};

/** The value a request's `Mcp-Name` header carries, if its method has one. */
export function mcpName(method: string, params: unknown): string | undefined {
  const source = MCP_NAME_SOURCE[method];
  const value = source && isObject(params) ? params[source] : undefined;
  return typeof value === 'string' ? value : undefined;
}

/** A header value as 2026-07-28 sends it: plain printable ASCII as is, anything else `=?base64?…?=`. */
export function headerValue(value: string): string {
  const plain = /^[\x21-\x7e]([\x20-\x7e]*[\x21-\x7e])?$/.test(value) && !value.startsWith('=?');
  return plain ? value : `=?base64?${Buffer.from(value, 'utf8').toString('base64')}?=`;
}
