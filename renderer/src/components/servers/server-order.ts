import type { ServerState } from '../../../../electron/shared/events.js';
import type { ServerSnapshot } from '../../../../electron/shared/state-view.js';

/** The Servers list's pure rules: which states need a person, how the list sorts and filters. No Vue. */

/** States a person should look at: they will not serve until something changes. */
export const PROBLEM_STATES: ReadonlySet<ServerState> = new Set([
  'failed',
  'backoff',
  'needs-secret',
  'needs-auth',
]);
/** States of a server that is up or on its way up. */
export const RUNNING_STATES: ReadonlySet<ServerState> = new Set(['ready', 'starting', 'restarting']);

export const isProblem = (state: ServerState) => PROBLEM_STATES.has(state);
export const isRunning = (state: ServerState) => RUNNING_STATES.has(state);

/** Sorting by state: the worst first, then the ones on their way, then the calm ones. */
const STATE_RANK: Record<ServerState, number> = {
  failed: 0,
  backoff: 1,
  'needs-secret': 2,
  'needs-auth': 3,
  restarting: 4,
  starting: 5,
  ready: 6,
  stopped: 7,
};

export type SortKey = 'attention' | 'name' | 'state' | 'restarts' | 'calls' | 'cpu' | 'memory';
export type SortDir = 'asc' | 'desc';

export const SORT_OPTIONS: readonly { key: SortKey; label: string }[] = [
  { key: 'attention', label: 'Needs attention first' },
  { key: 'name', label: 'Name' },
  { key: 'state', label: 'State' },
  { key: 'restarts', label: 'Most restarts' },
  { key: 'calls', label: 'Most calls (last hour)' },
  { key: 'cpu', label: 'Most CPU' },
  { key: 'memory', label: 'Most memory' },
];

/** Words sort up, figures sort down (the busiest first). */
export function naturalDir(key: SortKey): SortDir {
  return key === 'attention' || key === 'name' || key === 'state' ? 'asc' : 'desc';
}

const byName = (a: ServerSnapshot, b: ServerSnapshot) => a.name.localeCompare(b.name);

/**
 * The list in the order asked for; ties (and servers without a figure, always last) go by name.
 * `calls` gives each server's calls in the last hour.
 */
export function sortServers(
  servers: readonly ServerSnapshot[],
  key: SortKey,
  dir: SortDir,
  calls: (server: string) => number = () => 0,
): ServerSnapshot[] {
  const sign = dir === 'asc' ? 1 : -1;
  const figure = (s: ServerSnapshot): number | undefined => {
    switch (key) {
      case 'attention':
        // The problems by how bad they are (failed first), then every other server by name.
        return isProblem(s.state) ? STATE_RANK[s.state] : PROBLEM_STATES.size;
      case 'state':
        return STATE_RANK[s.state];
      case 'restarts':
        return s.restarts;
      case 'calls':
        return calls(s.name);
      case 'cpu':
        return s.cpuPercent;
      case 'memory':
        return s.rssBytes;
      case 'name':
        return undefined;
    }
  };
  return [...servers].sort((a, b) => {
    if (key === 'name') return sign * byName(a, b);
    const fa = figure(a);
    const fb = figure(b);
    if (fa === undefined || fb === undefined) {
      if (fa !== fb) return fa === undefined ? 1 : -1;
      return byName(a, b);
    }
    return fa === fb ? byName(a, b) : sign * (fa - fb);
  });
}

/** Which servers the list shows, by what they are doing. */
export type Scope = 'all' | 'attention' | 'running' | 'stopped';

/** Each choice, and what the list says when no server is in it. */
export const SCOPE_OPTIONS: readonly { key: Scope; label: string; none: string }[] = [
  { key: 'all', label: 'All', none: 'No server yet.' },
  { key: 'attention', label: 'Need attention', none: 'No server needs attention now.' },
  { key: 'running', label: 'Running', none: 'No server is running.' },
  { key: 'stopped', label: 'Stopped', none: 'No server is stopped.' },
];

export function inScope(server: ServerSnapshot, scope: Scope): boolean {
  switch (scope) {
    case 'all':
      return true;
    case 'attention':
      return isProblem(server.state);
    case 'running':
      return isRunning(server.state);
    case 'stopped':
      return server.state === 'stopped';
  }
}

/** Whether the typed text is in the server's name, state or transport, ignoring case. */
export function matchesText(server: ServerSnapshot, text: string): boolean {
  const needle = text.trim().toLowerCase();
  if (needle === '') return true;
  return [server.name, server.state, server.transport].some((field) => field.toLowerCase().includes(needle));
}
