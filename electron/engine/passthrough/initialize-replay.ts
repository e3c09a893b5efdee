import type { JsonRpcId, JsonRpcMessage } from '../jsonrpc/messages.js';

/**
 * What `run` must remember of the client's handshake to give a new process the same one (DESIGN
 * §4): the client's initialize (once the server accepted it) and whether it sent `initialized`.
 * The client never sees the replay; its reply is consumed by the engine.
 */
export class InitializeReplay {
  /** The client's initialize, sent and not answered yet. */
  private pending: { id: JsonRpcId; message: JsonRpcMessage } | undefined;
  private accepted: JsonRpcMessage | undefined;
  private initialized = false;

  /** True while the client's own initialize waits for its reply (it must be read whole). */
  get awaitingReply(): boolean {
    return this.pending !== undefined;
  }

  /** The client sent a request or notification to the server. */
  clientSent(message: JsonRpcMessage): void {
    if (message.method === 'initialize' && message.id !== undefined && message.id !== null)
      this.pending = { id: message.id, message };
    else if (message.method === 'notifications/initialized') this.initialized = true;
  }

  /** The server answered request `id`; the capabilities it gave when that was the initialize. */
  serverAnswered(id: JsonRpcId, reply: JsonRpcMessage): { capabilities: unknown } | undefined {
    if (this.pending?.id !== id) return undefined;
    const accepted = !reply.error;
    if (accepted) this.accepted = this.pending.message;
    this.pending = undefined;
    if (!accepted) return undefined;
    return { capabilities: (reply.result as { capabilities?: unknown } | undefined)?.capabilities };
  }

  /** Request `id` was answered by the engine instead (the server went away, say). */
  answeredElsewhere(id: JsonRpcId): void {
    if (this.pending?.id === id) this.pending = undefined;
  }

  /**
   * Gives a new process the client's handshake; resolves with the server's capabilities, or
   * undefined on a first start (the client's own initialize flows through then).
   */
  async replay(
    request: (method: string, params: unknown) => Promise<unknown>,
    notify: (method: string) => void,
  ): Promise<{ capabilities: unknown } | undefined> {
    if (!this.accepted) return undefined;
    const result = (await request('initialize', this.accepted.params)) as { capabilities?: unknown };
    if (this.initialized) notify('notifications/initialized');
    return { capabilities: result?.capabilities };
  }
}
