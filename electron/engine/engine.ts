import path from 'node:path';
import { ApiDispatcher } from './api/api-dispatch.js';
import { ToolCalls } from './gateway/tool-calls.js';
import { EngineApi } from './api/engine-api.js';
import { systemClock, type Clock } from './flow/clock.js';
import { ConfigService } from './config/config-service.js';
import { Gateway } from './gateway/gateway.js';
import { engineSocketPath } from './gateway/socket-path.js';
import { EngineSocketServer } from './gateway/socket-server.js';
import { DashboardAuth } from './http/dashboard-auth.js';
import { newToken } from './http/engine-info.js';
import { EngineHttpServer } from './http/http-server.js';
import { McpHttpEndpoint } from './http/mcp-http-endpoint.js';
import { CallSeries } from './metrics/call-series.js';
import { EngineMetrics } from './metrics/engine-metrics.js';
import { UsageHistory } from './metrics/usage-history.js';
import type { Extension } from './extensions/extension.js';
import { ExtensionApi } from './extensions/extension-api.js';
import { ExtensionHost } from './extensions/extension-host.js';
import { builtinExtensions } from './extensions/builtins/builtins.js';
import { LogStore } from './persistence/log-store.js';
import { runMark, stampLogLine } from '../shared/log-lines.js';
import { RestartHistory } from './persistence/restart-history.js';
import { ownPackage } from './runtime/package-root.js';
import { NodeProcessSpawner } from './process/process-runner.js';
import { KeyringSecretStore } from './secrets/keyring-store.js';
import { SecretCatalog } from './secrets/secret-catalog.js';
import { SecretMask } from './secrets/secret-mask.js';
import type { SecretStore } from './secrets/secret-store.js';
import { Supervisor } from './supervisor/supervisor.js';
import { OAuthManager } from './oauth/oauth-manager.js';
import { openInBrowser } from './oauth/open-in-browser.js';
import type { EngineEvent } from '../shared/events.js';
import type { SwitchboardConfig } from '../shared/config.js';
import type { EngineSnapshot } from '../shared/state-view.js';
import type { BridgeCommand } from './clients/client-catalog.js';
import { ClientManager } from './clients/client-manager.js';
import { ClientError } from './clients/client-error.js';
import { formatProblems } from '../shared/config-errors.js';
import { defaultBridge } from './clients/default-bridge.js';

export interface EngineOptions {
  home: string;
  configFile: string;
  /** Where to listen; the config's settings apply when these are undefined. */
  host?: string;
  port?: number;
  homedir: string;
  env: Readonly<Record<string, string | undefined>>;
  version: string;
  log: (line: string) => void;
  onEvent?: (event: EngineEvent) => void;
  /** Where `${secret:NAME}` values live (default: the OS keyring). */
  secrets?: SecretStore;
  clock?: Clock;
  /** The built window served at `/` (default: dist/renderer of this package). */
  dashboardRoot?: string;
  /** The built-in extensions (default: Switchboard's own, fresh instances). */
  extensions?: () => Extension[];
  /** Shows an OAuth sign-in page (default: the platform's browser opener; the tray app passes Electron's shell). */
  openUrl?: (url: string) => Promise<void> | void;
  /** The command AI clients run to reach this engine, written by `install` (default: see defaultBridge). */
  bridge?: BridgeCommand;
  /** Whose client files to look for (default: this machine's). */
  platform?: NodeJS.Platform;
  /** The project folder for project-scoped client files when a call names none (default: the cwd). */
  project?: string;
}

/** dist/renderer of this package, whether the engine runs from source, dist or the CLI bundle. */
function defaultDashboardRoot(): string {
  return path.join(ownPackage()?.root ?? process.cwd(), 'dist', 'renderer');
}

/**
 * The engine as one object (DESIGN §2): config, supervisor, gateway, the HTTP surface and the local
 * socket, wired together. `switchboard serve` runs it headless; the tray app hosts the same thing.
 */
export class Engine {
  readonly config: ConfigService;
  readonly supervisor: Supervisor;
  readonly gateway: Gateway;
  readonly token = newToken();
  readonly socketPath: string;
  private readonly logs: LogStore;
  private http: EngineHttpServer | undefined;
  private readonly api: EngineApi;
  /** The API table's operations and streams for transports other than HTTP (Electron IPC). */
  readonly dispatcher: ApiDispatcher;
  private readonly mcp: McpHttpEndpoint;
  private readonly socket: EngineSocketServer;
  private readonly metrics: EngineMetrics;
  private readonly calls: CallSeries;
  private readonly toolCalls: ToolCalls;
  readonly extensions: ExtensionHost;
  private readonly oauth: OAuthManager;
  /** The engine's own log, known secret values masked. */
  readonly log: (line: string) => void;

  constructor(private readonly options: EngineOptions) {
    const { home } = options;
    // Nothing the engine writes down carries a secret value it knows (or one that looks like one).
    const mask = new SecretMask();
    const log = (line: string) => options.log(mask.mask(line));
    this.log = log;
    const clock = options.clock ?? systemClock;
    this.config = new ConfigService({ file: options.configFile, log });
    this.logs = new LogStore({
      dir: path.join(home, 'logs'),
      onError: (s, e) => log(`cannot write the log of ${s}: ${e.message}`),
    });
    const history = new RestartHistory(path.join(home, 'history'));
    const secretStore = options.secrets ?? new KeyringSecretStore();
    const oauth = new OAuthManager({
      store: secretStore,
      clock,
      log,
      emit: (event) => this.supervisor.publish(event),
      openUrl: options.openUrl ?? ((url) => openInBrowser(url, log)),
      remoteConfig: (server) => this.supervisor.remoteConfig(server),
      state: (server) => this.supervisor.snapshot().servers.find((s) => s.name === server)?.state,
      start: (server) => this.supervisor.start(server),
      restart: (server) => this.supervisor.restart(server),
      remember: (value) => mask.remember(value),
    });
    this.oauth = oauth;
    this.supervisor = new Supervisor({
      config: this.config,
      secrets: secretStore,
      spawner: new NodeProcessSpawner(),
      clock,
      env: options.env,
      homedir: options.homedir,
      log,
      onServerStderr: (server, line) => this.logs.append(server, stampLogLine(clock.now(), mask.mask(line))),
      onServerProcess: (server, pid) => this.logs.append(server, stampLogLine(clock.now(), runMark(pid))),
      onSecretValue: (value) => mask.remember(value),
      maskEvent: (event) => mask.maskDeep(event),
      authorizer: (server, config) => oauth.authorizerFor(server, config),
    });
    this.supervisor.on('event', (event) => {
      if (event.type === 'server.restart') void history.append({ ...event, at: event.startedAt });
      options.onEvent?.(event);
    });
    const emit = (event: EngineEvent) => this.supervisor.publish(event);
    this.extensions = new ExtensionHost({
      home,
      config: this.config,
      clock,
      log,
      emit,
      builtins: (options.extensions ?? builtinExtensions)(),
      gateway: {
        toolsOf: (server) => this.gateway.toolsOf(server),
        servers: () => this.gateway.serverNames(),
        notifyClients: (message, server) => this.gateway.notifyClients(message, server),
        toolListsChanged: () => this.gateway.toolListsChanged(),
      },
    });
    const extensionApi = new ExtensionApi(this.extensions, emit, clock);
    this.supervisor.on('event', (event) => {
      this.extensions.onEngineEvent(event);
      extensionApi.follow(event);
    });
    this.gateway = new Gateway({ supervisor: this.supervisor, clock, log, hooks: this.extensions.pipeline });
    this.metrics = new EngineMetrics({
      bufferDepth: () => this.supervisor.bufferDepths(),
      sessions: () => ({ ...this.mcp.sessionCount, socket: this.socket.sessionCount }),
      extensionHooks: () => this.extensions.hookFigures(),
    });
    this.metrics.attach(this.supervisor);
    // Per-minute figures for the window's charts; each finished minute goes out as an engine event.
    this.calls = new CallSeries(clock, (event) => this.supervisor.emit('event', event));
    // CPU and memory of the last hour, the server entry's: kept across restarts, dropped with it.
    const usage = new UsageHistory(() => clock.now());
    this.supervisor.on('event', (event) => {
      if (event.type === 'server.usage') usage.record(event);
      if (event.type === 'server.removed') {
        this.calls.forget(event.server);
        usage.forget(event.server);
      }
    });
    const observeRequest = (server: string, method: string, status: string, seconds: number) => {
      this.metrics.observeRequest(server, method, status, seconds);
      this.calls.observe(server, status, seconds);
    };
    this.mcp = new McpHttpEndpoint({
      gateway: this.gateway,
      clock,
      version: options.version,
      log,
      onRequest: observeRequest,
    });
    this.socketPath = engineSocketPath(home);
    this.socket = new EngineSocketServer({
      path: this.socketPath,
      token: this.token,
      gateway: this.gateway,
      clock,
      version: options.version,
      log,
      onRequest: observeRequest,
    });
    this.toolCalls = new ToolCalls({
      gateway: this.gateway,
      clock,
      version: options.version,
      observe: (server, status, seconds) => observeRequest(server, 'tools/call', status, seconds),
    });
    const secrets = new SecretCatalog({
      store: secretStore,
      servers: () => {
        const states = new Map(this.supervisor.snapshot().servers.map((s) => [s.name, s.state]));
        return Object.entries(this.config.current.mcpServers).map(([name, config]) => ({
          name,
          config,
          state: states.get(name) ?? 'stopped',
        }));
      },
      start: (server) => this.supervisor.start(server),
      restart: (server) => this.supervisor.restart(server),
      emit,
      now: () => clock.now(),
      log,
      remember: (value) => mask.remember(value),
    });
    this.api = new EngineApi({
      supervisor: this.supervisor,
      secrets,
      auth: oauth,
      config: this.config,
      logs: this.logs,
      history,
      calls: this.calls,
      usage,
      extensions: extensionApi,
      clients: this.clientManager(secretStore),
      engineUrl: () => this.url,
      toolCalls: this.toolCalls,
    });
    this.dispatcher = new ApiDispatcher(this.api);
  }

  /** Imports land in the config file like any edit (atomic, then reconciled). */
  private clientManager(secrets: SecretStore): ClientManager {
    const { options } = this;
    return new ClientManager({
      paths: {
        platform: options.platform ?? process.platform,
        homedir: options.homedir,
        env: options.env,
        project: options.project ?? process.cwd(),
      },
      backupDir: path.join(options.home, 'client-backups'),
      secrets,
      bridge: options.bridge ?? defaultBridge({ env: options.env, home: options.home }),
      config: {
        servers: async () => {
          const { invalid, file } = this.config;
          if (invalid) {
            throw new ClientError(
              'conflict',
              `Switchboard's config ${file} is invalid, so nothing was changed; fix it first:\n${formatProblems(invalid)}`,
            );
          }
          return (this.config.raw.mcpServers ?? {}) as Record<string, unknown>;
        },
        putServers: async (entries) => {
          await this.config.update((raw) => {
            raw.mcpServers = { ...((raw.mcpServers ?? {}) as Record<string, unknown>), ...entries };
          });
          await this.supervisor.reconcile();
        },
      },
    });
  }

  get url(): string {
    return this.http?.url ?? '';
  }

  /** Every server's state now (the tray, `status`). */
  snapshot(): EngineSnapshot {
    return this.supervisor.snapshot();
  }

  /** Calls `listener` with every engine event, masked, as it happens; returns how to stop. */
  onEvent(listener: (event: EngineEvent) => void): () => void {
    this.supervisor.on('event', listener);
    return () => this.supervisor.off('event', listener);
  }

  /** The app settings in force (the config file's `settings`). */
  settings(): SwitchboardConfig['settings'] {
    return this.config.current.settings;
  }

  /** The config file the engine reads. */
  get configFile(): string {
    return this.config.file;
  }

  /** Reads the config and listens; servers start in the background (see `snapshot()`). */
  async start(): Promise<void> {
    await this.config.start();
    await this.extensions.start();
    this.http = new EngineHttpServer({
      supervisor: this.supervisor,
      api: this.api,
      token: this.token,
      host: this.options.host ?? this.config.current.settings.host,
      port: this.options.port ?? this.config.current.settings.port,
      log: this.log,
      mcp: (req, res, server) => this.mcp.handle(req, res, server),
      metrics: () => this.metrics.render(),
      dashboard: {
        root: this.options.dashboardRoot ?? defaultDashboardRoot(),
        auth: new DashboardAuth({ home: this.options.home, token: this.token }),
      },
    });
    try {
      await this.http.listen();
      await this.socket.listen().catch((err: Error) => {
        throw new Error(
          `cannot open the local socket ${this.socketPath} for \`switchboard connect\`: ${err.message}`,
        );
      });
    } catch (err) {
      await this.http.close();
      await this.config.close();
      await this.extensions.stop();
      throw err;
    }
    void this.supervisor.reconcile();
    this.supervisor.startUsageSampling();
    this.calls.start();
  }

  /** Stops every server (bounded by their shutdown timeouts) and closes every surface. */
  async stop(): Promise<void> {
    this.oauth.close();
    this.toolCalls.close();
    this.mcp.close();
    await this.socket.close();
    await this.http?.close();
    await this.config.close();
    await this.extensions.stop();
    await this.supervisor.stopAll();
    this.metrics.detach();
    this.calls.stop();
    this.logs.close();
  }
}
