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
import type { LogStore } from '../persistence/log-store.js';
import type { RestartHistory } from '../persistence/restart-history.js';
import type { Supervisor } from '../supervisor/supervisor.js';
import type { Upstream } from '../upstream/upstream.js';
import { UpstreamError } from '../upstream/upstream-error.js';
import { ApiError, unknownServer } from './api-error.js';

/** What the handlers need of the engine; narrow, so a test can hand in small fakes. */
export interface EngineApiDeps {
  supervisor: Pick<Supervisor, 'snapshot' | 'start' | 'stop' | 'restart' | 'reconcile'> & {
    upstreamOf(name: string): Pick<Upstream, 'lists' | 'request'> | undefined;
    on(event: 'event', listener: (event: EngineEvent) => void): unknown;
    off(event: 'event', listener: (event: EngineEvent) => void): unknown;
  };
  config: Pick<ConfigService, 'file' | 'raw' | 'invalid' | 'update' | 'replace'>;
  logs: Pick<LogStore, 'tail' | 'follow'>;
  history: Pick<RestartHistory, 'read'>;
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

  listServers: Handler<'listServers'> = async () => this.deps.supervisor.snapshot();

  getServer: Handler<'getServer'> = async ({ server }) => this.serverSnapshot(server);

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
    const { config } = this.deps;
    if (config.invalid) {
      throw new ApiError(
        409,
        `the config file ${config.file} is invalid, so it was not changed; fix it first (or PUT /api/v1/config):\n${formatProblems(config.invalid)}`,
        config.invalid,
      );
    }
    await config.update((raw) => {
      const entry = (raw.mcpServers as Record<string, Record<string, unknown>> | undefined)?.[server];
      if (!entry) throw unknownServer(server);
      entry.enabled = enabled;
    });
    // The reload queued a reconcile; this one runs after it, so the answer shows the outcome.
    await this.deps.supervisor.reconcile();
    return this.serverSnapshot(server);
  };

  getLogs: Handler<'getLogs'> = async ({ server, lines, search }) => {
    this.serverSnapshot(server);
    const needle = search?.toLowerCase();
    const match = needle === undefined ? undefined : (line: string) => line.toLowerCase().includes(needle);
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
    const upstream = this.deps.supervisor.upstreamOf(server);
    if (!upstream) {
      return { error: engineError('SERVER_UNAVAILABLE', { server, detail: 'it has no MCP connection' }) };
    }
    try {
      const response = await upstream.request('tools/call', { name: tool, arguments: args });
      if (response.error) return { error: response.error };
      return { result: response.result as Extract<ApiOutput<'callTool'>, { result: unknown }>['result'] };
    } catch (err) {
      if (err instanceof UpstreamError) return { error: err.error };
      throw err;
    }
  };

  events: StreamHandler<'events'> = async (_input, send) => {
    this.deps.supervisor.on('event', send);
    return () => this.deps.supervisor.off('event', send);
  };

  followLogs: StreamHandler<'followLogs'> = async ({ server, lines }, send) => {
    this.serverSnapshot(server);
    const { backlog, stop } = this.deps.logs.follow(server, lines, send);
    // Synchronously after `follow`, so no new line can get ahead of the backlog.
    for (const line of backlog) send(line);
    return stop;
  };

  private serverSnapshot(name: string): ApiOutput<'getServer'> {
    const found = this.deps.supervisor.snapshot().servers.find((s) => s.name === name);
    if (!found) throw unknownServer(name);
    return found;
  }
}
