import type { EngineEvent, ServerState } from './events.js';

/** One server as every reader (tray, window, API, `status`) sees it. */
export interface ServerSnapshot {
  readonly name: string;
  readonly transport: 'stdio' | 'http' | 'sse';
  readonly enabled: boolean;
  readonly state: ServerState;
  /** Why it is in this state. */
  readonly reason: string;
  readonly since: number;
  readonly restarts: number;
  readonly lastError: string | undefined;
  readonly tools: number | undefined;
  /** Of the whole process group, from the last sample (local servers only). */
  readonly cpuPercent: number | undefined;
  readonly rssBytes: number | undefined;
  /** Its processes at the last sample (client sessions of their own have one each). */
  readonly processes: number | undefined;
  /** Client sessions using it now, on every surface. */
  readonly sessions: number;
}

export interface EngineSnapshot {
  readonly servers: readonly ServerSnapshot[];
  /** Set while the config file on disk is invalid (the last good one is in force). */
  readonly configProblems: readonly { path: string; message: string }[] | undefined;
  /** Tools the quarantine extension holds until the person approves them. */
  readonly pendingApprovals: number;
}

/**
 * The events the read model folds. A server waiting in `needs-secret` or `needs-auth` is told by
 * `server.state` alone (a wait, not a failure: its reason is no lastError); `auth.changed` adds
 * nothing here, the window reads the sign-in itself (`getServerAuth`).
 */
const FOLDED: ReadonlySet<string> = new Set<EngineEvent['type']>([
  'server.added',
  'server.removed',
  'server.state',
  'server.restart',
  'server.lists',
  'server.usage',
  'server.sessions',
  'config.invalid',
  'config.applied',
  'quarantine.pending',
]);

/**
 * The read model (DESIGN §2): folds engine events into immutable snapshots, so nothing that
 * answers a read reaches into live actors or processes.
 */
export class StateView {
  private readonly servers = new Map<string, ServerSnapshot>();
  private configProblems: EngineSnapshot['configProblems'];
  private pendingApprovals = 0;
  private cached: EngineSnapshot | undefined;

  apply(event: EngineEvent): void {
    // The rest (auth, secrets, extensions, calls… and whatever a newer engine adds) is read
    // elsewhere: the snapshot stays the very same object, so no reader re-renders for nothing.
    if (!FOLDED.has(event.type)) return;
    this.cached = undefined;
    switch (event.type) {
      case 'server.added':
        this.servers.set(event.server, {
          name: event.server,
          transport: event.transport,
          enabled: event.enabled,
          state: 'stopped',
          reason: event.enabled ? 'added' : 'disabled in the config',
          since: event.at,
          restarts: 0,
          lastError: undefined,
          tools: undefined,
          cpuPercent: undefined,
          rssBytes: undefined,
          processes: undefined,
          sessions: 0,
        });
        return;
      case 'server.removed':
        this.servers.delete(event.server);
        return;
      case 'server.state':
        return this.update(event.server, (s) => ({
          ...s,
          state: event.to,
          reason: event.reason,
          since: event.at,
          // A wait for a person (a secret, a sign-in) is not an error, even after a failed restart.
          lastError:
            event.to === 'failed' || event.to === 'backoff'
              ? event.reason
              : event.to === 'needs-secret' || event.to === 'needs-auth'
                ? undefined
                : s.lastError,
          ...(event.to === 'ready'
            ? {}
            : { cpuPercent: undefined, rssBytes: undefined, processes: undefined }),
        }));
      case 'server.restart':
        return this.update(event.server, (s) => ({
          ...s,
          // Every restart counts, failed ones too: the same figure as the restart history's.
          restarts: s.restarts + 1,
          lastError: event.error ?? s.lastError,
        }));
      case 'server.lists':
        return this.update(event.server, (s) => ({ ...s, tools: event.tools }));
      case 'server.sessions':
        return this.update(event.server, (s) => ({ ...s, sessions: event.sessions }));
      case 'server.usage':
        return this.update(event.server, (s) => ({
          ...s,
          cpuPercent: event.cpuPercent,
          rssBytes: event.rssBytes,
          processes: event.processes ?? 1,
        }));
      case 'config.invalid':
        this.configProblems = event.problems;
        return;
      case 'config.applied':
        this.configProblems = undefined;
        return;
      case 'quarantine.pending':
        this.pendingApprovals = event.count;
        return;
    }
  }

  /** Starts over from a snapshot read elsewhere (the window seeds itself from `listServers`). */
  seed(snapshot: {
    servers: readonly (Omit<
      ServerSnapshot,
      'lastError' | 'tools' | 'cpuPercent' | 'rssBytes' | 'processes' | 'sessions'
    > &
      Partial<ServerSnapshot>)[];
    configProblems?: EngineSnapshot['configProblems'];
    pendingApprovals?: number;
  }): void {
    this.cached = undefined;
    this.servers.clear();
    for (const s of snapshot.servers) {
      this.servers.set(
        s.name,
        Object.freeze({
          ...s,
          lastError: s.lastError,
          tools: s.tools,
          cpuPercent: s.cpuPercent,
          rssBytes: s.rssBytes,
          processes: s.processes,
          sessions: s.sessions ?? 0,
        }),
      );
    }
    this.configProblems = snapshot.configProblems;
    this.pendingApprovals = snapshot.pendingApprovals ?? 0;
  }

  snapshot(): EngineSnapshot {
    this.cached ??= Object.freeze({
      servers: Object.freeze([...this.servers.values()].sort((a, b) => a.name.localeCompare(b.name))),
      configProblems: this.configProblems,
      pendingApprovals: this.pendingApprovals,
    });
    return this.cached;
  }

  private update(name: string, change: (s: ServerSnapshot) => ServerSnapshot): void {
    const current = this.servers.get(name);
    if (current) this.servers.set(name, Object.freeze(change(current)));
  }
}
