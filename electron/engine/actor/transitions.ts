import type { ServerState } from '../../shared/events.js';

/**
 * The one place that says which state changes are legal. The actor asks this table before every
 * change, so an impossible sequence is a loud bug instead of a silent odd state.
 */
export type Trigger =
  | 'start' // a person (or `run`) starts the server
  | 'ready' // the process is up and initialized
  | 'restart' // file change, user or config asks for a new process
  | 'crash' // the process died unexpectedly, or a start attempt failed: wait, then retry
  | 'retry' // the backoff delay is over
  | 'give_up' // crash loop or unrecoverable start error
  | 'need_secret' // a secret its config uses is not set: wait for it, do not count a crash
  | 'need_auth' // a remote server wants an OAuth sign-in: wait for the person, do not count a crash
  | 'stop';

export const TRANSITIONS: Readonly<Record<ServerState, Partial<Record<Trigger, ServerState>>>> = {
  stopped: { start: 'starting', restart: 'starting' },
  starting: {
    ready: 'ready',
    crash: 'backoff',
    give_up: 'failed',
    need_secret: 'needs-secret',
    need_auth: 'needs-auth',
    stop: 'stopped',
  },
  ready: {
    restart: 'restarting',
    crash: 'backoff',
    give_up: 'failed',
    need_auth: 'needs-auth',
    stop: 'stopped',
  },
  restarting: {
    ready: 'ready',
    crash: 'backoff',
    give_up: 'failed',
    need_secret: 'needs-secret',
    need_auth: 'needs-auth',
    stop: 'stopped',
  },
  backoff: { retry: 'starting', restart: 'starting', give_up: 'failed', stop: 'stopped' },
  failed: { start: 'starting', restart: 'starting', stop: 'stopped' },
  'needs-secret': { start: 'starting', restart: 'starting', stop: 'stopped' },
  'needs-auth': { start: 'starting', restart: 'starting', stop: 'stopped' },
};

export function nextState(from: ServerState, trigger: Trigger): ServerState | undefined {
  return TRANSITIONS[from][trigger];
}

export class IllegalTransitionError extends Error {
  constructor(from: ServerState, trigger: Trigger) {
    super(`illegal server transition: '${trigger}' in state '${from}'`);
    this.name = 'IllegalTransitionError';
  }
}
