import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError } from './api-error.js';

export interface RouteContext {
  /** The `:name` segments of the path, decoded. */
  params: Record<string, string>;
  query: URLSearchParams;
}

/** One HTTP endpoint of the engine. */
export interface HttpRoute {
  method: string;
  /** A path template such as `/api/v1/servers/:server/logs`. */
  path: string;
  auth: boolean;
  /** Query parameters that must be present, with these values, for this route to apply. */
  flags?: Readonly<Record<string, string>>;
  handle(req: IncomingMessage, res: ServerResponse, context: RouteContext): Promise<void> | void;
}

export interface CompiledRoute extends HttpRoute {
  /** The params of `pathname` when this route's path matches it (whatever the method). */
  match(pathname: string): Record<string, string> | undefined;
}

export function compileRoute(route: HttpRoute): CompiledRoute {
  const names: string[] = [];
  const source = route.path
    .split('/')
    .map((segment) => {
      if (!segment.startsWith(':')) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      names.push(segment.slice(1));
      return '([^/]+)';
    })
    .join('/');
  const pattern = new RegExp(`^${source}$`);
  return {
    ...route,
    match(pathname) {
      const found = pattern.exec(pathname);
      if (!found) return undefined;
      const params: Record<string, string> = {};
      names.forEach((name, i) => (params[name] = decodeSegment(found[i + 1]!)));
      return params;
    },
  };
}

/** True when every flag of the route is in the query with its value (`true` counts as `1`). */
export function flagsHold(route: HttpRoute, query: URLSearchParams): boolean {
  if (!route.flags) return true;
  return Object.entries(route.flags).every(([key, value]) => {
    const given = query.get(key);
    return given === value || (value === '1' && given === 'true');
  });
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new ApiError(
      400,
      `"${segment}" in the path is not valid percent-encoding; encode it with encodeURIComponent`,
    );
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

/** The request's JSON body; none at all counts as `{}`. Bounded, so a huge body cannot exhaust memory. */
export async function readJsonBody(req: IncomingMessage, maxBytes: number): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) {
      throw new ApiError(413, `the request body is over ${maxBytes} bytes; send less`);
    }
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new ApiError(
      400,
      `the request body is not valid JSON (${(err as Error).message}); send a JSON object`,
    );
  }
}

export const SSE_KEEP_ALIVE_MS = 15_000;

/**
 * Server-sent events on `res`: `open()` sends the headers (late, so an error found before the first
 * item can still be a JSON answer), `send` one `data:` line of JSON per item, a comment now and then
 * to keep proxies from closing an idle stream. `onClose` runs once when the client goes away.
 */
export function serverSentEvents(
  res: ServerResponse,
  onClose: () => void,
): { open(): void; send(item: unknown): void } {
  let opened = false;
  let keepAlive: ReturnType<typeof setInterval> | undefined;
  const open = () => {
    if (opened) return;
    opened = true;
    res.writeHead(200, {
      'Content-Type': 'text/event-stream',
      'Cache-Control': 'no-cache',
      Connection: 'keep-alive',
    });
    res.write(': connected\n\n');
    keepAlive = setInterval(() => res.write(': keep-alive\n\n'), SSE_KEEP_ALIVE_MS);
  };
  // `res` (not `req`): a request's 'close' may come as soon as its body is read, not at disconnect.
  res.once('close', () => {
    clearInterval(keepAlive);
    onClose();
  });
  return {
    open,
    send(item) {
      open();
      res.write(`data: ${JSON.stringify(item)}\n\n`);
    },
  };
}
