import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { timingSafeEqual } from 'node:crypto';
import type { ApiHandlers, ApiStreamHandlers } from '../../shared/api.js';
import type { Supervisor } from '../supervisor/supervisor.js';
import { ApiError } from '../errors/api-error.js';
import { buildApiRoutes } from '../api/api-routes.js';
import {
  ClientGoneError,
  compileRoute,
  flagsHold,
  readJsonBody,
  sendJson,
  type CompiledRoute,
  type HttpRoute,
} from '../api/http-route.js';
import type { DashboardAuth } from './dashboard-auth.js';
import { checkRequest, type GuardOptions } from './request-guard.js';
import { serveStatic } from './static-files.js';

export interface EngineHttpServerOptions {
  /** For readiness (/readyz). */
  supervisor: Pick<Supervisor, 'snapshot'>;
  /** Every operation and stream of the API table (see electron/engine/api/engine-api.ts). */
  api: ApiHandlers & ApiStreamHandlers;
  token: string;
  host: string;
  port: number;
  guard?: Omit<GuardOptions, 'port'>;
  log: (line: string) => void;
  /**
   * Streamable HTTP MCP: any method on `/mcp` (server undefined: the aggregated endpoint) and on
   * `/mcp/NAME` (NAME decoded). No bearer token, but after the Host/Origin guard. Absent: 404.
   */
  mcp?: (req: IncomingMessage, res: ServerResponse, server: string | undefined) => void | Promise<void>;
  /** Prometheus text for `GET /metrics` (no bearer token). Absent: 404. */
  metrics?: () => Promise<{ contentType: string; body: string }>;
  /** The window in a browser: the built renderer at `/` and its sign-in. Absent: 404. */
  dashboard?: { root: string; auth: DashboardAuth };
}

const MCP_PATH = '/mcp';

/**
 * The engine's HTTP surface: health and readiness for probes, MCP for clients, metrics, the control
 * API (bearer token; derived from the API table) and its streams. Every request passes the
 * Host/Origin guard first. /mcp is looked up before anything else and nothing is parsed for it.
 */
export class EngineHttpServer {
  private server: Server | undefined;
  private readonly routes: CompiledRoute[];
  private port = 0;

  constructor(private readonly options: EngineHttpServerOptions) {
    const routes: HttpRoute[] = [
      { method: 'GET', path: '/healthz', auth: false, handle: (_q, res) => sendJson(res, 200, { ok: true }) },
      { method: 'GET', path: '/readyz', auth: false, handle: (_q, res) => this.readiness(res) },
      // Only with a hook: without one, /metrics answers 404 like any unknown path.
      ...(options.metrics ? [{ method: 'GET', path: '/metrics', auth: false, handle: this.metrics }] : []),
      ...buildApiRoutes(options.api),
      ...(options.dashboard ? this.signInRoutes(options.dashboard.auth) : []),
    ];
    this.routes = routes.map(compileRoute);
  }

  get url(): string {
    return `http://${this.options.host.includes(':') ? `[${this.options.host}]` : this.options.host}:${this.port}`;
  }

  async listen(): Promise<number> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(this.options.port, this.options.host, () => resolve());
    });
    this.port = (this.server.address() as AddressInfo).port;
    return this.port;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Every request ends here: whatever a handler throws is answered (or, client gone, dropped), never escapes. */
  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const target = req.url ?? '/';
    const queryAt = target.indexOf('?');
    const pathname = queryAt === -1 ? target : target.slice(0, queryAt);
    try {
      const guard = checkRequest(
        { host: req.headers.host, origin: req.headers.origin },
        { port: this.port, ...this.options.guard },
      );
      if (!guard.ok) return sendJson(res, guard.status, { error: guard.reason });
      if (pathname === MCP_PATH || pathname.startsWith(`${MCP_PATH}/`))
        return await this.mcp(req, res, pathname);
      await this.route(
        req,
        res,
        pathname,
        new URLSearchParams(queryAt === -1 ? '' : target.slice(queryAt + 1)),
      );
    } catch (err) {
      if (err instanceof ClientGoneError) return;
      const known = err instanceof ApiError;
      if (!known) this.options.log(`HTTP ${req.method} ${pathname} failed: ${String(err)}`);
      if (res.headersSent) res.end();
      else if (known) sendJson(res, err.status, err.body);
      else sendJson(res, 500, { error: (err as Error).message });
    }
  }

  private async route(
    req: IncomingMessage,
    res: ServerResponse,
    pathname: string,
    query: URLSearchParams,
  ): Promise<void> {
    let pathKnown = false;
    for (const route of this.routes) {
      const params = route.match(pathname);
      if (!params) continue;
      pathKnown = true;
      if (route.method !== req.method || !flagsHold(route, query)) continue;
      if (route.auth && !this.authorized(req)) {
        res.setHeader('WWW-Authenticate', 'Bearer');
        return sendJson(res, 401, { error: 'missing or wrong bearer token; it is in <home>/engine.json' });
      }
      return route.handle(req, res, { params, query });
    }
    const { dashboard } = this.options;
    if (!pathKnown && dashboard && (req.method === 'GET' || req.method === 'HEAD')) {
      if (await serveStatic(dashboard.root, req, res, pathname)) return;
      if (pathname === '/') {
        return sendJson(res, 404, {
          error: `the window is not built (no ${dashboard.root}); run \`npm run build\``,
        });
      }
    }
    sendJson(res, pathKnown ? 405 : 404, {
      error: pathKnown ? `${req.method} is not allowed here` : `nothing at ${pathname}`,
    });
  }

  /** `/mcp` or `/mcp/NAME`, to the MCP hook when there is one. */
  private async mcp(req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void> {
    const rest = pathname.slice(MCP_PATH.length + 1);
    if (!this.options.mcp || rest.includes('/'))
      return sendJson(res, 404, { error: `nothing at ${pathname}` });
    let server: string | undefined;
    try {
      server = rest === '' ? undefined : decodeURIComponent(rest);
    } catch {
      return sendJson(res, 400, { error: `"${rest}" is not a valid percent-encoded server name` });
    }
    await this.options.mcp(req, res, server);
  }

  private readonly metrics = async (_req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const { contentType, body } = await this.options.metrics!();
    res.writeHead(200, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(body) });
    res.end(body);
  };

  /** A one-time code for `switchboard open` (with the token), and the page's trade of it for a cookie. */
  private signInRoutes(auth: DashboardAuth): HttpRoute[] {
    return [
      {
        method: 'POST',
        path: '/api/v1/dashboard/code',
        auth: true,
        handle: (_req, res) => {
          const code = auth.mintCode();
          sendJson(res, 200, { code, url: `${this.url}/#code=${code}` });
        },
      },
      {
        method: 'POST',
        path: '/auth/session',
        auth: false,
        handle: async (req, res) => {
          const body = (await readJsonBody(req, 4096)) as { code?: unknown; token?: unknown } | null;
          const cookie = typeof body === 'object' && body !== null ? auth.signIn(body) : undefined;
          if (!cookie) {
            return sendJson(res, 401, {
              error:
                'that sign-in link was used already or has expired, or the token is wrong; run `switchboard open` for a new link',
            });
          }
          res.writeHead(204, { 'Set-Cookie': cookie, 'Cache-Control': 'no-store' }).end();
        },
      },
    ];
  }

  private authorized(req: IncomingMessage): boolean {
    if (this.options.dashboard?.auth.hasSession(req)) return true;
    const given = Buffer.from(/^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '');
    const expected = Buffer.from(this.options.token);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  /** 200 when every enabled server is ready, 207 when some are, 503 when none is. */
  private readiness(res: ServerResponse): void {
    const snapshot = this.options.supervisor.snapshot();
    const enabled = snapshot.servers.filter((s) => s.enabled);
    const ready = enabled.filter((s) => s.state === 'ready').length;
    const status = enabled.length > 0 && ready === enabled.length ? 200 : ready > 0 ? 207 : 503;
    sendJson(res, status, {
      ready,
      enabled: enabled.length,
      servers: enabled.map((s) => ({ name: s.name, state: s.state })),
    });
  }
}
