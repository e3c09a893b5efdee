import type { RestartRecordDto } from '../../../../electron/shared/api.js';
import type { RestartEvent } from '../../../../electron/shared/events.js';

/** A live `server.restart` event as the record `getRestartHistory` would have given for it. */
export function recordOf(event: RestartEvent): RestartRecordDto {
  return {
    server: event.server,
    at: event.startedAt,
    cause: event.cause,
    durationMs: event.durationMs,
    outcome: event.outcome,
    ...(event.error === undefined ? {} : { error: event.error }),
  };
}

/**
 * History (oldest first, as the engine answers) joined with events that arrived while it was being
 * read, newest first; an event the history already holds is not shown twice.
 */
export function mergeNewestFirst(
  history: readonly RestartRecordDto[],
  live: readonly RestartRecordDto[],
): RestartRecordDto[] {
  const seen = new Set(history.map((r) => `${r.at}:${r.cause.kind}`));
  const fresh = live.filter((r) => !seen.has(`${r.at}:${r.cause.kind}`));
  return [...history, ...fresh].sort((a, b) => b.at - a.at);
}
