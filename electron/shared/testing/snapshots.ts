import type { ServerState } from '../events.js';
import type { EngineSnapshot, ServerSnapshot } from '../state-view.js';

/** A server as StateView holds it, in `state`, with nothing else to say unless `extra` says it. */
export function serverIn(
  name: string,
  state: ServerState,
  extra: Partial<ServerSnapshot> = {},
): ServerSnapshot {
  return {
    name,
    transport: 'stdio',
    enabled: true,
    state,
    reason: '',
    since: 0,
    restarts: 0,
    lastError: undefined,
    tools: undefined,
    cpuPercent: undefined,
    rssBytes: undefined,
    processes: undefined,
    ...extra,
    sessions: extra.sessions ?? 0,
  };
}

/** The engine's snapshot of these servers, with a valid config. */
export function snapshotOf(...servers: ServerSnapshot[]): EngineSnapshot {
  return { servers, configProblems: undefined, pendingApprovals: 0 };
}
