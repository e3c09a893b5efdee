import { SseParser, type SseEvent } from './sse-parser.js';

/**
 * HTTP plumbing shared by the two remote transports: fetch failures sorted by what the caller can
 * do about them, bounded body reads, and reading a `text/event-stream` body to its end.
 */

/** The server could not be reached or the connection broke: reconnect. */
export class ConnectionLostError extends Error {
  /** True when the message certainly never reached the server, so sending it again is safe. */
  readonly notDelivered: boolean;

  constructor(
    message: string,
    notDelivered: boolean,
    /** The last event id a broken event stream gave: what came after it may be asked for again. */
    readonly lastEventId?: string,
  ) {
    super(message);
    this.name = 'ConnectionLostError';
    this.notDelivered = notDelivered;
  }
}

/** The server no longer knows our session (HTTP 404 with a session id): start a new one. */
export class SessionExpiredError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SessionExpiredError';
  }
}

/** Retrying cannot help until a person acts (authorization refused, a bad URL or header). */
export class FatalConnectError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FatalConnectError';
  }
}

/** Failures that happen before a connection exists, so the request never left. */
const NOT_DELIVERED_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/** Where a URL points, without its path or query (those may carry secrets). */
export function describeUrl(url: string | URL): string {
  try {
    return new URL(url).host;
  } catch {
    return 'the server';
  }
}

/** `fetch`, with network failures turned into ConnectionLostError; aborts pass through as they are. */
export async function fetchOrLost(url: URL, init: RequestInit & { signal: AbortSignal }): Promise<Response> {
  try {
    return await fetch(url, init);
  } catch (err) {
    if (init.signal.aborted) throw err;
    const cause = (err as { cause?: { code?: unknown; message?: unknown } }).cause;
    const code = typeof cause?.code === 'string' ? cause.code : undefined;
    const detail = code ?? (typeof cause?.message === 'string' ? cause.message : (err as Error).message);
    throw new ConnectionLostError(
      `no connection to ${describeUrl(url)} (${detail})`,
      code !== undefined && NOT_DELIVERED_CODES.has(code),
    );
  }
}

/** The media type of a response, lower case, without parameters. */
export function mediaType(res: Response): string {
  return (res.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
}

/** Reads at most `maxBytes` of a body as UTF-8; the rest is discarded. */
export async function readText(
  res: Response,
  maxBytes: number,
): Promise<{ text: string; truncated: boolean }> {
  if (!res.body) return { text: '', truncated: false };
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  let truncated = false;
  for await (const chunk of res.body) {
    if (bytes + chunk.byteLength > maxBytes) {
      truncated = true;
      chunks.push(chunk.subarray(0, maxBytes - bytes));
      break; // leaving the loop cancels the rest of the body
    }
    chunks.push(chunk);
    bytes += chunk.byteLength;
  }
  return { text: Buffer.concat(chunks).toString('utf8'), truncated };
}

/** An error for a status the caller did not expect, saying what to do where a person can act. */
export async function statusError(res: Response, what: string): Promise<Error> {
  const body = await readText(res, 300).catch(() => ({ text: '' }));
  const snippet = body.text.replace(/\s+/g, ' ').trim();
  const status = `HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}`;
  if (res.status === 401 || res.status === 403) {
    return new FatalConnectError(
      `${what}: ${status}: the server wants authorization; put the credentials it needs in the server's "headers" (e.g. an Authorization header) and restart it`,
    );
  }
  return new Error(`${what}: ${status}${snippet ? `: ${snippet}` : ''}`);
}

/**
 * Reads an SSE body to its end, handing each event to `onEvent`. A stream that breaks (rather
 * than ends) becomes a ConnectionLostError; an abort passes through.
 */
export async function readSse(
  res: Response,
  signal: AbortSignal,
  opts: {
    onEvent: (event: SseEvent) => void;
    onRetry?: (ms: number) => void;
    maxEventBytes: number;
    log: (line: string) => void;
  },
): Promise<{ lastEventId: string | undefined }> {
  const parser = new SseParser({
    onEvent: opts.onEvent,
    onRetry: opts.onRetry,
    maxEventBytes: opts.maxEventBytes,
    onOversize: (chars) => opts.log(`ignored a ${chars}-character event from the server (over the limit)`),
  });
  if (!res.body) return { lastEventId: undefined };
  try {
    for await (const chunk of res.body) parser.push(chunk);
    parser.end();
  } catch (err) {
    if (signal.aborted) throw err;
    const cause = (err as { cause?: { code?: unknown } }).cause;
    const detail = typeof cause?.code === 'string' ? cause.code : (err as Error).message;
    throw new ConnectionLostError(`the event stream broke (${detail})`, false, parser.lastEventId);
  }
  return { lastEventId: parser.lastEventId };
}

/** Parses one message body; a JSON array (an old-style batch) yields its members. */
export function parseMessages(text: string): unknown[] {
  const value: unknown = JSON.parse(text);
  return Array.isArray(value) ? value : [value];
}

/** The URL of a remote target; a bad URL or header is the config's fault, so no retry helps. */
export function checkTarget(target: { url: string; headers: Record<string, string> }): URL {
  let url: URL;
  try {
    url = new URL(target.url);
  } catch {
    throw new FatalConnectError(`"${target.url}" is not a valid URL; fix "url" in the config`);
  }
  try {
    new Headers(target.headers);
  } catch (err) {
    throw new FatalConnectError(
      `a header in the config is not valid (${(err as Error).message}); fix "headers"`,
    );
  }
  return url;
}
