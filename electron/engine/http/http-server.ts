import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { timingSafeEqual } from 'node:crypto';
import type { Supervisor } from '../supervisor/supervisor.js';
import type { EngineSnapshot } from '../state/state-view.js';
import { checkRequest, type GuardOptions } from './request-guard.js';

export interface EngineHttpOptions {
  supervisor: Supervisor;
  token: string;
  host: string;
  port: number;
  guard?: Omit<GuardOptions, 'port'>;
  /** The last lines of a server's log, for GET /api/v1/servers/NAME/logs. */
  tailLog?: (server: string, lines: number) => Promise<string[]>;
  log: (line: string) => void;
}

type Handler = (req: IncomingMessage, res: ServerResponse, params: string[]) => Promise<void> | void;

/**
 * The engine's HTTP surface: health and readiness for probes, the control API (bearer token) and
 * the event stream. Every request passes the Host/Origin guard first.
 */
export class EngineHttpServer {
  private server: Server | undefined;
  private readonly routes: { method: string; pattern: RegExp; auth: boolean; handle: Handler }[];
  private port = 0;

  constructor(private readonly options: EngineHttpOptions) {
    const supervisor = options.supervisor;
    this.routes = [
      {
        method: 'GET',
        pattern: /^\/healthz$/,
        auth: false,
        handle: (_q, res) => json(res, 200, { ok: true }),
      },
      { method: 'GET', pattern: /^\/readyz$/, auth: false, handle: (_q, res) => this.readiness(res) },
      {
        method: 'GET',
        pattern: /^\/api\/v1\/servers$/,
        auth: true,
        handle: (_q, res) => json(res, 200, supervisor.snapshot()),
      },
      {
        method: 'POST',
        pattern: /^\/api\/v1\/servers\/([^/]+)\/(start|stop|restart)$/,
        auth: true,
        handle: async (_q, res, [name, action]) => {
          const server = decodeURIComponent(name!);
          if (!supervisor.snapshot().servers.some((s) => s.name === server)) {
            return json(res, 404, { error: `no server named "${server}"; GET /api/v1/servers lists them` });
          }
          await supervisor[action as 'start' | 'stop' | 'restart'](server);
          json(
            res,
            200,
            supervisor.snapshot().servers.find((s) => s.name === server),
          );
        },
      },
      {
        method: 'GET',
        pattern: /^\/api\/v1\/servers\/([^/]+)\/logs$/,
        auth: true,
        handle: async (req, res, [name]) => {
          const server = decodeURIComponent(name!);
          if (!supervisor.snapshot().servers.some((s) => s.name === server)) {
            return json(res, 404, { error: `no server named "${server}"; GET /api/v1/servers lists them` });
          }
          const lines = Number(new URL(req.url ?? '/', 'http://engine').searchParams.get('lines') ?? 100);
          const count = Number.isFinite(lines) ? Math.min(Math.max(1, Math.floor(lines)), 10_000) : 100;
          json(res, 200, { server, lines: (await options.tailLog?.(server, count)) ?? [] });
        },
      },
      { method: 'GET', pattern: /^\/events$/, auth: true, handle: (req, res) => this.events(req, res) },
    ];
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

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const guard = checkRequest(
      { host: req.headers.host, origin: req.headers.origin },
      { port: this.port, ...this.options.guard },
    );
    if (!guard.ok) return json(res, guard.status, { error: guard.reason });
    const url = new URL(req.url ?? '/', 'http://engine');
    const route = this.routes.find((r) => r.pattern.test(url.pathname) && r.method === req.method);
    if (!route) {
      const known = this.routes.some((r) => r.pattern.test(url.pathname));
      return json(res, known ? 405 : 404, {
        error: known ? `${req.method} is not allowed here` : `nothing at ${url.pathname}`,
      });
    }
    if (route.auth && !this.authorized(req)) {
      res.setHeader('WWW-Authenticate', 'Bearer');
      return json(res, 401, { error: 'missing or wrong bearer token; it is in <home>/engine.json' });
    }
    try {
      await route.handle(req, res, url.pathname.match(route.pattern)!.slice(1));
    } catch (err) {
      this.options.log(`HTTP ${req.method} ${url.pathname} failed: ${String(err)}`);
      if (!res.headersSent) json(res, 500, { error: (err as Error).message });
    }
  }

  private authorized(req: IncomingMessage): boolean {
    const given = Buffer.from(/^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '');
    const expected = Buffer.from(this.options.token);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  /** 200 when every enabled server is ready, 207 when some are, 503 when none is. */
  private readiness(res: ServerResponse): void {
    const snapshot: EngineSnapshot = this.options.supervisor.snapshot();
    const enabled = snapshot.servers.filter((s) => s.enabled);
    const ready = enabled.filter((s) => s.state === 'ready').length;
    const status = enabled.length > 0 && ready === enabled.length ? 200 : ready > 0 ? 207 : 503;
    json(res, status, {
      ready,
      enabled: enabled.length,
      servers: enabled.map((s) => ({ name: s.name, state: s.state })),
    });
  }

  /** Server-sent events: every engine event as it happens, with a keep-alive comment. */
  private events(req: IncomingMessage, res: ServerResponse): void {
    res.writeHead(200, {
      'Content-Type': 'text/event-stream',
      'Cache-Control': 'no-cache',
      Connection: 'keep-alive',
    });
    res.write(': connected\n\n');
    const send = (event: unknown) => res.write(`data: ${JSON.stringify(event)}\n\n`);
    this.options.supervisor.on('event', send);
    const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
    req.on('close', () => {
      clearInterval(keepAlive);
      this.options.supervisor.off('event', send);
    });
  }
}

function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}
