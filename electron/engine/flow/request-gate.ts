import type { ServerState } from '../../shared/events.js';
import { LifecycleGate, type Refusal } from './hold-gate.js';

const NOT_CONNECTED: Refusal = { error: 'SERVER_UNAVAILABLE', detail: 'not connected' };

/**
 * Whether an upstream request that cannot go out now waits for the connection or is refused, and
 * with which error: the lifecycle's state (the one rule, LifecycleGate) and the upstream's own
 * view (a lost connection, a renewed session, a drain) both count.
 */
export class RequestGate {
  private readonly lifecycle = new LifecycleGate({ mode: 'refuse', ...NOT_CONNECTED });
  /** The upstream saw the connection break (or renews a session, or drains) and waits for it. */
  reconnecting = false;

  /** Follows the lifecycle; returns what the held requests must be answered with now, if anything. */
  stateChanged(from: ServerState, to: ServerState, reason: string): Refusal | undefined {
    const answer = this.lifecycle.follow(from, to, reason);
    // Nothing will connect until a person acts: what waits is answered now, not at its timeout.
    if (this.lifecycle.gate.mode === 'refuse') this.reconnecting = false;
    return answer;
  }

  /**
   * The refusal for a request that cannot go out now, or undefined when it may wait: while the
   * connection is coming, and only while the hold buffer has room for it.
   */
  refuse(buffer: { fits: boolean; held: number }): Refusal | undefined {
    const gate = this.lifecycle.gate;
    if (gate.mode === 'hold' || this.reconnecting)
      return buffer.fits ? undefined : { error: 'BUFFER_FULL', detail: `${buffer.held} requests wait` };
    if (gate.mode === 'refuse') return { error: gate.error, detail: gate.detail };
    return NOT_CONNECTED;
  }
}
