import type { JsonRpcMessage } from '../jsonrpc/messages.js';
import { LIST_KINDS } from '../protocol/list-tracker.js';
import { SUBSCRIPTION_ID_META } from '../protocol/modern-era.js';
import type { WireRouting } from './upstream.js';

/** Listens opened again in a row on one connection after the server ended them, before we stop. */
const MAX_REOPENS = 10;
const PREFIX = 'sb-listen-';
let listenCounter = 0;

export interface ListenCarrier {
  /** Sends the listen; resolves when its exchange ends (HTTP), at once over stdio. */
  transmit(body: string, signal: AbortSignal, routing: WireRouting): Promise<void>;
  /** True when a request's exchange ends with its answer (Streamable HTTP). */
  answersInline(): boolean;
  /** A message in the era's shape: the envelope added. */
  envelope(params: unknown): Record<string, unknown>;
  /** Tells the server (stdio) that the listen is over. */
  cancel(id: string): void;
  /** The connection's signal: the listen ends with it. */
  signal(): AbortSignal;
  log(line: string): void;
}

/**
 * The engine's one `subscriptions/listen` on a 2026-07-28 server: what the GET stream and
 * `resources/subscribe` were in 2025-11-25. It asks for every list change the server says it
 * announces and for the resources some client subscribed to; it is opened again when those change
 * and when the server ends it.
 */
export class UpstreamListen {
  private current: { id: string; abort: AbortController } | undefined;
  private reopens = 0;
  private capabilities: Record<string, unknown> = {};

  constructor(private readonly carrier: ListenCarrier) {}

  /** After each connect: a new connection, a new listen (none when there is nothing to hear). */
  open(capabilities: Record<string, unknown>, resources: ReadonlySet<string>): void {
    this.capabilities = capabilities;
    this.reopens = 0;
    this.start(resources);
  }

  /** The subscribed resources changed: the listen is replaced by one that names them. */
  update(resources: ReadonlySet<string>): void {
    if (this.current) this.stop();
    this.start(resources);
  }

  /** The connection ends (the abort of its signal ends the exchange too). */
  stop(): void {
    const current = this.current;
    if (!current) return;
    this.current = undefined;
    current.abort.abort();
    if (!this.carrier.signal().aborted) this.carrier.cancel(current.id);
  }

  /** The server's final answer to one of our listens (it shuts down, or it refused the filter). */
  ended(message: JsonRpcMessage, resources: ReadonlySet<string>): void {
    if (message.id !== this.current?.id) return;
    if (message.error) this.carrier.log(`the server refused our listen: ${message.error.message}`);
    this.current = undefined;
    if (!message.error) this.again(resources);
  }

  /** Whether an answer's id is one of our listens' (they are ours, never a client's). */
  owns(id: unknown): boolean {
    return typeof id === 'string' && id.startsWith(PREFIX);
  }

  /** A notification the listen brought, as a 2025-11-25 client knows it (without the listen's id). */
  static plain(message: JsonRpcMessage): JsonRpcMessage {
    const params = message.params as { _meta?: Record<string, unknown> } | undefined;
    if (!params?._meta || !(SUBSCRIPTION_ID_META in params._meta)) return message;
    const { [SUBSCRIPTION_ID_META]: _id, ...meta } = params._meta;
    const { _meta: _dropped, ...rest } = params;
    const kept = Object.keys(meta).length > 0 ? { ...rest, _meta: meta } : rest;
    return { ...message, params: kept };
  }

  private start(resources: ReadonlySet<string>): void {
    const notifications: Record<string, unknown> = {};
    for (const kind of LIST_KINDS) {
      const offered = this.capabilities[kind] as { listChanged?: unknown } | undefined;
      if (offered?.listChanged === true) notifications[`${kind}ListChanged`] = true;
    }
    const subscribe = (this.capabilities.resources as { subscribe?: unknown } | undefined)?.subscribe;
    if (subscribe === true && resources.size > 0) notifications.resourceSubscriptions = [...resources];
    if (Object.keys(notifications).length === 0) return;
    const id = `${PREFIX}${++listenCounter}`;
    const abort = new AbortController();
    this.current = { id, abort };
    const method = 'subscriptions/listen';
    const body = JSON.stringify({
      jsonrpc: '2.0',
      id,
      method,
      params: this.carrier.envelope({ notifications }),
    });
    const signal = AbortSignal.any([abort.signal, this.carrier.signal()]);
    this.carrier.transmit(body, signal, { method }).then(
      // Over HTTP the exchange ends when the server ends the listen; over stdio its answer says so.
      () => {
        if (!this.carrier.answersInline() || this.current?.id !== id || signal.aborted) return;
        this.current = undefined;
        this.again(resources);
      },
      (err: Error) => {
        if (signal.aborted) return;
        if (this.current?.id === id) this.current = undefined;
        this.carrier.log(`our listen for changes ended: ${err.message}`);
      },
    );
  }

  private again(resources: ReadonlySet<string>): void {
    if (++this.reopens > MAX_REOPENS)
      return this.carrier.log('the server keeps ending our listen for changes; no longer reopening it');
    this.start(resources);
  }
}
