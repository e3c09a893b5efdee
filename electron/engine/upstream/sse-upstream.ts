import type { SseEvent } from './sse-parser.js';
import {
  describeUrl,
  FatalConnectError,
  mediaType,
  parseMessages,
  readSse,
  SessionExpiredError,
  statusError,
  checkTarget,
} from './remote-http.js';
import type { RemoteTarget } from './remote-connection.js';
import { RemoteUpstream } from './remote-upstream.js';

/**
 * A remote server over the legacy HTTP+SSE transport (MCP 2024-11-05): a GET opens the event
 * stream, whose first `endpoint` event names where to POST messages; every answer, notification
 * and server request then arrives on that one stream. It cannot be resumed: a stream that ends
 * is a lost connection, and the lifecycle reconnects with a new one.
 */
export class SseUpstream extends RemoteUpstream {
  private endpoint: URL | undefined;
  private headers: Record<string, string> = {};
  /** Aborts the current session's event stream. */
  private stream = new AbortController();

  protected answersInline(): boolean {
    return false;
  }

  /** The HTTP+SSE transport ended with 2024-11-05: its servers are never asked about 2026-07-28. */
  protected override speaksModernEra(): boolean {
    return false;
  }

  protected async openTarget(target: RemoteTarget, signal: AbortSignal): Promise<void> {
    const url = checkTarget(target);
    this.headers = target.headers;
    this.endpoint = undefined;
    this.stream = new AbortController();
    const streamSignal = AbortSignal.any([signal, this.stream.signal]);
    const res = await this.authorizedFetch(url, {
      method: 'GET',
      headers: this.requestHeaders({ accept: 'text/event-stream' }),
      signal: streamSignal,
    });
    if (!res.ok) throw await statusError(res, `GET ${describeUrl(url)}`);
    if (mediaType(res) !== 'text/event-stream') {
      await res.body?.cancel();
      throw new Error(
        `GET ${describeUrl(url)} did not open an event stream; if this is a Streamable HTTP server, use "type": "http"`,
      );
    }
    this.endpoint = await this.followStream(res, url, streamSignal);
  }

  /** Reads the stream in the background; resolves with the endpoint once the server names it. */
  private followStream(res: Response, url: URL, signal: AbortSignal): Promise<URL> {
    const session = this.session;
    return new Promise<URL>((resolve, reject) => {
      const onEvent = (event: SseEvent) => {
        if (event.event === 'endpoint') {
          const endpoint = this.endpointFrom(event.data, url);
          if (endpoint instanceof Error) return reject(endpoint);
          this.endpoint = endpoint;
          return resolve(endpoint);
        }
        if (event.event === 'message' && event.data !== '') this.onMessage(event.data);
      };
      const ended = (reason: string) => {
        reject(new Error(`${reason} before it named an endpoint`));
        if (!signal.aborted && session === this.session) this.connectionLost(reason);
      };
      readSse(res, signal, { onEvent, maxEventBytes: this.maxMessageBytes, log: this.options.log }).then(
        () => ended('the server ended the event stream'),
        (err: Error) => ended(err.message),
      );
    });
  }

  private endpointFrom(data: string, url: URL): URL | Error {
    let endpoint: URL;
    try {
      endpoint = new URL(data.trim(), url);
    } catch {
      return new Error(`the server named an endpoint that is not a URL: ${data.slice(0, 200)}`);
    }
    // Messages carry the config's headers (credentials, say): never to another origin.
    if (endpoint.origin !== url.origin)
      return new FatalConnectError(
        `the server named an endpoint on another origin (${endpoint.origin}); refusing to send messages there`,
      );
    return endpoint;
  }

  private onMessage(data: string): void {
    let messages: unknown[];
    try {
      messages = parseMessages(data);
    } catch {
      return this.options.log(`ignored an event that is not JSON: ${data.slice(0, 200)}`);
    }
    for (const message of messages) this.receive(message);
  }

  private requestHeaders(extra: Record<string, string>): Headers {
    const headers = new Headers(this.headers);
    for (const [name, value] of Object.entries(extra)) headers.set(name, value);
    if (this.protocolVersion !== undefined) headers.set('mcp-protocol-version', this.protocolVersion);
    return headers;
  }

  protected async transmit(body: string, _requestId: number | undefined, signal: AbortSignal): Promise<void> {
    const endpoint = this.endpoint;
    if (!endpoint) throw new SessionExpiredError('no message endpoint yet');
    const res = await this.authorizedFetch(endpoint, {
      method: 'POST',
      headers: this.requestHeaders({ 'content-type': 'application/json' }),
      body,
      signal,
    });
    if (res.status === 404) {
      await res.body?.cancel();
      throw new SessionExpiredError('the server no longer knows our session (HTTP 404)');
    }
    if (!res.ok) throw await statusError(res, `POST to ${describeUrl(endpoint)}`);
    await res.body?.cancel();
  }

  /** The stream is the session: it is open already. */
  protected async openStreams(): Promise<void> {}

  protected async closeTransport(): Promise<void> {
    this.stream.abort();
    this.endpoint = undefined;
  }
}
