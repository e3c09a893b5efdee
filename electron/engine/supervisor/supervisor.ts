import { availableParallelism } from 'node:os';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import pLimit from 'p-limit';
import type { Clock } from '../flow/clock.js';
import type { ServerActor } from '../actor/server-actor.js';
import type { ConfigService } from '../config/config-service.js';
import type { ProcessSpawner } from '../process/types.js';
import type { SecretStore } from '../secrets/secret-store.js';
import { UsageSampling } from './usage-sampling.js';
import { ServerResolver } from './server-resolver.js';
import type { RequestAuthorizer } from '../upstream/remote-connection.js';
import type { ClientIdentity, Upstream } from '../upstream/upstream.js';
import type { FileWatcher } from '../watch/file-watcher.js';
import { watchServer } from './server-watcher.js';
import { OwnInstance } from './own-instance.js';
import { buildServer, type BuiltServer, type ServerFactoryOptions } from './server-factory.js';
import { EngineEventBus } from './event-bus.js';
import type { RemoteServerConfig, ServerConfig } from '../../shared/config.js';
import type { EngineEvent } from '../../shared/events.js';

export interface SupervisorOptions {
  config: ConfigService;
  secrets: SecretStore;
  spawner: ProcessSpawner;
  clock: Clock;
  env: Readonly<Record<string, string | undefined>>;
  homedir: string;
  log: (line: string) => void;
  /** How often to sample CPU/memory of running servers while someone looks (default 5 s; 0 = never). */
  usageIntervalMs?: number;
  /** ...and while nobody does (default 60 s). */
  unwatchedUsageIntervalMs?: number;
  /** Health pings (defaults: every 30 s, 10 s to answer). */
  pingIntervalMs?: number;
  pingTimeoutMs?: number;
  /** How long a server has to answer `server/discover` before it is spoken to in 2025-11-25 (default 10 s). */
  discoverTimeoutMs?: number;
  /** A server's stderr, line by line (to its log file). */
  onServerStderr?: (server: string, line: string) => void;
  /** A local server's process started (each run, each session's own too). */
  onServerProcess?: (server: string, pid: number | undefined) => void;
  /** Every secret value filled into a server's config (for masking in logs). */
  onSecretValue?: (value: string) => void;
  /** Hides known secret values in an event's text before anyone sees it (reasons quote server output). */
  maskEvent?: (event: EngineEvent) => EngineEvent;
  /** The OAuth client of a remote server (absent: a 401 is an error to fix with headers). */
  authorizer?: (server: string, config: RemoteServerConfig) => RequestAuthorizer;
}

interface ManagedServer {
  config: ServerConfig;
  actor: ServerActor;
  upstream: Upstream;
  /** Upstreams of client sessions that have their own (see `sessions` in the config). */
  instances: Set<OwnInstance>;
  /** The server asked its clients for something (sampling, elicitation, roots): `auto` separates them. */
  asksClients: boolean;
  /** When the shared instance last came up (clock ms), while it is up. */
  readySince?: number | undefined;
  /** Hot reload: restarts the server when its `watch` paths change. */
  watcher?: FileWatcher | undefined;
}

/**
 * How long `auto` watches a server's shared instance after it comes up before a new session may
 * share it: a server that asks its clients something at start is caught (server-everything asks
 * for roots 350 ms after it is initialized).
 */
export const AUTO_WATCH_MS = 1000;

/**
 * Servers starting at once when many come up together (engine start, a big import): twice the
 * cores, at least 4. A start is mostly a runtime loading (CPU); 200 at once would share the cores so
 * thinly that each took longer than its startup timeout, where a few at a time each start at the
 * speed of the server itself.
 */
export const STARTS_AT_ONCE = Math.max(4, availableParallelism() * 2);

/**
 * One actor per configured server, kept in line with the config: servers added to the file start,
 * removed ones stop, changed ones restart, and the rest are left alone (DESIGN §2, §6).
 */
export class Supervisor extends EngineEventBus {
  private readonly servers = new Map<string, ManagedServer>();
  private queue: Promise<void> = Promise.resolve();
  private readonly usage: UsageSampling;
  /** Servers started with the config come up a few at a time (see STARTS_AT_ONCE). */
  private readonly startLimit = pLimit(STARTS_AT_ONCE);
  private readonly resolver: ServerResolver;
  private readonly factory: ServerFactoryOptions;

  constructor(private readonly options: SupervisorOptions) {
    super(options.maskEvent);
    this.resolver = new ServerResolver({ ...options, configDir: () => path.dirname(options.config.file) });
    this.factory = { ...options, resolver: this.resolver };
    this.usage = new UsageSampling({
      intervalMs: options.usageIntervalMs ?? 5000,
      unwatchedIntervalMs: options.unwatchedUsageIntervalMs ?? 60_000,
      running: () => this.runningPids(),
      publish: (event) => this.publish(event),
      now: () => this.now(),
    });
    options.config.on('event', (event) => {
      this.publish(event);
      if (event.type === 'config.applied') void this.reconcile();
    });
  }

  upstreamOf(name: string): Upstream | undefined {
    return this.servers.get(name)?.upstream;
  }

  /** Brings the running servers in line with the config in force. */
  reconcile(): Promise<void> {
    const next = this.queue.then(() => this.reconcileNow());
    this.queue = next.catch((err: unknown) => this.options.log(`reconcile failed: ${String(err)}`));
    return next;
  }

  async start(name: string): Promise<void> {
    await this.managed(name).actor.start();
  }

  async stop(name: string): Promise<void> {
    await this.managed(name).actor.stop('stop requested');
  }

  async restart(name: string): Promise<void> {
    const actor = this.managed(name).actor;
    if (actor.state === 'stopped') await actor.start();
    else await actor.restart({ kind: 'user' });
  }

  /** Requests each server holds while it restarts or reconnects (for /metrics). */
  bufferDepths(): Record<string, number> {
    const depths: Record<string, number> = {};
    for (const [name, managed] of this.servers) depths[name] = managed.upstream.bufferDepth;
    return depths;
  }

  /** The pid of every local server that is ready. */
  private *runningPids(): Iterable<[string, number]> {
    for (const [name, managed] of this.servers) {
      for (const actor of [managed.actor, ...[...managed.instances].map((i) => i.actor)]) {
        const pid = actor.state === 'ready' ? actor.pid : undefined;
        if (pid !== undefined) yield [name, pid];
      }
    }
  }

  /** Process ids of running servers: only for a last-resort kill when the engine itself dies. */
  pids(): number[] {
    return [...this.servers.values()]
      .flatMap((s) => [s.actor.pid, ...[...s.instances].map((i) => i.actor.pid)])
      .filter((pid): pid is number => pid !== undefined);
  }

  /** Whether a new client session of `name` gets an upstream of its own (`sessions` in the config). */
  ownsUpstream(name: string): boolean {
    const managed = this.servers.get(name);
    if (!managed?.config.enabled) return false;
    const mode = managed.config.sessions ?? 'auto';
    return mode === 'per-client' || (mode === 'auto' && managed.asksClients);
  }

  /**
   * Ms until `auto` knows whether a new session of `name` may share the server (0: it knows now,
   * or the server is not in `auto`, or not up).
   */
  sessionsDecidedIn(name: string): number {
    const managed = this.servers.get(name);
    if (!managed || (managed.config.sessions ?? 'auto') !== 'auto' || managed.asksClients) return 0;
    if (managed.readySince === undefined) return 0;
    return Math.max(0, managed.readySince + AUTO_WATCH_MS - this.now());
  }

  /**
   * A client session's own upstream of `name`, initialized as that client would initialize the
   * server, starting now; `stop` ends it and its process. Hot reload restarts it with the rest.
   */
  openInstance(name: string, client: ClientIdentity): OwnInstance | undefined {
    const managed = this.servers.get(name);
    // A server someone stopped stays stopped for new sessions too.
    if (!managed?.config.enabled || managed.actor.state === 'stopped') return undefined;
    const instance = new OwnInstance(this.buildInstance(name, managed.config, client), client, (ended) =>
      this.servers.get(name)?.instances.delete(ended),
    );
    managed.instances.add(instance);
    void instance.actor.start();
    return instance;
  }

  private buildInstance(name: string, config: ServerConfig, client: ClientIdentity): BuiltServer {
    const built = buildServer(name, config, this.factory, client);
    built.actor.on('event', (event) => {
      if (event.type === 'server.state' && (event.to === 'backoff' || event.to === 'failed'))
        this.options.log(`${name} (a client's own upstream): ${event.to}: ${event.reason}`);
    });
    return built;
  }

  private async stopInstances(managed: ManagedServer, reason: string): Promise<void> {
    const instances = [...managed.instances];
    managed.instances.clear();
    await Promise.all(instances.map((i) => i.stop(reason)));
  }

  /** Samples CPU/memory of every running local server on an interval, into the snapshot. */
  startUsageSampling(): void {
    this.usage.start();
  }

  /** One sample of every running local server now (the timer calls this too). */
  sampleUsage(): Promise<void> {
    return this.usage.sample();
  }

  /** The usage figures are about to be read: fresh ones first if the last are old (see UsageSampling). */
  freshUsage(): Promise<void> {
    return this.usage.fresh();
  }

  /** Someone follows the figures (the window): sampled at the quick pace until the release. */
  watchUsage(): () => void {
    return this.usage.watch();
  }

  /** Stops every server (bounded by each one's shutdown timeout). */
  async stopAll(): Promise<void> {
    this.usage.stop();
    await this.queue;
    await Promise.all([...this.servers.values()].map((s) => s.watcher?.close()));
    await Promise.all([...this.servers.values()].map((s) => this.stopInstances(s, 'engine stopping')));
    await Promise.all([...this.servers.values()].map((s) => s.actor.stop('engine stopping')));
  }

  private async reconcileNow(): Promise<void> {
    const desired = this.options.config.current.mcpServers;
    const work: Promise<void>[] = [];
    for (const [name, managed] of this.servers) {
      const wanted = desired[name];
      if (!wanted) work.push(this.remove(name, managed));
      else if (!isDeepStrictEqual(wanted, managed.config)) work.push(this.replace(name, managed, wanted));
    }
    for (const [name, config] of Object.entries(desired)) {
      if (!this.servers.has(name)) work.push(this.add(name, config));
    }
    await Promise.all(work);
  }

  private async add(name: string, config: ServerConfig): Promise<void> {
    const { actor, upstream } = buildServer(name, config, this.factory);
    const managed: ManagedServer = { config, actor, upstream, instances: new Set(), asksClients: false };
    upstream.on('serverRequest', (message) => {
      if (message.method !== 'ping') managed.asksClients = true;
    });
    this.servers.set(name, managed);
    this.publish({
      type: 'server.added',
      server: name,
      transport: config.type,
      enabled: config.enabled,
      at: this.now(),
    });
    actor.on('event', (event) => {
      if (event.type === 'server.state') managed.readySince = event.to === 'ready' ? event.at : undefined;
      this.announce(event);
    });
    this.reportLists(name, upstream);
    if (config.enabled) {
      const actors = () => [actor, ...[...managed.instances].map((i) => i.actor)];
      managed.watcher = await watchServer(name, config, actors, {
        configDir: path.dirname(this.options.config.file),
        homedir: this.options.homedir,
        log: this.options.log,
      });
    }
    if (config.enabled && config.autoStart) await this.startLimit(() => actor.start());
  }

  private async remove(name: string, managed: ManagedServer): Promise<void> {
    await managed.watcher?.close();
    await this.stopInstances(managed, 'removed from the config');
    await managed.actor.stop('removed from the config');
    this.servers.delete(name);
    this.publish({ type: 'server.removed', server: name, at: this.now() });
  }

  /** A changed entry: a fresh actor with the new config; only this server restarts. */
  private async replace(name: string, managed: ManagedServer, config: ServerConfig): Promise<void> {
    await managed.watcher?.close();
    const instances = [...managed.instances];
    managed.instances.clear();
    await managed.actor.stop('config changed');
    this.servers.delete(name);
    this.publish({ type: 'server.removed', server: name, at: this.now() });
    await this.add(name, config);
    // Sessions with their own instance live on: each gets one built from the new entry.
    const next = this.servers.get(name)!;
    if (!config.enabled) {
      await Promise.all(instances.map((i) => i.stop('disabled in the config')));
      return;
    }
    for (const instance of instances) {
      next.instances.add(instance);
      void instance.replace(this.buildInstance(name, config, instance.client), this.options.clock);
    }
  }

  /** The counts in the snapshot follow the upstream's lists. */
  private reportLists(name: string, upstream: Upstream): void {
    upstream.on('listsChanged', () =>
      this.publish({
        type: 'server.lists',
        server: name,
        tools: upstream.lists.tools?.length ?? 0,
        prompts: upstream.lists.prompts?.length ?? 0,
        resources: upstream.lists.resources?.length ?? 0,
        at: this.now(),
      }),
    );
  }

  /** A remote server's config with references filled in (OAuth settings need the client secret). */
  async remoteConfig(name: string): Promise<RemoteServerConfig | undefined> {
    const config = this.servers.get(name)?.config ?? this.options.config.current.mcpServers[name];
    return config ? this.resolver.remoteConfig(name, config) : undefined;
  }

  private managed(name: string): ManagedServer {
    const managed = this.servers.get(name);
    if (!managed) throw new Error(`no server named "${name}" is configured`);
    return managed;
  }

  private now(): number {
    return this.options.clock.now();
  }
}
