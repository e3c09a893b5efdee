/** Engine events: every state change and restart is published with its reason (DESIGN §2). */
/**
 * `needs-secret`: a `${secret:NAME}` it uses is not set; it starts by itself once the secret is.
 * `needs-auth`: a remote server wants an OAuth sign-in (none yet, revoked, or more scope); it
 * starts by itself once the person has signed in.
 */
export const SERVER_STATES = [
  'stopped',
  'starting',
  'ready',
  'restarting',
  'backoff',
  'failed',
  'needs-secret',
  'needs-auth',
] as const;
export type ServerState = (typeof SERVER_STATES)[number];

export type RestartCause =
  | { kind: 'file'; paths: string[] }
  | { kind: 'exit'; code: number | null; signal: string | null }
  | { kind: 'user' }
  | { kind: 'config' }
  | { kind: 'health'; detail: string }
  /** A remote server's connection broke (stream ended, server unreachable): it is reconnected. */
  | { kind: 'connection'; detail: string }
  /** Another try after a start that failed (the backoff's, not a person's). */
  | { kind: 'retry'; attempt: number };

export interface StateChangedEvent {
  type: 'server.state';
  server: string;
  from: ServerState;
  to: ServerState;
  /** A sentence on why, e.g. "file src/index.ts changed" or "exit code 1; retry in 400 ms". */
  reason: string;
  at: number;
}

export interface RestartEvent {
  type: 'server.restart';
  server: string;
  cause: RestartCause;
  startedAt: number;
  /** From the start of the restart to ready (or to giving up). */
  durationMs: number;
  outcome: 'ready' | 'failed';
  error?: string;
}

/** A new config is in force; only `changed` servers restart. */
export interface ConfigAppliedEvent {
  type: 'config.applied';
  file: string;
  added: string[];
  removed: string[];
  changed: string[];
  at: number;
}

/** The file on disk is invalid; the last good config stays in force. */
export interface ConfigInvalidEvent {
  type: 'config.invalid';
  file: string;
  problems: { path: string; message: string }[];
  at: number;
}

/** The supervisor took a server on (from the config) or let it go. */
export interface ServerAddedEvent {
  type: 'server.added';
  server: string;
  transport: 'stdio' | 'http' | 'sse';
  enabled: boolean;
  at: number;
}

export interface ServerRemovedEvent {
  type: 'server.removed';
  server: string;
  at: number;
}

/** What a server offers, after each (re)start or list_changed. */
export interface ServerListsEvent {
  type: 'server.lists';
  server: string;
  tools: number;
  prompts: number;
  resources: number;
  at: number;
}

/** How many client sessions (every surface) use a server now. */
export interface ServerSessionsEvent {
  type: 'server.sessions';
  server: string;
  sessions: number;
  at: number;
}

/** Resource use of a local server's process group, sampled periodically. */
export interface ServerUsageEvent {
  type: 'server.usage';
  server: string;
  cpuPercent: number;
  rssBytes: number;
  /** The processes the figures add up (client sessions of their own have one each). */
  processes?: number;
  at: number;
}

/** A minute of calls to a server, sent when the minute is over (only minutes that had calls). */
export interface ServerCallsEvent {
  type: 'server.calls';
  server: string;
  /** Start of the minute (ms since the epoch). */
  minute: number;
  calls: number;
  errors: number;
  p50Ms: number;
  p99Ms: number;
  at: number;
}

/** An extension was switched on or off, reconfigured, failed, or has news for the window. */
export interface ExtensionChangedEvent {
  type: 'extension.changed';
  extension: string;
  enabled: boolean;
  problem?: string;
  at: number;
}

/** An extension tells the person something (it was disabled after failing, a circuit opened, ...). */
export interface ExtensionNoticeEvent {
  type: 'extension.notice';
  extension: string;
  message: string;
  at: number;
}

/** How many tools the quarantine holds for approval (0 when it is off). */
export interface QuarantinePendingEvent {
  type: 'quarantine.pending';
  count: number;
  at: number;
}

/** Secrets were set or removed (names only: a value never leaves the engine). */
export interface SecretsChangedEvent {
  type: 'secrets.changed';
  names: string[];
  at: number;
}

/** A server's OAuth sign-in changed: signed in, refreshed, signed out, or a sign-in failed. */
export interface AuthChangedEvent {
  type: 'auth.changed';
  server: string;
  signedIn: boolean;
  /** What happened, for a person ("signed in", "token refreshed", "sign-in failed: …"). */
  detail: string;
  at: number;
}

export type EngineEvent =
  | SecretsChangedEvent
  | AuthChangedEvent
  | ExtensionChangedEvent
  | ExtensionNoticeEvent
  | QuarantinePendingEvent
  | ServerCallsEvent
  | ServerUsageEvent
  | StateChangedEvent
  | RestartEvent
  | ConfigAppliedEvent
  | ConfigInvalidEvent
  | ServerAddedEvent
  | ServerRemovedEvent
  | ServerListsEvent
  | ServerSessionsEvent;

/** One short phrase per cause, used in logs and the restart timeline. */
export function describeCause(cause: RestartCause): string {
  switch (cause.kind) {
    case 'file': {
      const more = cause.paths.length > 1 ? ` (+${cause.paths.length - 1} more)` : '';
      return `file ${cause.paths[0] ?? '?'} changed${more}`;
    }
    case 'exit':
      return cause.signal ? `killed by ${cause.signal}` : `exit code ${cause.code ?? '?'}`;
    case 'user':
      return 'restart requested';
    case 'config':
      return 'config changed';
    case 'health':
      return `health check failed (${cause.detail})`;
    case 'connection':
      return cause.detail;
    case 'retry':
      return `retry ${cause.attempt} after a failed start`;
  }
}
