import type { ServerSnapshotDto } from '../../../electron/shared/api.js';

/** A server as `listServers` reports it: ready, started, no restarts, unless `more` says otherwise. */
export function serverSnapshot(name: string, more: Partial<ServerSnapshotDto> = {}): ServerSnapshotDto {
  return {
    name,
    transport: 'stdio',
    enabled: true,
    state: 'ready',
    reason: 'started',
    since: 1,
    restarts: 0,
    ...more,
    sessions: more.sessions ?? 0,
  };
}
