import { EventEmitter } from 'node:events';
import type { Clock } from '../flow/clock.js';
import { listChangedKind, type ListKind } from '../protocol/list-tracker.js';
import { COMING_UP } from '../flow/hold-gate.js';
import type { ServerSnapshot } from '../../shared/state-view.js';
import type { ClientIdentity, Upstream, UpstreamInfo } from '../upstream/upstream.js';
import type { EngineEvent, ServerState } from '../../shared/events.js';
import type { JsonRpcMessage } from '../jsonrpc/messages.js';
import type { Tool } from '../extensions/extension.js';
import type { HookPipeline } from '../extensions/hook-pipeline.js';
import { ServerRouter } from './server-router.js';
import { InputRounds } from './input-rounds.js';
import { ClientUpstreams } from './client-upstreams.js';
import { openOwnUpstream, type OwnInstance, type OwnUpstream } from './own-upstream.js';

/** What the gateway needs from the supervisor. */
export interface GatewaySupervisor {
  on(event: 'event', listener: (event: EngineEvent) => void): unknown;
  snapshot(): { servers: readonly ServerSnapshot[] };
  upstreamOf(name: string): Upstream | undefined;
  publish(event: EngineEvent): void;
  /** Whether a new client session of `name` gets an upstream of its own. */
  ownsUpstream(name: string): boolean;
  /** Ms until that is known (`auto` watches a server that just came up); 0: known now. */
  sessionsDecidedIn(name: string): number;
  /** Starts a server instance of one client session's own (undefined: the server is disabled or stopped). */
  openInstance(name: string, client: ClientIdentity): OwnInstance | undefined;
}

export interface GatewayOptions {
  supervisor: GatewaySupervisor;
  clock: Clock;
  log: (line: string) => void;
  /** How long an `initialize` waits for a server that is still starting. */
  startupWaitMs?: number;
  /** The extensions' hooks (none: messages pass untouched). */
  hooks?: HookPipeline;
}

const LISTED: ReadonlySet<ServerState> = new Set([...COMING_UP, 'ready']);

export type ServerInfoResult = { ok: true; info: UpstreamInfo } | { ok: false; detail: string };

interface GatewayEvents {
  /** A server's tools/prompts/resources changed, or it came or went: aggregated lists differ. */
  listsChanged: [server: string, kinds: ListKind[]];
}

/** One router per configured server, shared by every session on every surface (DESIGN §3). */
export class Gateway extends EventEmitter<GatewayEvents> {
  private readonly routers = new Map<string, ServerRouter>();
  /** 2026-07-28 requests waiting for their client's input, on every endpoint. */
  readonly inputRounds: InputRounds;
  /** Upstreams of their own for 2026-07-28 clients (no session), by who they are. */
  readonly clientUpstreams: ClientUpstreams;
  /** Sessions with an upstream of their own, by server (they count among its sessions). */
  private readonly ownSessions = new Map<string, number>();

  constructor(private readonly options: GatewayOptions) {
    super();
    this.inputRounds = new InputRounds(options.clock);
    this.clientUpstreams = new ClientUpstreams(
      (name, client) => this.ownUpstream(name, client),
      options.clock,
    );
    // Every aggregated session listens for list changes: as many listeners as sessions (the
    // endpoints cap those), which is no leak.
    this.setMaxListeners(0);
    options.supervisor.on('event', (event) => this.onEvent(event));
  }

  /** The router of a configured server (undefined when no server has that name). */
  router(name: string): ServerRouter | undefined {
    const existing = this.routers.get(name);
    if (existing) return existing;
    if (!this.server(name)) return undefined;
    const router = new ServerRouter({
      server: name,
      clock: this.options.clock,
      upstream: () => this.options.supervisor.upstreamOf(name),
      log: this.options.log,
      ...(this.options.hooks ? { hooks: this.options.hooks } : {}),
    });
    router.on('listsChanged', (kinds) => this.emit('listsChanged', name, kinds));
    router.on('sessions', () => this.publishSessions(name));
    this.routers.set(name, router);
    return router;
  }

  server(name: string): ServerSnapshot | undefined {
    return this.options.supervisor.snapshot().servers.find((s) => s.name === name);
  }

  /**
   * Enabled servers that are up or coming back (for the aggregated endpoint). A server in a restart
   * keeps its place, with the lists it had, so a hot reload does not make its tools flicker.
   */
  readyServers(): { name: string; router: ServerRouter; upstream: Upstream }[] {
    const ready: { name: string; router: ServerRouter; upstream: Upstream }[] = [];
    for (const s of this.options.supervisor.snapshot().servers) {
      if (!s.enabled || !LISTED.has(s.state)) continue;
      const router = this.router(s.name);
      const upstream = router?.rebind();
      if (router && upstream?.info) ready.push({ name: s.name, router, upstream });
    }
    return ready;
  }

  /** A line for the engine's log. */
  log(line: string): void {
    this.options.log(line);
  }

  get hooks(): HookPipeline | undefined {
    return this.options.hooks?.active ? this.options.hooks : undefined;
  }

  /** A server's tools as it lists them now (before any extension's filter). */
  toolsOf(name: string): Tool[] {
    return (this.options.supervisor.upstreamOf(name)?.lists.tools ?? []) as Tool[];
  }

  serverNames(): string[] {
    return this.options.supervisor.snapshot().servers.map((s) => s.name);
  }

  /**
   * An extension's notification to clients: of one server, or of all. A tools list_changed also
   * reaches aggregated sessions, which announce their own.
   */
  notifyClients(message: JsonRpcMessage, server?: string): void {
    const routers =
      server === undefined ? this.allRouters() : [this.router(server)].filter((r) => r !== undefined);
    const seen = new Set<unknown>();
    for (const router of routers) router.broadcast(message, seen);
    const kind = listChangedKind(message.method ?? '');
    if (kind) this.emit('listsChanged', server ?? '*', [kind]);
  }

  /** Every session's tool list differs (an extension that shapes lists was switched or changed). */
  toolListsChanged(): void {
    this.notifyClients({ jsonrpc: '2.0', method: 'notifications/tools/list_changed' });
  }

  allRouters(): ServerRouter[] {
    for (const s of this.options.supervisor.snapshot().servers) this.router(s.name);
    return [...this.routers.values()];
  }

  /**
   * The server's InitializeResult for a client's `initialize`: at once when known, after a bounded
   * wait when the server is still coming up, else a sentence saying why not and what to do.
   */
  async serverInfo(name: string): Promise<ServerInfoResult> {
    const deadline = this.options.clock.now() + (this.options.startupWaitMs ?? 30_000);
    for (;;) {
      const snapshot = this.server(name);
      if (!snapshot) return { ok: false, detail: `no server named "${name}" is configured` };
      const info = this.router(name)?.rebind()?.info;
      if (info) return { ok: true, info };
      if (snapshot.state === 'needs-secret')
        return { ok: false, detail: `${name} waits for a secret: ${snapshot.reason}` };
      if (snapshot.state === 'needs-auth')
        return { ok: false, detail: `${name} waits for a sign-in: ${snapshot.reason}` };
      if (!COMING_UP.has(snapshot.state)) {
        return {
          ok: false,
          detail: `${name} is ${snapshot.state} (${snapshot.reason}); start it with \`switchboard start ${name}\``,
        };
      }
      const left = deadline - this.options.clock.now();
      if (left <= 0) return { ok: false, detail: `${name} did not come up in time (${snapshot.state})` };
      await new Promise<void>((resolve) => {
        const timer = this.options.clock.setTimeout(() => resolve(), Math.min(left, 50));
        void timer;
      });
    }
  }

  /** Whether a new client session of `name` gets an upstream of its own (`sessions` in the config). */
  ownsUpstream(name: string): boolean {
    return this.options.supervisor.ownsUpstream(name);
  }

  /**
   * Resolves once `ownsUpstream(name)` is settled for a new session: a server in `auto` that just
   * came up is watched a moment for a request to its clients first (see AUTO_WATCH_MS).
   */
  async sessionsDecided(name: string): Promise<void> {
    for (let round = 0; round < 10; round++) {
      const wait = this.options.supervisor.sessionsDecidedIn(name);
      if (wait <= 0) return;
      await new Promise<void>((resolve) => this.options.clock.setTimeout(resolve, wait));
    }
  }

  /**
   * An upstream of one client session's own, initialized as that client would, ready; or why not.
   * It counts among the server's sessions until `end`.
   */
  async ownUpstream(name: string, client: ClientIdentity): Promise<OwnUpstream | { detail: string }> {
    const instance = this.options.supervisor.openInstance(name, client);
    if (!instance)
      return { detail: `${name} is disabled or stopped; start it with \`switchboard start ${name}\`` };
    const own = await openOwnUpstream({
      name,
      instance,
      clock: this.options.clock,
      log: this.options.log,
      waitMs: this.options.startupWaitMs ?? 30_000,
      ...(this.options.hooks ? { hooks: this.options.hooks } : {}),
    });
    if ('detail' in own) return own;
    this.countOwn(name, 1);
    let ended: Promise<void> | undefined;
    // Once, however often the session is closed: the count must not go below what is open.
    const end = () => {
      if (!ended) {
        this.countOwn(name, -1);
        ended = own.end();
      }
      return ended;
    };
    return { ...own, end };
  }

  private countOwn(server: string, delta: number): void {
    this.ownSessions.set(server, (this.ownSessions.get(server) ?? 0) + delta);
    this.publishSessions(server);
  }

  /** A server's client sessions: those on its shared upstream and those with their own. */
  private publishSessions(server: string): void {
    const sessions = (this.routers.get(server)?.sessionCount ?? 0) + (this.ownSessions.get(server) ?? 0);
    this.options.supervisor.publish({
      type: 'server.sessions',
      server,
      sessions,
      at: this.options.clock.now(),
    });
  }

  private onEvent(event: EngineEvent): void {
    if (!('server' in event)) return;
    const router = this.routers.get(event.server);
    router?.rebind();
    // A changed entry is the same server to its clients: its snapshot starts again, its sessions stay.
    if (event.type === 'server.added' && router) this.publishSessions(event.server);
    // A server that comes or goes changes what the aggregated endpoint lists.
    if (event.type === 'server.state' && LISTED.has(event.to) !== LISTED.has(event.from))
      this.emit('listsChanged', event.server, ['tools', 'prompts', 'resources']);
  }
}
