import type { EngineEvent } from '../../shared/events.js';

/** The events that change what the tray shows; usage samples and call figures do not. */
export function changesTray(event: EngineEvent): boolean {
  switch (event.type) {
    case 'server.state':
    case 'server.restart':
    case 'server.added':
    case 'server.removed':
    case 'config.applied':
    case 'config.invalid':
    case 'quarantine.pending':
      return true;
    default:
      return false;
  }
}

/**
 * Calls `run` at most once per `ms` however many events arrive (a restart of 40 servers is one
 * rebuild of the menu, not 120), and always after the last one.
 */
export function coalesce(run: () => void, ms: number): { poke(): void; cancel(): void } {
  let timer: NodeJS.Timeout | undefined;
  return {
    poke() {
      timer ??= setTimeout(() => {
        timer = undefined;
        run();
      }, ms);
    },
    cancel() {
      clearTimeout(timer);
      timer = undefined;
    },
  };
}
