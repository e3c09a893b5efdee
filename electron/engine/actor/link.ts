import type { EventEmitter } from 'node:events';
import type { RestartCause, ServerState } from '../../shared/events.js';
import type { AuthRequiredError } from './start-errors.js';

/** The link broke on its own: the process exited, or the connection to a remote server was lost. */
export interface LinkLoss {
  /** Written for a person ("exit code 1; last stderr: …", "connection to x lost: …"). */
  message: string;
  cause: RestartCause;
  at: number;
}

export interface LinkEvents {
  lost: [LinkLoss];
  /** The server stopped answering but its link is up (a hung process): restart it, no crash counted. */
  hung: [string];
  /** A remote server's sign-in is gone (revoked, refresh refused): a person has to sign in. */
  signInLost: [AuthRequiredError];
}

/** How the lifecycle's reasons read for this kind of server ("ready in 80 ms", "connected in 80 ms"). */
export interface LinkWording {
  /** The reason of a first ready: "started", "connected". */
  readonly up: string;
  /** "ready in", "connected in" (… 120 ms). */
  readonly upIn: string;
  /** "not ready", "not connected" (… within the startup timeout). */
  readonly notUp: string;
  /** After a loss: "retry in", "reconnecting in" (… 100 ms). */
  readonly againIn: string;
  /** The reason of the retry: "retrying after", "reconnecting after" (… exit code 1). */
  readonly againAfter: string;
  /** What a person can do once the lifecycle gave up (crash loop). */
  readonly giveUpHint: string;
  /** Added to a start failure that retrying cannot fix. */
  readonly fatalHint?: string;
}

/**
 * What a server's one lifecycle (ServerActor) drives: a local process (ProcessLink) or a remote
 * server (RemoteLink). The actor decides when; the link knows how.
 */
export interface Link extends EventEmitter<LinkEvents> {
  readonly wording: LinkWording;
  /** The local process, while there is one. */
  readonly pid: number | undefined;
  /** Starts or connects, and initializes; resolves once the server takes traffic. */
  open(signal: AbortSignal): Promise<void>;
  /** A planned restart: hold new work and let in-flight work finish (bounded by the link). */
  drain(): Promise<void>;
  /** Stops the process or ends the connection; what is still waiting on it gets an answer. */
  close(reason: string): Promise<void>;
  /** The one place the connection hears the lifecycle's state (reasons are masked already). */
  stateChanged(from: ServerState, to: ServerState, reason: string): void;
  /** A start failure as a person reads it (with the last stderr line, "cannot connect: …"). */
  explainStartFailure(message: string): string;
}
