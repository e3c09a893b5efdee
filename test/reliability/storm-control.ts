import type { JsonRpcResponse } from '../helpers/stdio-rpc-client.js';
import type { ServedEngine } from '../integration/serve-harness.js';

export interface Answer<T> {
  status: number;
  body: T;
}

/** The control API of a served engine (bearer token from engine.json), each call bounded. */
export function controlOf(engine: ServedEngine, timeoutMs = 60_000) {
  const call = async <T = Record<string, unknown>>(method: string, route: string, body?: unknown) => {
    const res = await fetch(`${engine.url}${route}`, {
      method,
      headers: {
        authorization: `Bearer ${engine.token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    return { status: res.status, body: (await res.json()) as T } satisfies Answer<T>;
  };
  /** A tool call through `POST /api/v1/servers/NAME/tools/call`: the JSON-RPC reply. */
  const tool = async (server: string, name: string, args: Record<string, unknown> = {}) =>
    (
      await call<JsonRpcResponse>('POST', `/api/v1/servers/${server}/tools/call`, {
        tool: name,
        arguments: args,
      })
    ).body;
  return { call, tool };
}
