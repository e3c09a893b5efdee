import type { Clock, TimerHandle } from './clock.js';
import type { JsonRpcMessage } from '../jsonrpc/messages.js';
import type { BufferLimits } from './restart-buffer.js';

export interface PendingRequest {
  readonly id: number;
  readonly method: string;
  readonly params: unknown;
  /** Who asks, for an era whose requests say so (opaque here). */
  readonly caller?: unknown;
  /** The request as 2025-11-25 puts it on the wire (its size counts against the hold buffer). */
  readonly body: string;
  readonly bytes: number;
  /** The engine's own (initialize, lists, ping): never held, errors passed on as they are. */
  readonly internal: boolean;
  /** Waiting for the connection (not sent yet, or to be sent again). */
  held?: boolean;
  /** Already sent again once after the session expired. */
  resent?: boolean;
  readonly resolve: (response: JsonRpcMessage) => void;
  readonly reject: (err: Error) => void;
  readonly timer: TimerHandle;
  /** Ends the HTTP exchange carrying it. */
  abort?: AbortController | undefined;
}

/**
 * The requests of one remote upstream that have no answer yet: those sent, and those held while
 * the connection is down. The held ones are bounded in count and bytes (DESIGN §4).
 */
export class PendingRequests {
  private readonly byId = new Map<number, PendingRequest>();
  private heldCount = 0;
  private heldBytes = 0;

  constructor(
    private readonly clock: Clock,
    private readonly limits: BufferLimits,
    /** Called after each settle (drain waits on it). */
    private readonly onSettled: () => void,
  ) {}

  get size(): number {
    return this.byId.size;
  }

  get held(): number {
    return this.heldCount;
  }

  get(id: number): PendingRequest | undefined {
    return this.byId.get(id);
  }

  /** One more held request of `bytes` stays within the limits. */
  fits(bytes: number): boolean {
    return this.heldCount < this.limits.maxMessages && this.heldBytes + bytes <= this.limits.maxBytes;
  }

  add(p: PendingRequest): void {
    this.byId.set(p.id, p);
  }

  /** The request went out and its answer has not come yet. */
  awaitsAnswer(id: number): boolean {
    const p = this.byId.get(id);
    return p !== undefined && !p.held;
  }

  /** True when nothing is out on the wire (everything left is held). */
  noneSent(): boolean {
    for (const p of this.byId.values()) if (!p.held) return false;
    return true;
  }

  hold(p: PendingRequest): void {
    if (p.held) return;
    p.held = true;
    p.abort = undefined;
    this.heldCount++;
    this.heldBytes += p.bytes;
  }

  /** Takes the held requests out of the buffer, oldest first (one sent again keeps its place by id). */
  takeHeld(): PendingRequest[] {
    const held = [...this.byId.values()].filter((p) => p.held).sort((a, b) => a.id - b.id);
    for (const p of held) this.unhold(p);
    return held;
  }

  /** Ends a request with its answer or an error, and forgets it; a second settle is a no-op. */
  settle(p: PendingRequest, outcome: Error | JsonRpcMessage): void {
    if (this.byId.get(p.id) !== p) return;
    this.byId.delete(p.id);
    this.unhold(p);
    this.clock.clearTimeout(p.timer);
    if (outcome instanceof Error) p.reject(outcome);
    else p.resolve(outcome);
    this.onSettled();
  }

  /** Ends the held requests, the sent ones, or all, with an error (aborting their exchanges). */
  fail(which: 'held' | 'sent' | 'all', error: (p: PendingRequest) => Error): void {
    for (const p of [...this.byId.values()]) {
      if (which !== 'all' && (which === 'held') !== (p.held === true)) continue;
      p.abort?.abort();
      this.settle(p, error(p));
    }
  }

  private unhold(p: PendingRequest): void {
    if (!p.held) return;
    p.held = false;
    this.heldCount--;
    this.heldBytes -= p.bytes;
  }
}
