import type { SseEvent } from './sse-parser.js';
import {
  ConnectionLostError,
  describeUrl,
  FatalConnectError,
  mediaType,
  parseMessages,
  readSse,
  readText,
  SessionExpiredError,
  statusError,
  checkTarget,
} from './remote-http.js';
import type { RemoteTarget } from './remote-connection.js';
import { RemoteUpstream } from './remote-upstream.js';
import { UpstreamError } from './upstream-error.js';
import type { WireRouting } from './upstream.js';
import type { JsonRpcMessage } from '../jsonrpc/messages.js';
import { headerValue, isModernVersion } from '../protocol/modern-era.js';
import { paramHeaders, withoutInvalidTools } from './param-headers.js';

/** How long to wait before opening an ended stream again when the server gave no `retry:`. */
const DEFAULT_RETRY_MS = 1000;
const MIN_RETRY_MS = 50;
const MAX_RETRY_MS = 30_000;
/** Reopens of the GET stream in a row that brought nothing, before we stop asking. */
const MAX_EMPTY_REOPENS = 20;
/** Resumptions of one request's stream (the request's own timeout bounds them in time as well). */
const MAX_RESUMES = 1000;
const DELETE_TIMEOUT_MS = 2000;

/**
 * A remote server over Streamable HTTP (MCP 2025-11-25, client side), with raw messages so
 * nothing the server sends is lost: one POST per message, answers as JSON or as an SSE stream
 * (which may carry the server's notifications and requests first), a GET stream for messages
 * tied to no request, `Mcp-Session-Id` and `MCP-Protocol-Version` headers, and DELETE on close.
 */
export class HttpUpstream extends RemoteUpstream {
  private url: URL | undefined;
  private headers: Record<string, string> = {};
  private sessionId: string | undefined;
  /** Aborts the current session's GET stream. */
  private streams = new AbortController();
  private retryMs = DEFAULT_RETRY_MS;
  private toldNoGetStream = false;

  protected answersInline(): boolean {
    return true;
  }

  protected async openTarget(target: RemoteTarget): Promise<void> {
    this.url = checkTarget(target);
    this.headers = target.headers;
    this.sessionId = undefined;
    this.streams = new AbortController();
    this.retryMs = DEFAULT_RETRY_MS;
  }

  /** Config headers first, so they reach the server; the protocol's own headers win over them. */
  private requestHeaders(extra: Record<string, string>): Headers {
    const headers = new Headers(this.headers);
    for (const [name, value] of Object.entries(extra)) headers.set(name, value);
    if (this.sessionId !== undefined) headers.set('mcp-session-id', this.sessionId);
    if (this.protocolVersion !== undefined) headers.set('mcp-protocol-version', this.protocolVersion);
    return headers;
  }

  private target(): URL {
    if (!this.url) throw new ConnectionLostError('not connected', true);
    return this.url;
  }

  /**
   * 2026-07-28 routes by headers: the method, the tool, prompt or resource it is about, and a tool
   * call's arguments that the tool declared as headers.
   */
  private routingHeaders(routing: WireRouting): Record<string, string> {
    if (!isModernVersion(this.protocolVersion)) return {};
    return {
      ...(routing.toolArguments !== undefined
        ? paramHeaders(this.lists.tools, routing.name, routing.toolArguments)
        : {}),
      'mcp-method': routing.method,
      ...(routing.name !== undefined ? { 'mcp-name': headerValue(routing.name) } : {}),
    };
  }

  /** A 2026-07-28 tool whose `x-mcp-header` declarations are invalid cannot be called over HTTP. */
  protected override listed(method: string, answer: JsonRpcMessage): JsonRpcMessage {
    if (method !== 'tools/list' || !this.era.modern) return answer;
    return withoutInvalidTools(answer, this.options.log);
  }

  protected async transmit(
    body: string,
    requestId: number | undefined,
    signal: AbortSignal,
    routing: WireRouting,
  ): Promise<void> {
    const url = this.target();
    const sentWithSession = this.sessionId;
    const res = await this.authorizedFetch(url, {
      method: 'POST',
      headers: this.requestHeaders({
        accept: 'application/json, text/event-stream',
        'content-type': 'application/json',
        ...this.routingHeaders(routing),
      }),
      body,
      signal,
    });
    if (res.status === 404 && sentWithSession !== undefined) {
      await res.body?.cancel();
      throw new SessionExpiredError(`the server no longer knows our session (HTTP 404)`);
    }
    if (!res.ok && (await this.errorAnswer(res, requestId))) return;
    if (!res.ok) throw await statusError(res, `POST to ${describeUrl(url)}`);
    // The session id comes on the InitializeResult, the first answer of a session.
    const minted = res.headers.get('mcp-session-id');
    if (minted && this.sessionId === undefined) this.sessionId = minted;
    if (res.status === 202 || res.status === 204) return void (await res.body?.cancel());
    const type = mediaType(res);
    if (type === 'text/event-stream') return this.readAnswerStream(res, requestId, signal);
    if (type === 'application/json') return this.readJsonAnswer(res);
    await res.body?.cancel();
    if (requestId !== undefined) throw new Error(`the server answered with "${type || 'no content type'}"`);
  }

  /**
   * A refusal that is the server's JSON-RPC answer to our request (2026-07-28 answers -32601 with
   * 404 and its checks with 400): received as the answer. False (body untouched) when it is not.
   */
  private async errorAnswer(res: Response, requestId: number | undefined): Promise<boolean> {
    if (requestId === undefined || (res.status !== 400 && res.status !== 404)) return false;
    if (mediaType(res) !== 'application/json') return false;
    const { text } = await readText(res.clone(), this.maxMessageBytes);
    let message: unknown;
    try {
      message = JSON.parse(text);
    } catch {
      return false;
    }
    const answer = message as { id?: unknown; error?: unknown };
    if (answer?.id !== requestId || typeof answer.error !== 'object') return false;
    await res.body?.cancel();
    this.receive(message);
    return true;
  }

  private async readJsonAnswer(res: Response): Promise<void> {
    const { text, truncated } = await readText(res, this.maxMessageBytes + 1);
    if (truncated)
      throw new UpstreamError('MESSAGE_TOO_LARGE', this.options.server, `over ${this.maxMessageBytes} bytes`);
    if (text.trim() === '') return;
    let messages: unknown[];
    try {
      messages = parseMessages(text);
    } catch (err) {
      throw new Error(`the server sent a body that is not JSON (${(err as Error).message})`, { cause: err });
    }
    for (const message of messages) this.receive(message);
  }

  /**
   * An answer as an SSE stream. A 2025-11-25 server may end it before the answer (polling) after
   * giving an event id, or the connection may break: then the rest comes on a GET with
   * `Last-Event-ID`, after the server's `retry` delay.
   */
  private async readAnswerStream(
    res: Response,
    requestId: number | undefined,
    signal: AbortSignal,
  ): Promise<void> {
    let lastEventId = await this.readAnswerEvents(res, signal, requestId);
    for (let resumes = 0; resumes < MAX_RESUMES; resumes++) {
      if (requestId === undefined || !this.awaitsAnswer(requestId) || lastEventId === undefined) return;
      await this.pause(this.retryMs, signal);
      const resumed = await this.get(signal, lastEventId);
      if (!resumed) return;
      lastEventId = (await this.readAnswerEvents(resumed, signal, requestId)) ?? lastEventId;
    }
  }

  /** The last event id of one answer stream; a stream that broke after an id is resumable, not lost. */
  private async readAnswerEvents(
    res: Response,
    signal: AbortSignal,
    requestId: number | undefined,
  ): Promise<string | undefined> {
    try {
      return (await this.readEvents(res, signal, requestId)).lastEventId;
    } catch (err) {
      const resumable = err instanceof ConnectionLostError && err.lastEventId !== undefined;
      if (!resumable || requestId === undefined) throw err;
      this.options.log(`${err.message}; resuming it from event ${err.lastEventId}`);
      return err.lastEventId;
    }
  }

  /** Reads one request's answer stream: what comes on it belongs with request `requestId`. */
  private readEvents(
    res: Response,
    signal: AbortSignal,
    requestId: number | undefined,
  ): Promise<{ lastEventId: string | undefined }> {
    return readSse(res, signal, {
      onEvent: (event) => this.onEvent(event, requestId),
      onRetry: (ms) => (this.retryMs = Math.min(MAX_RETRY_MS, Math.max(MIN_RETRY_MS, ms))),
      maxEventBytes: this.maxMessageBytes,
      log: this.options.log,
    });
  }

  private onEvent(event: SseEvent, requestId?: number): void {
    // Events without data prime a stream with an id to resume from; other event types are not MCP's.
    if (event.event !== 'message' || event.data === '') return;
    let messages: unknown[];
    try {
      messages = parseMessages(event.data);
    } catch {
      return this.options.log(`ignored an event that is not JSON: ${event.data.slice(0, 200)}`);
    }
    for (const message of messages) this.receive(message, requestId);
  }

  /** A GET for an event stream; undefined when the server has none for us (405 and the like). */
  private async get(signal: AbortSignal, lastEventId?: string): Promise<Response | undefined> {
    const url = this.target();
    const res = await this.authorizedFetch(url, {
      method: 'GET',
      headers: this.requestHeaders({
        accept: 'text/event-stream',
        ...(lastEventId === undefined ? {} : { 'last-event-id': lastEventId }),
      }),
      signal,
    });
    if (res.ok && mediaType(res) === 'text/event-stream') return res;
    if (res.status === 404 && this.sessionId !== undefined) {
      await res.body?.cancel();
      throw new SessionExpiredError('the server no longer knows our session (HTTP 404)');
    }
    if (res.status === 405) {
      await res.body?.cancel();
      if (!this.toldNoGetStream) this.options.log('the server offers no GET stream (HTTP 405)');
      this.toldNoGetStream = true;
      return undefined;
    }
    const err = await statusError(res, `GET ${describeUrl(url)}`);
    if (err instanceof FatalConnectError) throw err;
    this.options.log(err.message);
    return undefined;
  }

  /** Opens the standalone GET stream: server requests and notifications tied to no request come there. */
  protected async openStreams(signal: AbortSignal): Promise<void> {
    if (this.era.modern) return; // 2026-07-28 has no GET stream: our listen carries what it did
    const streamSignal = AbortSignal.any([signal, this.streams.signal]);
    const res = await this.get(streamSignal);
    if (res) void this.followGetStream(res, this.session, streamSignal, 0);
  }

  /** Reads the GET stream; when it ends or breaks, opens it again (bounded) or reports the loss. */
  private async followGetStream(
    res: Response,
    session: number,
    signal: AbortSignal,
    emptyInRow: number,
  ): Promise<void> {
    let lastEventId: string | undefined;
    let broke = false;
    let events = 0;
    try {
      lastEventId = (
        await readSse(res, signal, {
          onEvent: (event) => {
            events++;
            this.onEvent(event);
          },
          onRetry: (ms) => (this.retryMs = Math.min(MAX_RETRY_MS, Math.max(MIN_RETRY_MS, ms))),
          maxEventBytes: this.maxMessageBytes,
          log: this.options.log,
        })
      ).lastEventId;
    } catch {
      broke = true;
    }
    if (signal.aborted || session !== this.session) return;
    const empty = events === 0 ? emptyInRow + 1 : 0;
    if (empty > MAX_EMPTY_REOPENS)
      return this.options.log('the server keeps ending the GET stream at once; no longer reopening it');
    try {
      // A stream that broke is retried at once: if the server is gone, that says so quickly.
      if (!broke) await this.pause(this.retryMs, signal);
      const next = await this.get(signal, lastEventId);
      if (next) void this.followGetStream(next, session, signal, empty);
    } catch (err) {
      if (signal.aborted || session !== this.session) return;
      if (err instanceof SessionExpiredError) return this.sessionExpired();
      this.connectionLost(`the GET stream could not be reopened: ${(err as Error).message}`);
    }
  }

  private pause(ms: number, signal: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal.aborted) return reject(signal.reason as Error);
      const onAbort = () => {
        this.options.clock.clearTimeout(timer);
        reject(signal.reason as Error);
      };
      const timer = this.options.clock.setTimeout(() => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  protected async closeTransport(polite: boolean): Promise<void> {
    this.streams.abort();
    const url = this.url;
    if (!polite || this.sessionId === undefined || !url) {
      this.sessionId = undefined;
      return;
    }
    const headers = this.requestHeaders({});
    this.sessionId = undefined;
    // Ends the session on the server; 405 means it does not let clients do that, which is fine.
    const res = await this.authorizedFetch(url, {
      method: 'DELETE',
      headers,
      signal: AbortSignal.timeout(DELETE_TIMEOUT_MS),
    });
    await res.body?.cancel();
    if (!res.ok && res.status !== 405 && res.status !== 404)
      this.options.log(`ending the session: HTTP ${res.status} ${res.statusText}`);
  }
}
