import type { IncomingMessage } from 'node:http';
import { apiOperations, apiStreams, type ApiHandlers, type ApiStreamHandlers } from '../../shared/api.js';
import type { HttpBinding } from '../../shared/api-http.js';
import { ApiDispatcher } from './api-dispatch.js';
import { ApiError } from '../errors/api-error.js';
import { readJsonBody, sendJson, serverSentEvents, type HttpRoute, type RouteContext } from './http-route.js';

export interface ApiRouteOptions {
  /** Largest JSON body accepted (default 1 MiB: a big config file fits many times over). */
  maxBodyBytes?: number;
}

/**
 * The control API's HTTP routes, derived from the API table: each reads its input from the path,
 * the query (GET) or the JSON body (POST, PUT), checks it with the operation's zod schema (400 with
 * the path of each problem), and answers the handler's output as JSON. Streams are server-sent events.
 * Streams come first: they share paths with operations and are told apart by their flags.
 */
export function buildApiRoutes(
  handlers: ApiHandlers & ApiStreamHandlers,
  options: ApiRouteOptions = {},
): HttpRoute[] {
  const maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024;
  // The same dispatch (schema check, then handler) as every other transport.
  const dispatcher = new ApiDispatcher(handlers);
  const streams = Object.entries(apiStreams).map(([name, spec]): HttpRoute => ({
    ...binding(spec.http),
    auth: spec.auth,
    handle: async (req, res, context) => {
      const raw = await rawInput(req, spec.http, context, maxBodyBytes);
      // The client may leave while the handler starts: then stop at once instead of on close.
      let closed = false;
      let onClose: () => void = () => {
        closed = true;
      };
      const events = serverSentEvents(res, () => onClose());
      const stop = await dispatcher.subscribe(name, raw, events.send);
      if (closed) return stop();
      onClose = stop;
      events.open();
    },
  }));
  const operations = Object.entries(apiOperations).map(([name, spec]): HttpRoute => ({
    ...binding(spec.http),
    auth: spec.auth,
    handle: async (req, res, context) => {
      const raw = await rawInput(req, spec.http, context, maxBodyBytes);
      const output = await dispatcher.invoke(name, raw);
      sendJson(res, 200, output);
    },
  }));
  return [...streams, ...operations];
}

function binding(http: HttpBinding): Pick<HttpRoute, 'method' | 'path' | 'flags'> {
  return { method: http.method, path: http.path, ...(http.flags ? { flags: http.flags } : {}) };
}

/** Path params over the query (GET, DELETE) or the body's fields (POST, PUT); a path param always wins. */
async function rawInput(
  req: IncomingMessage,
  http: HttpBinding,
  { params, query }: RouteContext,
  maxBodyBytes: number,
): Promise<Record<string, unknown>> {
  if (http.method === 'GET' || http.method === 'DELETE') {
    const fields = Object.fromEntries(query);
    for (const flag of Object.keys(http.flags ?? {})) delete fields[flag];
    return { ...fields, ...params };
  }
  const body = await readJsonBody(req, maxBodyBytes);
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ApiError(400, `the request body must be a JSON object, like {"name": value}`);
  }
  return { ...(body as Record<string, unknown>), ...params };
}
