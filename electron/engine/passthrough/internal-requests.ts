import type { Clock, TimerHandle } from '../flow/clock.js';
import type { JsonRpcId, JsonRpcMessage } from '../jsonrpc/messages.js';
import { RequestsById } from '../flow/requests-by-id.js';

interface Pending {
  generation: number;
  resolve: (result: unknown) => void;
  reject: (err: Error) => void;
  timer: TimerHandle;
}

const ID_PREFIX = 'switchboard-';

/**
 * Requests the engine itself sends to the server (the replayed initialize, list refreshes). Their
 * ids carry a prefix of their own, and their replies are consumed here, never shown to the client.
 */
export class InternalRequests {
  private seq = 0;
  private readonly pending = new RequestsById<Pending>();

  constructor(
    private readonly clock: Clock,
    private readonly timeoutMs: number,
  ) {}

  /** Builds the request and registers its reply handler; the caller writes the message. */
  create(
    method: string,
    params: unknown,
    generation: number,
  ): { message: JsonRpcMessage; reply: Promise<unknown> } {
    const id = `${ID_PREFIX}${++this.seq}`;
    const message: JsonRpcMessage =
      params === undefined ? { jsonrpc: '2.0', id, method } : { jsonrpc: '2.0', id, method, params };
    const reply = new Promise<unknown>((resolve, reject) => {
      const timer = this.clock.setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`${method}: no reply within ${this.timeoutMs} ms`));
      }, this.timeoutMs);
      this.pending.set(id, { generation, resolve, reject, timer });
    });
    return { message, reply };
  }

  get pendingCount(): number {
    return this.pending.size;
  }

  /** True for ids the engine minted (whether or not still pending). */
  owns(id: JsonRpcId): boolean {
    return typeof id === 'string' && id.startsWith(ID_PREFIX);
  }

  /** True when the reply belonged to an internal request (and has been consumed). */
  settle(message: JsonRpcMessage): boolean {
    if (message.id === undefined || message.id === null || !this.owns(message.id)) return false;
    const pending = this.pending.take(message.id);
    if (!pending) return true; // a late reply to a request we gave up on: still ours, still hidden
    this.clock.clearTimeout(pending.timer);
    if (message.error) pending.reject(new Error(message.error.message));
    else pending.resolve(message.result);
    return true;
  }

  /** The process of `generation` is gone: fail what it will never answer. */
  failGeneration(generation: number, reason: string): void {
    const gone = [...this.pending.values()].filter((p) => p.generation === generation);
    this.pending.deleteWhere((p) => p.generation === generation);
    for (const pending of gone) {
      this.clock.clearTimeout(pending.timer);
      pending.reject(new Error(reason));
    }
  }
}
