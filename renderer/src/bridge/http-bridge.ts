import {
  apiOperations,
  apiStreams,
  type ApiErrorBody,
  type ApiName,
  type ApiStreamName,
} from '../../../electron/shared/api.js';
import { httpRequestFor } from '../../../electron/shared/api-http.js';
import { BridgeError, type Bridge, type StreamHandlers } from './bridge.js';

/** Where the engine's sign-in answers: a one-time code (from `switchboard open`) or the token, for a cookie. */
export const SESSION_PATH = '/auth/session';

export interface HttpBridgeOptions {
  /** The engine's origin; the page's own by default. */
  baseUrl?: string;
  fetch?: typeof fetch;
  EventSource?: typeof EventSource;
}

/**
 * The bridge in a browser, served by `switchboard serve`: operations over fetch, streams over
 * EventSource. It authenticates with the session cookie the engine set at sign-in, so the token is
 * never in a URL, in the page's storage or in a log.
 */
export class HttpBridge implements Bridge {
  private readonly base: string;
  private readonly fetch: typeof fetch;
  private readonly EventSource: typeof EventSource;

  constructor(options: HttpBridgeOptions = {}) {
    this.base = options.baseUrl ?? '';
    this.fetch = options.fetch ?? ((...args) => globalThis.fetch(...args));
    this.EventSource = options.EventSource ?? globalThis.EventSource;
  }

  /** Trades a one-time code or the token for the session cookie. */
  async signIn(credential: { code: string } | { token: string }): Promise<void> {
    const res = await this.fetch(`${this.base}${SESSION_PATH}`, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(credential),
    });
    if (!res.ok) throw new BridgeError(res.status, await errorBody(res));
  }

  async call<N extends ApiName>(name: N, input: unknown): Promise<never> {
    const spec = apiOperations[name];
    const request = httpRequestFor(spec.http, (input ?? {}) as Record<string, unknown>);
    let res: Response;
    try {
      res = await this.fetch(`${this.base}${request.path}`, {
        method: request.method,
        credentials: 'same-origin',
        headers: request.body === undefined ? {} : { 'Content-Type': 'application/json' },
        ...(request.body === undefined ? {} : { body: request.body }),
      });
    } catch {
      throw new BridgeError(0, { error: 'the engine cannot be reached; is `switchboard serve` running?' });
    }
    if (!res.ok) throw new BridgeError(res.status, await errorBody(res));
    return (await res.json()) as never;
  }

  subscribe<S extends ApiStreamName>(name: S, input: unknown, handlers: StreamHandlers<never>): () => void {
    const request = httpRequestFor(apiStreams[name].http, (input ?? {}) as Record<string, unknown>);
    let source: EventSource | undefined;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    const open = () => {
      source = new this.EventSource(`${this.base}${request.path}`, { withCredentials: true });
      source.onopen = () => handlers.status?.('open');
      source.onmessage = (message: MessageEvent<string>) => handlers.item(JSON.parse(message.data) as never);
      // EventSource retries a dropped connection by itself, but gives up on a refused one (401 after
      // an engine restart with another key, 404 for a server that went away): find out which.
      source.onerror = () => {
        handlers.status?.('lost');
        if (source?.readyState !== source?.CLOSED) return;
        retry = setTimeout(() => void this.reopenOrGiveUp(open, handlers, () => stopped), RETRY_MS);
      };
    };
    open();
    return () => {
      stopped = true;
      clearTimeout(retry);
      source?.close();
    };
  }

  private async reopenOrGiveUp(
    open: () => void,
    handlers: StreamHandlers<never>,
    stopped: () => boolean,
  ): Promise<void> {
    if (stopped()) return;
    try {
      const probe = await this.fetch(`${this.base}${apiOperations.listServers.http.path}`, {
        credentials: 'same-origin',
      });
      if (probe.status === 401) return handlers.status?.('unauthorized');
    } catch {
      // The engine is still away: open again, and EventSource keeps retrying from there.
    }
    if (!stopped()) open();
  }
}

/** How long to wait before opening a stream the engine refused. */
const RETRY_MS = 1000;

async function errorBody(res: Response): Promise<ApiErrorBody> {
  try {
    const body = (await res.json()) as Partial<ApiErrorBody>;
    if (typeof body.error === 'string') return body as ApiErrorBody;
  } catch {
    // not JSON: fall through
  }
  return { error: `the engine answered ${res.status} ${res.statusText}` };
}
