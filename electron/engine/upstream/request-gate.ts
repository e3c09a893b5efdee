import type { EngineErrorName } from '../../shared/errors.js';
import type { ServerState } from '../../shared/events.js';
import { UpstreamError } from './upstream-error.js';

/** States in which the lifecycle is (re)connecting: requests wait for it. */
const HOLDING_STATES: ReadonlySet<ServerState> = new Set(['starting', 'restarting', 'backoff']);
/** States in which requests are refused at once, and with which error (a person has to act first). */
const REFUSING_STATES: Partial<Record<ServerState, EngineErrorName>> = {
  stopped: 'SERVER_UNAVAILABLE',
  failed: 'SERVER_UNAVAILABLE',
  'needs-secret': 'SERVER_UNAVAILABLE',
  'needs-auth': 'AUTH_REQUIRED',
};

/**
 * Whether a request that cannot go out now waits for the connection or is refused, and with
 * which error: the lifecycle's state (RemoteServer) and the upstream's own view (a lost
 * connection, a renewed session) both count.
 */
export class RequestGate {
  private lifecycleHolding = false;
  /** The upstream saw the connection break (or renews a session) and waits for it. */
  reconnecting = false;
  private refusal: { error: EngineErrorName; detail: string } | undefined;

  /** Follows the lifecycle; returns the refusal held requests should fail with now, if any. */
  stateChanged(to: ServerState, reason: string): { error: EngineErrorName; detail: string } | undefined {
    this.lifecycleHolding = HOLDING_STATES.has(to);
    const error = REFUSING_STATES[to];
    this.refusal = error ? { error, detail: `the server is ${to}: ${reason}` } : undefined;
    // Nothing will connect until a person acts: held requests fail now, not at their timeout.
    if (this.refusal) this.reconnecting = false;
    return this.refusal;
  }

  /**
   * The error for a request that cannot go out now, or undefined when it may wait: while the
   * connection is coming, and only while the hold buffer has room for it.
   */
  refuse(server: string, buffer: { fits: boolean; held: number }): UpstreamError | undefined {
    if (this.lifecycleHolding || this.reconnecting) {
      return buffer.fits
        ? undefined
        : new UpstreamError('BUFFER_FULL', server, `${buffer.held} requests wait`);
    }
    return new UpstreamError(
      this.refusal?.error ?? 'SERVER_UNAVAILABLE',
      server,
      this.refusal?.detail ?? 'not connected',
    );
  }
}
