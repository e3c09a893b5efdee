import type {
  ApiHandlers,
  ApiOutput,
  ApiParsedInput,
  ApiStreamHandlers,
  ApiStreamItem,
  ApiStreamParsedInput,
} from '../../shared/api.js';
import { formatProblems } from '../../shared/config-errors.js';
import { engineError } from '../../shared/errors.js';
import type { EngineEvent } from '../../shared/events.js';
import type { ConfigService } from '../config/config-service.js';
import type { CallSeries } from '../metrics/call-series.js';
import type { UsageHistory } from '../metrics/usage-history.js';
import type { LogStore } from '../persistence/log-store.js';
import type { RestartHistory } from '../persistence/restart-history.js';
import type { Supervisor } from '../supervisor/supervisor.js';
import type { Upstream } from '../upstream/upstream.js';
import { ApiError, unknownServer } from '../errors/api-error.js';
import { parseLogLine } from '../../shared/log-lines.js';
import type { ExtensionCatalog } from './extension-catalog.js';
import type { SecretCatalog } from '../secrets/secret-catalog.js';
import type { OAuthManager } from '../oauth/oauth-manager.js';
import type { ClientManager } from '../clients/client-manager.js';
import { ClientError } from '../clients/client-error.js';
import type { ToolCallApi } from '../../shared/tool-call-events.js';

/** What the handlers need of the engine; narrow, so a test can hand in small fakes. */
export interface EngineApiDeps {
  supervisor: Pick<
    Supervisor,
    'snapshot' | 'start' | 'stop' | 'restart' | 'reconcile' | 'freshUsage' | 'watchUsage'
  > & {
    upstreamOf(name: string): Pick<Upstream, 'lists'> | undefined;
    on(event: 'event', listener: (event: EngineEvent) => void): unknown;
    off(event: 'event', listener: (event: EngineEvent) => void): unknown;
  };
  config: Pick<ConfigService, 'file' | 'raw' | 'current' | 'invalid' | 'update' | 'replace'>;
  logs: Pick<LogStore, 'tail' | 'follow'>;
  history: Pick<RestartHistory, 'read'>;
  calls: Pick<CallSeries, 'buckets'>;
  /** CPU and memory of the last hour per server. */
  usage: Pick<UsageHistory, 'points'>;
  extensions: ExtensionCatalog;
  secrets: Pick<SecretCatalog, 'list' | 'set' | 'delete' | 'credentialsOf'>;
  /** OAuth sign-in of remote servers (electron/engine/oauth/oauth-manager.ts). */
  auth: Pick<OAuthManager, 'status' | 'signIn' | 'signOut'>;
  /** Import from and install into AI clients' config files (electron/engine/clients/). */
  clients: Pick<
    ClientManager,
    | 'list'
    | 'previewImport'
    | 'importClient'
    | 'previewInstall'
    | 'installClient'
    | 'uninstallClient'
    | 'connectInfo'
  >;
  /** The engine's HTTP URL (empty while it does not listen). */
  engineUrl?: () => string;
  /** Tool calls made through the API: each a client session of the gateway (gateway/tool-call.ts). */
  toolCalls: ToolCallApi;
}

type Handler<N extends keyof ApiHandlers> = (input: ApiParsedInput<N>) => Promise<ApiOutput<N>>;
type StreamHandler<S extends keyof ApiStreamHandlers> = (
  input: ApiStreamParsedInput<S>,
  send: (item: ApiStreamItem<S>) => void,
) => Promise<() => void>;

/**
 * Every operation of the API table over the engine (DESIGN §2: commands down, events up). Reads
 * answer from the supervisor's snapshot; actions go through the supervisor and the config service.
 * Transport-neutral: the HTTP routes (and later IPC) are derived from the table and call these.
 */
export class EngineApi implements ApiHandlers, ApiStreamHandlers {
  constructor(private readonly deps: EngineApiDeps) {}

  listServers: Handler<'listServers'> = async () => {
    await this.deps.supervisor.freshUsage();
    return this.deps.supervisor.snapshot();
  };

  getServer: Handler<'getServer'> = async ({ server }) => {
    await this.deps.supervisor.freshUsage();
    return this.serverSnapshot(server);
  };

  startServer: Handler<'startServer'> = async ({ server }) => {
    this.serverSnapshot(server);
    await this.deps.supervisor.start(server);
    return this.serverSnapshot(server);
  };

  stopServer: Handler<'stopServer'> = async ({ server }) => {
    this.serverSnapshot(server);
    await this.deps.supervisor.stop(server);
    return this.serverSnapshot(server);
  };

  restartServer: Handler<'restartServer'> = async ({ server }) => {
    this.serverSnapshot(server);
    await this.deps.supervisor.restart(server);
    return this.serverSnapshot(server);
  };

  /** Through the file, so the choice survives an engine restart; the reload then starts or stops it. */
  setServerEnabled: Handler<'setServerEnabled'> = async ({ server, enabled }) => {
    this.serverSnapshot(server);
    await this.editServers((servers) => {
      const entry = servers[server] as Record<string, unknown> | undefined;
      if (!entry) throw unknownServer(server);
      entry.enabled = enabled;
    });
    return this.serverSnapshot(server);
  };

  putServer: Handler<'putServer'> = async ({ server, config, createOnly }) => {
    await this.editServers((servers) => {
      if (createOnly && servers[server] !== undefined) {
        throw new ApiError(409, `a server named "${server}" exists already; pick another name, or edit it`);
      }
      servers[server] = config;
    });
    return this.serverSnapshot(server);
  };

  removeServer: Handler<'removeServer'> = async ({ server }) => {
    await this.editServers((servers) => {
      if (servers[server] === undefined) throw unknownServer(server);
      delete servers[server];
    });
    return { server, removed: true as const };
  };

  getServerStats: Handler<'getServerStats'> = async ({ server, include }) => {
    this.serverSnapshot(server);
    return {
      server,
      buckets: this.deps.calls.buckets(server),
      usage: include === 'calls' ? [] : this.deps.usage.points(server),
    };
  };

  listExtensions: Handler<'listExtensions'> = async () => ({ extensions: await this.deps.extensions.list() });

  setExtensionServers: Handler<'setExtensionServers'> = ({ extension, servers }) =>
    this.deps.extensions.setServers(extension, servers);

  searchActivity: Handler<'searchActivity'> = (filter) => this.deps.extensions.searchActivity(filter);

  listQuarantine: Handler<'listQuarantine'> = () => this.deps.extensions.listQuarantine();

  listSecrets: Handler<'listSecrets'> = () => this.deps.secrets.list();

  setSecret: Handler<'setSecret'> = ({ name, value }) => this.deps.secrets.set(name, value);

  deleteSecret: Handler<'deleteSecret'> = ({ name }) => this.deps.secrets.delete(name);

  getServerCredentials: Handler<'getServerCredentials'> = async ({ server }) => {
    this.serverSnapshot(server);
    return { server, credentials: await this.deps.secrets.credentialsOf(server) };
  };

  getServerAuth: Handler<'getServerAuth'> = async ({ server }) => {
    this.serverSnapshot(server);
    return this.deps.auth.status(server);
  };

  signIn: Handler<'signIn'> = async ({ server }) => {
    this.serverSnapshot(server);
    return this.deps.auth.signIn(server);
  };

  signOut: Handler<'signOut'> = async ({ server }) => {
    this.serverSnapshot(server);
    return this.deps.auth.signOut(server);
  };

  listClients: Handler<'listClients'> = async ({ project }) => ({
    clients: await this.deps.clients.list(project),
  });

  getConnectInfo: Handler<'getConnectInfo'> = async ({ server }) => {
    if (server !== undefined) this.serverSnapshot(server); // an unknown name is an error, not a snippet
    return this.deps.clients.connectInfo(server, this.deps.engineUrl?.() ?? '');
  };

  previewImport: Handler<'previewImport'> = (input) =>
    clientCall(() => this.deps.clients.previewImport(input));

  importClient: Handler<'importClient'> = (input) => clientCall(() => this.deps.clients.importClient(input));

  previewInstall: Handler<'previewInstall'> = (input) =>
    clientCall(() => this.deps.clients.previewInstall(input));

  installClient: Handler<'installClient'> = (input) =>
    clientCall(() => this.deps.clients.installClient(input));

  uninstallClient: Handler<'uninstallClient'> = (input) =>
    clientCall(() => this.deps.clients.uninstallClient(input));

  approveTools: Handler<'approveTools'> = ({ server, tools }) =>
    this.deps.extensions.approveTools(server, tools);

  setExtensionEnabled: Handler<'setExtensionEnabled'> = ({ extension, enabled }) =>
    this.deps.extensions.setEnabled(extension, enabled);

  setExtensionConfig: Handler<'setExtensionConfig'> = ({ extension, config }) =>
    this.deps.extensions.setConfig(extension, config);

  getSettings: Handler<'getSettings'> = async () => {
    const { port, host, launchAtLogin, theme } = this.deps.config.current.settings;
    return { port, host, launchAtLogin, theme };
  };

  updateSettings: Handler<'updateSettings'> = async (changes) => {
    this.refuseWhileInvalid();
    await this.deps.config.update((raw) => {
      const settings = (raw.settings ?? {}) as Record<string, unknown>;
      for (const [key, value] of Object.entries(changes)) if (value !== undefined) settings[key] = value;
      raw.settings = settings;
    });
    return this.getSettings({});
  };

  getLogs: Handler<'getLogs'> = async ({ server, lines, search }) => {
    this.serverSnapshot(server);
    const needle = search?.toLowerCase();
    // The text is searched, not the time in front of it.
    const match =
      needle === undefined
        ? undefined
        : (line: string) => parseLogLine(line).text.toLowerCase().includes(needle);
    return { server, lines: await this.deps.logs.tail(server, lines, match) };
  };

  getRestartHistory: Handler<'getRestartHistory'> = async ({ server, limit }) => {
    this.serverSnapshot(server);
    return { server, restarts: await this.deps.history.read(server, limit) };
  };

  getConfig: Handler<'getConfig'> = async () => {
    const { config } = this.deps;
    return { file: config.file, config: config.raw, ...(config.invalid ? { problems: config.invalid } : {}) };
  };

  /** The input was checked against the config schema already; the write checks again, atomically. */
  putConfig: Handler<'putConfig'> = async (raw) => {
    await this.deps.config.replace(raw);
    return this.getConfig({});
  };

  listTools: Handler<'listTools'> = async ({ server }) => {
    this.serverSnapshot(server);
    const tools = (this.deps.supervisor.upstreamOf(server)?.lists.tools ??
      []) as ApiOutput<'listTools'>['tools'];
    return { server, tools };
  };

  /** A server's refusal (a JSON-RPC error) is an answer, not a failure of the call: both come back as 200. */
  callTool: Handler<'callTool'> = async ({ server, tool, arguments: args }) => {
    this.serverSnapshot(server);
    const outcome = await this.deps.toolCalls.once({ server, tool, arguments: args });
    if ('cancelled' in outcome)
      return { error: engineError('SERVER_UNAVAILABLE', { server, detail: outcome.cancelled }) };
    if ('error' in outcome) return outcome;
    return { result: outcome.result as Extract<ApiOutput<'callTool'>, { result: unknown }>['result'] };
  };

  startToolCall: Handler<'startToolCall'> = async ({ server, tool, arguments: args }) => {
    this.serverSnapshot(server);
    return { call: this.deps.toolCalls.start({ server, tool, arguments: args }) };
  };

  answerToolCall: Handler<'answerToolCall'> = async ({ call, request, result, error }) => {
    this.deps.toolCalls.answer(call, request, error ? { error } : { result });
    return {};
  };

  cancelToolCall: Handler<'cancelToolCall'> = async ({ call }) => {
    this.deps.toolCalls.cancel(call);
    return {};
  };

  followToolCall: StreamHandler<'followToolCall'> = async ({ call }, send) =>
    this.deps.toolCalls.follow(call, send);

  events: StreamHandler<'events'> = async (_input, send) => {
    this.deps.supervisor.on('event', send);
    // A follower (the window) sees CPU and memory as they change.
    const release = this.deps.supervisor.watchUsage();
    return () => {
      this.deps.supervisor.off('event', send);
      release();
    };
  };

  followLogs: StreamHandler<'followLogs'> = async ({ server, lines }, send) => {
    this.serverSnapshot(server);
    const { backlog, stop } = this.deps.logs.follow(server, lines, send);
    // Synchronously after `follow`, so no new line can get ahead of the backlog.
    for (const line of backlog) send(line);
    return stop;
  };

  /**
   * Changes `mcpServers` in the file (atomically; the reload reconciles), then waits for a reconcile
   * queued after that one, so the answer shows the outcome.
   */
  private async editServers(edit: (servers: Record<string, unknown>) => void): Promise<void> {
    this.refuseWhileInvalid();
    await this.deps.config.update((raw) => {
      const servers = (raw.mcpServers ?? {}) as Record<string, unknown>;
      edit(servers);
      raw.mcpServers = servers;
    });
    await this.deps.supervisor.reconcile();
  }

  private refuseWhileInvalid(): void {
    const { config } = this.deps;
    if (!config.invalid) return;
    throw new ApiError(
      409,
      `the config file ${config.file} is invalid, so it was not changed; fix it first (or PUT /api/v1/config):\n${formatProblems(config.invalid)}`,
      config.invalid,
    );
  }

  private serverSnapshot(name: string): ApiOutput<'getServer'> {
    const found = this.deps.supervisor.snapshot().servers.find((s) => s.name === name);
    if (!found) throw unknownServer(name);
    return found;
  }
}

/** HTTP statuses for why a client operation did not happen (the message says what to do). */
const CLIENT_ERROR_STATUS: Record<ClientError['kind'], number> = {
  unreadable: 422,
  'cannot-edit': 422,
  conflict: 409,
  changed: 409,
  'nothing-to-undo': 404,
  keyring: 503,
};

async function clientCall<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (err instanceof ClientError) throw new ApiError(CLIENT_ERROR_STATUS[err.kind], err.message);
    throw err;
  }
}
