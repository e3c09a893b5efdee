import type { EngineErrorName } from '../../shared/errors.js';
import type { ServerState } from '../../shared/events.js';

/** A server in one of these states is on its way up: requests for it wait instead of failing. */
export const COMING_UP: ReadonlySet<ServerState> = new Set(['starting', 'restarting', 'backoff']);

export interface Refusal {
  error: EngineErrorName;
  detail: string;
}

/** Whether requests go to the server now, wait for it, or are answered with an error. */
export type Gate = { mode: 'open' } | { mode: 'hold' } | ({ mode: 'refuse' } & Refusal);

const REFUSALS: Partial<Record<ServerState, EngineErrorName>> = {
  'needs-secret': 'SERVER_UNAVAILABLE',
  'needs-auth': 'AUTH_REQUIRED',
};

/**
 * The one rule for requests while a server's lifecycle moves (gateway upstreams and `run` alike):
 * ready opens; on the way up they wait; down until someone acts (failed, stopped, needs a secret
 * or a sign-in) refuses, saying why. A start that fails answers what waited for it at once (a
 * broken edit should not keep the client waiting out the retries), except while the server
 * recovers from a crash or a lost connection: then what waits rides out the retries, bounded by
 * its own timeout and the crash loop.
 */
export class LifecycleGate {
  gate: Gate;
  private recovering = false;

  constructor(
    initial: Gate,
    /** What a stop means to the caller (`run` is shutting down; the gateway's server is off). */
    private readonly stopped: EngineErrorName = 'SERVER_UNAVAILABLE',
  ) {
    this.gate = initial;
  }

  /** Follows a state change; returns what the held requests must be answered with now, if anything. */
  follow(from: ServerState, to: ServerState, reason: string): Refusal | undefined {
    const detail = `the server is ${to}: ${reason}`;
    if (to === 'ready') {
      this.recovering = false;
      this.gate = { mode: 'open' };
      return undefined;
    }
    if (COMING_UP.has(to)) {
      this.gate = { mode: 'hold' };
      // A crash or loss starts a recovery; a person's start or a planned restart is a new start.
      if (from === 'ready' && to === 'backoff') this.recovering = true;
      else if (to === 'restarting' || (to === 'starting' && from !== 'backoff')) this.recovering = false;
      const startFailed = to === 'backoff' && from !== 'ready' && !this.recovering;
      return startFailed ? { error: errorForFailure(reason), detail } : undefined;
    }
    this.recovering = false;
    const error = REFUSALS[to] ?? (to === 'stopped' ? this.stopped : errorForFailure(reason));
    this.gate = { mode: 'refuse', error, detail };
    return { error, detail };
  }
}

/**
 * The engine error that tells a client why the server it asked for gave up, read from the reason
 * the actor gave (`crash loop: …`, `… startup timeout …`): the same answer over `run` and `serve`.
 */
export function errorForFailure(reason: string): EngineErrorName {
  if (reason.startsWith('crash loop')) return 'CRASH_LOOP';
  return reason.includes('startup timeout') ? 'RESTART_TIMEOUT' : 'START_FAILED';
}
