import { randomUUID } from 'node:crypto';
import type { Clock, TimerHandle } from '../flow/clock.js';
import type { JsonRpcId, JsonRpcMessage } from '../jsonrpc/messages.js';

/** A 2026-07-28 request that is waiting for the client's input (an input-required result went out). */
export interface ParkedRound {
  /** The endpoint it was made on (a server's name, `*` for the aggregate): only that one resumes it. */
  readonly endpoint: string;
  /**
   * The client's retry, with the answers: the next result (complete, or another input-required).
   * `carry` takes what belongs with the retry meanwhile (progress), on the retry's own way back.
   */
  resume(
    id: JsonRpcId,
    inputResponses: Record<string, unknown>,
    carry: (message: JsonRpcMessage) => boolean,
  ): Promise<JsonRpcMessage | undefined>;
  /** The client never came back: the server's request is cancelled. */
  abandon(): void;
}

/** Our tokens look like this; any other `requestState` is a 2026-07-28 server's own, passed to it. */
const TOKEN_PREFIX = 'sb-round-';

/**
 * The rounds of multi-round-trip requests (2026-07-28) that wait for their client, by the
 * `requestState` token the client got: random, so only that client can resume its round, and kept
 * for a bounded time, so a client that walks away leaves nothing running.
 */
export class InputRounds {
  private readonly parked = new Map<string, { round: ParkedRound; timer: TimerHandle }>();

  constructor(
    private readonly clock: Clock,
    private readonly waitMs = 10 * 60_000,
    /** Rounds kept at once: each holds a server's request open; past it the oldest is given up. */
    private readonly maxParked = 256,
  ) {}

  /** Keeps a round until the client resumes it; the token it resumes with. */
  park(round: ParkedRound): string {
    if (this.parked.size >= this.maxParked) {
      const [oldest, entry] = this.parked.entries().next().value!;
      this.parked.delete(oldest);
      this.clock.clearTimeout(entry.timer);
      entry.round.abandon();
    }
    const token = `${TOKEN_PREFIX}${randomUUID()}`;
    const timer = this.clock.setTimeout(() => {
      this.parked.delete(token);
      round.abandon();
    }, this.waitMs);
    this.parked.set(token, { round, timer });
    return token;
  }

  /** The round a token resumes on this endpoint (once), else undefined. */
  take(token: string, endpoint: string): ParkedRound | undefined {
    const entry = this.parked.get(token);
    if (!entry || entry.round.endpoint !== endpoint) return undefined;
    this.parked.delete(token);
    this.clock.clearTimeout(entry.timer);
    return entry.round;
  }

  /** Whether a `requestState` is one of ours (else it is a server's, and goes back to the server). */
  static ours(token: string): boolean {
    return token.startsWith(TOKEN_PREFIX);
  }

  get size(): number {
    return this.parked.size;
  }
}
