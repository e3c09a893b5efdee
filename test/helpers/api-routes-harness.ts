/**
 * The engine's HTTP server over the real EngineApi with small fakes (supervisor, log store, secrets),
 * for the route tests in electron/engine/api/ (here, outside the engine's folders, as it joins several). The bindings are live: each test gets fresh ones.
 */
import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import type { EngineEvent } from '../../electron/shared/events.js';
import { EngineHttpServer, type EngineHttpServerOptions } from '../../electron/engine/http/http-server.js';
import { LogStore } from '../../electron/engine/persistence/log-store.js';
import type { ServerSnapshot } from '../../electron/shared/state-view.js';
import { configSchema, serverConfigSchema } from '../../electron/shared/config.js';
import { SecretCatalog } from '../../electron/engine/secrets/secret-catalog.js';
import { MemorySecretStore } from '../../electron/engine/secrets/secret-store.js';
import { EngineApi, type EngineApiDeps } from '../../electron/engine/api/engine-api.js';
import { EmptyExtensionCatalog } from '../../electron/engine/api/extension-catalog.js';
import { OAuthManager } from '../../electron/engine/oauth/oauth-manager.js';
import { systemClock } from '../../electron/engine/flow/clock.js';
import { ClientManager } from '../../electron/engine/clients/client-manager.js';

export const TOKEN = 'test-token';

export const echo: ServerSnapshot = {
  name: 'echo',
  transport: 'stdio',
  enabled: true,
  state: 'ready',
  reason: 'initialized',
  since: 1,
  restarts: 0,
  lastError: undefined,
  tools: 1,
  cpuPercent: undefined,
  rssBytes: undefined,
  processes: undefined,
  sessions: 0,
};

export class FakeSupervisor extends EventEmitter<{ event: [EngineEvent] }> {
  actions: string[] = [];
  snapshot = () => ({ servers: [echo], configProblems: undefined, pendingApprovals: 0 });
  start = async (name: string) => void this.actions.push(`start ${name}`);
  stop = async (name: string) => void this.actions.push(`stop ${name}`);
  restart = async (name: string) => void this.actions.push(`restart ${name}`);
  reconcile = async () => {};
  /** Who asked for usage figures: reads (fresh) and followers (watch/unwatch). */
  usage: string[] = [];
  freshUsage = async () => void this.usage.push('fresh');
  watchUsage = () => {
    this.usage.push('watch');
    return () => void this.usage.push('unwatch');
  };
  upstreamOf = (name: string) =>
    name === 'echo'
      ? {
          lists: { tools: [{ name: 'echo', inputSchema: { type: 'object' } }] },
        }
      : undefined;
}

export let dir: string;
export let logs: LogStore;
export let supervisor: FakeSupervisor;
export let replaced: Record<string, unknown>[];
export let server: EngineHttpServer;
export let base: string;
export let port: number;
export let secretStore: MemorySecretStore;
export let restarted: string[];
export let emitted: EngineEvent[];

export async function startServer(extra: Partial<EngineHttpServerOptions> = {}): Promise<void> {
  await server?.close();
  const deps: Omit<EngineApiDeps, 'clients'> = {
    supervisor,
    config: {
      file: '/tmp/config.json',
      raw: { mcpServers: { echo: { command: 'node' } } },
      current: configSchema.parse({ mcpServers: { echo: { command: 'node' } } }),
      invalid: undefined,
      update: async () => {},
      replace: async (raw) => void replaced.push(raw),
    },
    logs,
    toolCalls: {
      once: async (request) => ({ result: { content: [{ type: 'text', text: JSON.stringify(request) }] } }),
      start: () => 'call-1',
      answer: () => {},
      cancel: () => {},
      follow: () => () => {},
    },
    history: { read: async () => [] },
    calls: { buckets: () => [{ at: 60_000, calls: 3, errors: 1, p50Ms: 2, p99Ms: 9 }] },
    usage: { points: () => [{ at: 60_000, cpuPercent: 1.5, rssBytes: 50_000_000 }] },
    extensions: new EmptyExtensionCatalog(),
    secrets: new SecretCatalog({
      store: secretStore,
      servers: () => [
        {
          name: 'echo',
          config: serverConfigSchema.parse({ command: 'node', env: { KEY: '${secret:echo-key}' } }),
          state: 'ready',
        },
      ],
      start: async () => {},
      restart: async (name) => void restarted.push(name),
      emit: (event) => void emitted.push(event),
      now: () => 1,
      log: () => {},
    }),
    auth: new OAuthManager({
      store: secretStore,
      clock: systemClock,
      log: () => {},
      emit: (event) => void emitted.push(event),
      openUrl: () => {},
      remoteConfig: async () => undefined, // echo is a local server
      state: (name) => (name === 'echo' ? 'ready' : undefined),
      start: async () => {},
      restart: async () => {},
      remember: () => {},
    }),
  };
  server = new EngineHttpServer({
    supervisor,
    api: new EngineApi({ ...deps, clients: clientsIn(dir) }),
    token: TOKEN,
    host: '127.0.0.1',
    port: 0,
    log: () => {},
    ...extra,
  });
  port = await server.listen();
  base = server.url;
}

/** Registers the per-test engine HTTP server (fresh folder, log store, fake supervisor, secrets). */
export function useApiRoutes(): void {
  beforeEach(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'sb-api-routes-'));
    logs = new LogStore({ dir });
    supervisor = new FakeSupervisor();
    replaced = [];
    secretStore = new MemorySecretStore({ 'other-token': 'short' });
    restarted = [];
    emitted = [];
    await startServer();
  });

  afterEach(async () => {
    await server.close();
    logs.close();
    rmSync(dir, { recursive: true, force: true });
  });
}

export const auth = { Authorization: `Bearer ${TOKEN}` };

export async function api(
  method: string,
  url: string,
  body?: unknown,
  headers: Record<string, string> = auth,
) {
  const response = await fetch(`${base}${url}`, {
    method,
    headers: { ...headers, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** Client files under a fresh home folder: none exist, so every client is "not found". */
export function clientsIn(home: string): ClientManager {
  return new ClientManager({
    paths: { platform: 'linux', homedir: home, env: {}, project: home },
    backupDir: path.join(home, 'client-backups'),
    secrets: secretStore,
    bridge: { command: 'switchboard', args: [] },
    config: { servers: async () => ({}), putServers: async () => {} },
  });
}
