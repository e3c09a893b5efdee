import type { Clock } from '../flow/clock.js';
import { ServerActor } from '../actor/server-actor.js';
import { ProcessLink } from '../actor/process-link.js';
import { DEFAULT_RESTART_POLICY } from '../actor/backoff.js';
import type { Link } from '../actor/link.js';
import type { ProcessSpawner } from '../process/types.js';
import { StdioUpstream } from '../upstream/stdio-upstream.js';
import { HttpUpstream } from '../upstream/http-upstream.js';
import { SseUpstream } from '../upstream/sse-upstream.js';
import { RemoteLink } from '../upstream/remote-link.js';
import { describeUrl } from '../upstream/remote-http.js';
import type { ClientIdentity, Upstream } from '../upstream/upstream.js';
import type { ServerResolver } from './server-resolver.js';
import type { ServerConfig } from '../../shared/config.js';
import type { EngineEvent } from '../../shared/events.js';

export interface ServerFactoryOptions {
  clock: Clock;
  spawner: ProcessSpawner;
  resolver: ServerResolver;
  log: (line: string) => void;
  pingIntervalMs?: number;
  pingTimeoutMs?: number;
  /** How long a server has to answer `server/discover` before it is spoken to in 2025-11-25 (default 10 s). */
  discoverTimeoutMs?: number;
  onServerStderr?: (server: string, line: string) => void;
  /** A local server's process started (each run): for the mark in its log. */
  onServerProcess?: (server: string, pid: number | undefined) => void;
  maskEvent?: (event: EngineEvent) => EngineEvent;
}

/** One configured server as the engine runs it: its lifecycle and the upstream the gateway sends to. */
export interface BuiltServer {
  actor: ServerActor;
  upstream: Upstream;
}

const DEFAULTS = {
  startupTimeoutMs: 30_000,
  shutdownTimeoutMs: 5_000,
  drainTimeoutMs: 10_000,
  requestTimeoutMs: 60_000,
  pingIntervalMs: 30_000,
  pingTimeoutMs: 10_000,
};

const MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

/**
 * Builds a server from its config entry: the upstream and the link fit its transport (a local
 * process, Streamable HTTP, legacy SSE); the lifecycle is the same ServerActor for all of them.
 */
export function buildServer(
  name: string,
  config: ServerConfig,
  options: ServerFactoryOptions,
  /** For one client's own upstream (per-client sessions); absent: the shared one. */
  client?: ClientIdentity,
): BuiltServer {
  const { upstream, link } = buildConnection(name, config, options, client);
  const actor = new ServerActor({
    name,
    link,
    clock: options.clock,
    startupTimeoutMs: config.startupTimeoutMs ?? DEFAULTS.startupTimeoutMs,
    policy: { ...DEFAULT_RESTART_POLICY, ...config.restart },
    // Masked before the link hears a reason: reasons end up in errors sent to clients.
    maskEvent: options.maskEvent,
    onInternalError: (err) => options.log(`${name}: internal error: ${String(err)}`),
  });
  return { actor, upstream };
}

function buildConnection(
  name: string,
  config: ServerConfig,
  options: ServerFactoryOptions,
  client: ClientIdentity | undefined,
): { upstream: Upstream; link: Link } {
  const common = {
    server: name,
    clock: options.clock,
    maxMessageBytes: MAX_MESSAGE_BYTES,
    requestTimeoutMs: DEFAULTS.requestTimeoutMs,
    drainTimeoutMs: config.drainTimeoutMs ?? DEFAULTS.drainTimeoutMs,
    pingIntervalMs: options.pingIntervalMs ?? DEFAULTS.pingIntervalMs,
    pingTimeoutMs: options.pingTimeoutMs ?? DEFAULTS.pingTimeoutMs,
    ...(options.discoverTimeoutMs !== undefined ? { discoverTimeoutMs: options.discoverTimeoutMs } : {}),
    clientInfo: client?.clientInfo ?? { name: 'switchboard', version: '0' },
    ...(client ? { clientCapabilities: client.capabilities } : {}),
    log: (line: string) => options.log(`${name}: ${line}`),
  };
  if (config.type === 'stdio') {
    const upstream = new StdioUpstream({
      ...common,
      onStderr: (line) => options.onServerStderr?.(name, line),
      onProcessStarted: (pid) => options.onServerProcess?.(name, pid),
    });
    const link = new ProcessLink({
      spec: () => options.resolver.spawnSpec(name, config),
      spawner: options.spawner,
      connection: upstream,
      shutdownTimeoutMs: config.shutdownTimeoutMs ?? DEFAULTS.shutdownTimeoutMs,
    });
    return { upstream, link };
  }
  const remote = { ...common, target: () => options.resolver.remoteTarget(name, config) };
  const upstream = config.type === 'sse' ? new SseUpstream(remote) : new HttpUpstream(remote);
  return { upstream, link: new RemoteLink(upstream, describeUrl(config.url), options.clock) };
}
