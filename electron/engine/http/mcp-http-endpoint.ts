import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Clock } from '../flow/clock.js';
import { classify, errorReply, type JsonRpcId, type JsonRpcMessage } from '../jsonrpc/messages.js';
import { AggregateSession } from '../gateway/aggregate-session.js';
import { SUPPORTED_PROTOCOL_VERSIONS } from '../gateway/downstream.js';
import type { Gateway } from '../gateway/gateway.js';
import { ServerSession } from '../gateway/server-session.js';
import { engineError, type JsonRpcErrorObject } from '../../shared/errors.js';
import { readBody, sendJson } from '../api/http-route.js';
import { McpHttpSession } from './mcp-http-session.js';
import { serveModernPost } from './modern-post.js';
import { isModernClaim, MODERN_VERSIONS } from '../protocol/modern-era.js';

export interface McpHttpOptions {
  gateway: Gateway;
  clock: Clock;
  version: string;
  log: (line: string) => void;
  /** Largest POST body accepted (default 16 MiB). */
  maxBodyBytes?: number;
  /** A session with no request and no open stream for this long is forgotten (default 1 h). */
  idleSessionMs?: number;
  /** At most this many sessions at once (default 1000); a new one pushes out the least recently used. */
  maxSessions?: number;
  /** Called with each proxied request's method, server and outcome (for metrics). */
  onRequest?: (server: string, method: string, status: 'ok' | 'error', seconds: number) => void;
}

/**
 * Streamable HTTP (MCP 2025-11-25 and earlier) at `/mcp/NAME` and `/mcp`: POST carries one
 * message, GET opens the stream for server-initiated messages, DELETE ends the session.
 */
export class McpHttpEndpoint {
  private readonly sessions = new Map<string, McpHttpSession>();
  private readonly sweeper: ReturnType<typeof setInterval>;

  constructor(private readonly options: McpHttpOptions) {
    this.sweeper = setInterval(() => this.sweep(), 60_000);
    this.sweeper.unref();
  }

  get sessionCount(): { http: number; aggregate: number } {
    let aggregate = 0;
    for (const s of this.sessions.values()) if (s.server === undefined) aggregate++;
    return { http: this.sessions.size - aggregate, aggregate };
  }

  /** Settles once the request is answered; a client that hung up mid-body is no error. */
  async handle(req: IncomingMessage, res: ServerResponse, server: string | undefined): Promise<void> {
    if (server !== undefined && !this.options.gateway.server(server)) {
      return fail(
        res,
        404,
        null,
        engineError('UNKNOWN_SERVER', { server, detail: `no server named "${server}"` }),
      );
    }
    const version = req.headers['mcp-protocol-version'];
    // The modern era's own answers (with the request's id) come once the body is read.
    if (
      typeof version === 'string' &&
      version < MODERN_VERSIONS[0] &&
      !(SUPPORTED_PROTOCOL_VERSIONS as readonly string[]).includes(version)
    ) {
      return fail(
        res,
        400,
        null,
        badRequest(
          `unsupported MCP-Protocol-Version ${version}; supported: ${SUPPORTED_PROTOCOL_VERSIONS.join(', ')}`,
        ),
      );
    }
    if (req.method === 'POST') return this.post(req, res, server);
    if (req.method === 'GET') return this.get(req, res, server);
    if (req.method === 'DELETE') return this.delete(req, res, server);
    res.writeHead(405, { Allow: 'GET, POST, DELETE' }).end();
  }

  close(): void {
    clearInterval(this.sweeper);
    for (const session of this.sessions.values()) session.close();
    this.sessions.clear();
  }

  private async post(req: IncomingMessage, res: ServerResponse, server: string | undefined): Promise<void> {
    const accept = req.headers.accept ?? '';
    if (!accept.includes('application/json') || !accept.includes('text/event-stream'))
      return fail(res, 406, null, badRequest('Accept must list both application/json and text/event-stream'));
    if (!(req.headers['content-type'] ?? '').includes('application/json'))
      return fail(res, 415, null, badRequest('Content-Type must be application/json'));
    const body = await readBody(req, this.options.maxBodyBytes ?? 16 * 1024 * 1024);
    if (!body.ok && body.problem === 'aborted') return;
    if (!body.ok)
      return fail(
        res,
        413,
        null,
        engineError('MESSAGE_TOO_LARGE', { server, detail: 'the request body is too large' }),
      );
    let value: unknown;
    try {
      value = JSON.parse(body.text);
    } catch (err) {
      return fail(res, 400, null, engineError('PARSE_ERROR', { detail: (err as Error).message }));
    }
    const parsed = classify(value);
    if (parsed.kind === 'invalid') return fail(res, 400, parsed.id, parsed.error);
    const message = parsed.message;

    // 2026-07-28 has no sessions: a request that claims it (by its envelope or its header), or a
    // probe, stands alone; `initialize` is not of that era.
    const sessionless = req.headers['mcp-session-id'] === undefined;
    const modernHeader = (headerVersion(req) ?? '') >= MODERN_VERSIONS[0];
    if (
      sessionless &&
      (isModernClaim(message.params) || modernHeader || message.method === 'server/discover')
    )
      return serveModernPost(this.options, req, res, server, message);
    if (parsed.kind === 'request' && parsed.method === 'initialize')
      return this.initialize(res, server, parsed.id, message);
    const session = this.sessionFor(req, res, server);
    if (!session) return;
    session.lastSeen = this.options.clock.now();
    if (parsed.kind !== 'request') {
      res.writeHead(202, { 'Mcp-Session-Id': session.id }).end();
      await session.mcp.handle(message);
      return;
    }
    // A reused id would take over the first request's reply stream; refuse it and leave the first be.
    if (session.mcp.hasOpenRequest(parsed.id))
      return fail(
        res,
        400,
        parsed.id,
        engineError('DUPLICATE_REQUEST_ID', { server, detail: `id ${JSON.stringify(parsed.id)}` }),
      );
    session.openPost(parsed.id, res, prefersEventStream(req.headers.accept ?? ''), headerVersion(req));
    const started = this.options.onRequest ? process.hrtime.bigint() : 0n;
    const reply = await session.mcp.handle(message).catch((err: unknown) => {
      this.options.log(`${server ?? 'aggregate'}: ${parsed.method} failed inside the engine: ${String(err)}`);
      return errorReply(parsed.id, { code: -32603, message: `Internal error: ${(err as Error).message}` });
    });
    session.finishPost(parsed.id, reply);
    if (this.options.onRequest) {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      this.options.onRequest(server ?? 'aggregate', parsed.method, reply?.error ? 'error' : 'ok', seconds);
    }
  }

  private async initialize(
    res: ServerResponse,
    server: string | undefined,
    id: JsonRpcId,
    message: JsonRpcMessage,
  ): Promise<void> {
    const { gateway, clock, log, version } = this.options;
    const session = new McpHttpSession(randomUUID(), server, clock.now(), log);
    session.mcp =
      server === undefined
        ? new AggregateSession(session.id, session, clock, gateway, version)
        : new ServerSession(session.id, session, clock, gateway, server);
    const reply = (await session.mcp.handle(message))!;
    if (reply.error) {
      // A JSON-RPC error (not an HTTP one) so that the client shows the reason and what to do.
      session.close();
      return fail(res, 200, id, reply.error);
    }
    this.evictIfFull();
    this.sessions.set(session.id, session);
    const body = JSON.stringify(reply);
    res.writeHead(200, {
      'Content-Type': 'application/json',
      'Content-Length': Buffer.byteLength(body),
      'Mcp-Session-Id': session.id,
    });
    res.end(body);
  }

  private get(req: IncomingMessage, res: ServerResponse, server: string | undefined): void {
    if (!(req.headers.accept ?? '').includes('text/event-stream'))
      return fail(res, 406, null, badRequest('Accept must list text/event-stream'));
    const session = this.sessionFor(req, res, server);
    if (!session) return;
    const lastEventId = req.headers['last-event-id'];
    const opened = session.openGetStream(
      res,
      typeof lastEventId === 'string' ? lastEventId : undefined,
      headerVersion(req),
    );
    if (opened === 'connected')
      return fail(res, 409, null, badRequest('that stream of this session is open already'));
    // 400, not 404: a 404 tells a client its whole session is gone.
    if (opened === 'unknown')
      return fail(
        res,
        400,
        null,
        badRequest(
          `nothing to resume after event ${String(lastEventId)}: the stream ended or its events are gone`,
        ),
      );
    const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
    res.on('close', () => clearInterval(keepAlive));
  }

  private delete(req: IncomingMessage, res: ServerResponse, server: string | undefined): void {
    const session = this.sessionFor(req, res, server);
    if (!session) return;
    this.sessions.delete(session.id);
    session.close();
    res.writeHead(200).end();
  }

  /** The session the request names: 400 without the header, 404 when unknown or ended. */
  private sessionFor(
    req: IncomingMessage,
    res: ServerResponse,
    server: string | undefined,
  ): McpHttpSession | undefined {
    const id = req.headers['mcp-session-id'];
    if (typeof id !== 'string' || id === '') {
      fail(res, 400, null, badRequest('the Mcp-Session-Id header is required after initialize'));
      return undefined;
    }
    const session = this.sessions.get(id);
    if (!session || session.server !== server) {
      fail(
        res,
        404,
        null,
        badRequest('this session does not exist (it ended or the engine restarted); initialize again'),
      );
      return undefined;
    }
    return session;
  }

  /** Clients rarely send DELETE: past the cap, the session idle longest (without a GET stream) goes. */
  private evictIfFull(): void {
    if (this.sessions.size < (this.options.maxSessions ?? 1000)) return;
    let oldest: McpHttpSession | undefined;
    for (const session of this.sessions.values()) {
      if (session.hasGetStream) continue;
      if (!oldest || session.lastSeen < oldest.lastSeen) oldest = session;
    }
    const victim = oldest ?? this.sessions.values().next().value!;
    this.sessions.delete(victim.id);
    victim.close();
    this.options.log(
      `ended MCP session ${victim.id}: more than ${this.sessions.size + 1} sessions were open`,
    );
  }

  private sweep(): void {
    const cutoff = this.options.clock.now() - (this.options.idleSessionMs ?? 3_600_000);
    for (const [id, session] of this.sessions) {
      if (session.lastSeen >= cutoff || session.hasGetStream) continue;
      this.sessions.delete(id);
      session.close();
    }
  }
}

/**
 * A client that lists text/event-stream before application/json gets its reply as an SSE stream
 * from the start; others get JSON (faster), which turns into SSE only when a related message must
 * go first.
 */
function prefersEventStream(accept: string): boolean {
  const sse = accept.indexOf('text/event-stream');
  const json = accept.indexOf('application/json');
  return sse !== -1 && (json === -1 || sse < json);
}

function badRequest(detail: string): JsonRpcErrorObject {
  return { code: -32600, message: `Bad Request: ${detail}` };
}

function fail(res: ServerResponse, status: number, id: JsonRpcId | null, error: JsonRpcErrorObject): void {
  sendJson(res, status, errorReply(id, error));
}

/** The protocol version a request says it speaks (`MCP-Protocol-Version`), if it says. */
function headerVersion(req: IncomingMessage): string | undefined {
  const version = req.headers['mcp-protocol-version'];
  return typeof version === 'string' ? version : undefined;
}
