import type { EngineErrorName } from '../../shared/errors.js';

/**
 * The engine error that tells a client why the server it asked for gave up, read from the reason
 * the actor gave (`crash loop: …`, `… startup timeout …`): the same answer over `run` and `serve`.
 */
export function errorForFailure(reason: string): EngineErrorName {
  if (reason.startsWith('crash loop')) return 'CRASH_LOOP';
  return reason.includes('startup timeout') ? 'RESTART_TIMEOUT' : 'START_FAILED';
}
