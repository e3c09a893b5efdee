import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { systemClock } from '../../electron/engine/flow/clock.js';
import { ConfigService } from '../../electron/engine/config/config-service.js';
import { Gateway } from '../../electron/engine/gateway/gateway.js';
import { McpHttpEndpoint } from '../../electron/engine/http/mcp-http-endpoint.js';
import { writeEngineInfo } from '../../electron/engine/http/engine-info.js';
import { engineSocketPath } from '../../electron/engine/gateway/socket-path.js';
import { EngineSocketServer } from '../../electron/engine/gateway/socket-server.js';
import { NodeProcessSpawner } from '../../electron/engine/process/process-runner.js';
import { NoSecretStore } from '../../electron/engine/secrets/secret-store.js';
import { Supervisor } from '../../electron/engine/supervisor/supervisor.js';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const ECHO_FIXTURE = path.join(REPO, 'test/fixtures/echo-server.mjs');

/** The stdio entry point of an MCP server package from npm. */
export function npmServerBin(pkg: string, bin: string): string {
  const require = createRequire(import.meta.url);
  const manifest = require.resolve(`${pkg}/package.json`);
  return path.join(path.dirname(manifest), (require(manifest) as { bin: Record<string, string> }).bin[bin]!);
}

/** An engine in this process: config file, supervisor, gateway and the Streamable HTTP endpoint. */
export class InProcessEngine {
  readonly dir: string;
  readonly file: string;
  config!: ConfigService;
  supervisor!: Supervisor;
  gateway!: Gateway;
  endpoint!: McpHttpEndpoint;
  socket!: EngineSocketServer;
  url = '';
  readonly logs: string[] = [];
  private http: Server | undefined;
  private readonly clients: Client[] = [];

  constructor(servers: Record<string, unknown>) {
    mkdirSync(path.join(REPO, '.tmp-test'), { recursive: true });
    this.dir = mkdtempSync(path.join(REPO, '.tmp-test', 'gateway-'));
    this.file = path.join(this.dir, 'config.json');
    this.writeConfig(servers);
  }

  writeConfig(servers: Record<string, unknown>): void {
    writeFileSync(this.file, JSON.stringify({ mcpServers: servers }));
  }

  async start(): Promise<this> {
    const log = (line: string) => this.logs.push(line);
    this.config = new ConfigService({ file: this.file, log, debounceMs: 50 });
    this.supervisor = new Supervisor({
      config: this.config,
      secrets: new NoSecretStore(),
      spawner: new NodeProcessSpawner(),
      clock: systemClock,
      env: process.env,
      homedir: this.dir,
      log,
      pingIntervalMs: 0,
      // Each server's era is what it answers, however long a busy machine takes to start it.
      discoverTimeoutMs: 60_000,
    });
    this.gateway = new Gateway({ supervisor: this.supervisor, clock: systemClock, log });
    this.endpoint = new McpHttpEndpoint({ gateway: this.gateway, clock: systemClock, version: 'test', log });
    this.http = createServer((req, res) => {
      const match = /^\/mcp(?:\/([^/?]+))?(?:\?.*)?$/.exec(req.url ?? '');
      if (!match) return void res.writeHead(404).end();
      this.endpoint.handle(req, res, match[1] === undefined ? undefined : decodeURIComponent(match[1]));
    });
    await new Promise<void>((resolve) => this.http!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.http.address() as AddressInfo).port}`;
    // `switchboard connect` finds this engine through <dir>/engine.json, as it would a real one.
    const token = 'test-token';
    const socketPath = engineSocketPath(this.dir);
    this.socket = new EngineSocketServer({
      path: socketPath,
      token,
      gateway: this.gateway,
      clock: systemClock,
      version: 'test',
      log,
    });
    await this.socket.listen();
    await writeEngineInfo(this.dir, {
      pid: process.pid,
      host: '127.0.0.1',
      port: 0,
      url: this.url,
      token,
      startedAt: Date.now(),
      socket: socketPath,
    });
    await this.config.start();
    await this.supervisor.reconcile();
    return this;
  }

  state(name: string): string | undefined {
    return this.supervisor.snapshot().servers.find((s) => s.name === name)?.state;
  }

  async until(check: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!check()) {
      if (Date.now() > deadline)
        throw new Error(`timed out waiting for ${what}: ${JSON.stringify(this.supervisor.snapshot())}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /** An SDK client connected to `/mcp/NAME` (or `/mcp` without a name). */
  async client(name?: string, capabilities: Record<string, unknown> = {}): Promise<Client> {
    const client = new Client({ name: 'gateway-test', version: '1' }, { capabilities });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(name ? `/mcp/${name}` : '/mcp', this.url)),
    );
    this.clients.push(client);
    return client;
  }

  async stop(): Promise<void> {
    await Promise.all(this.clients.splice(0).map((c) => c.close().catch(() => undefined)));
    this.endpoint?.close();
    await this.socket?.close();
    this.http?.closeAllConnections();
    await new Promise<void>((resolve) => (this.http ? this.http.close(() => resolve()) : resolve()));
    await this.config?.close();
    await this.supervisor?.stopAll();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
