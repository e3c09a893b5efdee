import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError } from '../errors/api-error.js';

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
  if (res.destroyed) return; // the client hung up: nobody to answer
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

export type BodyRead = { ok: true; text: string } | { ok: false; problem: 'too-large' | 'aborted' };

/**
 * The request's body as text, bounded. Past `maxBytes` the rest is read and dropped, so an answer
 * can still go back on this connection. A client that hangs up mid-body is `aborted`: a normal
 * event for a server, never an error that could escape.
 */
export function readBody(req: IncomingMessage, maxBytes: number): Promise<BodyRead> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const settle = (result: BodyRead) => {
      if (settled) return;
      settled = true;
      chunks.length = 0;
      resolve(result);
    };
    req.on('data', (chunk: Buffer) => {
      if (settled) return;
      size += chunk.length;
      if (size > maxBytes) settle({ ok: false, problem: 'too-large' });
      else chunks.push(chunk);
    });
    req.on('end', () => {
      const text = chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8');
      settle({ ok: true, text });
    });
    // 'close' before 'end' means the body never finished; after 'end' it changes nothing.
    req.on('error', () => settle({ ok: false, problem: 'aborted' }));
    req.on('close', () => settle({ ok: false, problem: 'aborted' }));
  });
}

/** Thrown for a body that never finished: there is no one left to answer. */
export class ClientGoneError extends Error {
  constructor() {
    super('the client closed the connection before its request body was complete');
    this.name = 'ClientGoneError';
  }
}

/** The request's JSON body; none at all counts as `{}`. Bounded, so a huge body cannot exhaust memory. */
export async function readJsonBody(req: IncomingMessage, maxBytes: number): Promise<unknown> {
  const body = await readBody(req, maxBytes);
  if (!body.ok && body.problem === 'too-large')
    throw new ApiError(413, `the request body is over ${maxBytes} bytes; send less`);
  if (!body.ok) throw new ClientGoneError();
  if (body.text.trim() === '') return {};
  try {
    return JSON.parse(body.text);
  } catch (err) {
    throw new ApiError(
      400,
      `the request body is not valid JSON (${(err as Error).message}); send a JSON object`,
    );
  }
}

export const SSE_KEEP_ALIVE_MS = 15_000;

/** Bytes a stream's reader may leave unread before the engine gives up on it (it may reconnect). */
export const MAX_UNREAD_STREAM_BYTES = 8 * 1024 * 1024;

/**
 * Writes a piece of a long-lived stream. A reader that stopped reading (a suspended laptop, a stuck
 * client) would otherwise make the engine hold everything sent to it: once more than the bound is
 * still unread, the stream is closed instead, and false says so. (Checked before the write, so one
 * large message to a reader that keeps up always goes out.)
 */
export function writeToStream(res: ServerResponse, chunk: string): boolean {
  if (res.destroyed) return false;
  if (res.writableLength > MAX_UNREAD_STREAM_BYTES) {
    res.destroy();
    return false;
  }
  res.write(chunk);
  return true;
}

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
      writeToStream(res, `data: ${JSON.stringify(item)}\n\n`);
    },
  };
}
