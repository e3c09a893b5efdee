import { notification, type JsonRpcId, type JsonRpcMessage } from '../jsonrpc/messages.js';
import type { ListAnnouncer } from './list-announcer.js';
import { ENVELOPE, isModernClaim, SUBSCRIPTION_ID_META } from '../protocol/modern-era.js';
import { listChangedKind } from '../protocol/list-tracker.js';

interface Listen {
  line: Buffer;
  /** The lists it asked to hear about (`toolsListChanged`, ...). */
  filter: Record<string, unknown>;
  /** Sent again to a new process: its acknowledgement is the engine's, not the client's. */
  replayed: boolean;
}

/**
 * What `run` must remember of a 2026-07-28 client to carry it across a restart: there is no
 * `initialize` to replay, but its envelope (so the engine's own requests to the new process speak
 * its era) and its open `subscriptions/listen` requests (sent again to the new process, and the
 * channel the engine tells list changes on). A listen never ends by itself, so it is not a request
 * a restart waits for.
 */
export class ModernClient {
  private envelope: Record<string, unknown> | undefined;
  private readonly listens = new Map<JsonRpcId, Listen>();

  constructor(
    private readonly deps: {
      /** One of the engine's own requests to the server process. */
      request(method: string, params: unknown): Promise<unknown>;
      /** A message to the client. */
      write(message: JsonRpcMessage): void;
      lists: Pick<ListAnnouncer, 'capabilities'>;
      log(line: string): void;
    },
  ) {}

  /** The client speaks 2026-07-28 (it sent an enveloped request other than a probe). */
  get active(): boolean {
    return this.envelope !== undefined;
  }

  /** A message the client sent the server. True for a listen (it is not waited for on a restart). */
  clientSent(message: JsonRpcMessage, line: Buffer): boolean {
    const params = message.params as { _meta?: Record<string, unknown>; notifications?: unknown } | undefined;
    // `server/discover` only asks: the client may still go on in 2025-11-25 (initialize), and the
    // engine's own enveloped requests would settle the server's era for it.
    if (isModernClaim(params) && message.method !== 'server/discover') {
      const meta = params!._meta!;
      this.envelope = Object.fromEntries(
        Object.values(ENVELOPE)
          .filter((k) => k in meta)
          .map((k) => [k, meta[k]]),
      );
    }
    const id = message.id;
    if (message.method === 'subscriptions/listen' && id !== undefined && id !== null) {
      const filter =
        typeof params?.notifications === 'object' && params.notifications !== null
          ? params.notifications
          : {};
      this.listens.set(id, { line, filter: filter as Record<string, unknown>, replayed: false });
      return true;
    }
    if (message.method === 'notifications/cancelled')
      this.listens.delete((params as { requestId?: JsonRpcId } | undefined)?.requestId as JsonRpcId);
    return false;
  }

  isListen(id: JsonRpcId): boolean {
    return this.listens.has(id);
  }

  /** The server ended a listen (its result, or an error): it is no more. */
  ended(id: JsonRpcId): void {
    this.listens.delete(id);
  }

  /** The params of one of the engine's own requests, in the client's era. */
  withEnvelope(params: unknown): unknown {
    if (!this.envelope) return params;
    const given = (params ?? {}) as Record<string, unknown>;
    return { ...given, _meta: { ...((given._meta as object | undefined) ?? {}), ...this.envelope } };
  }

  /** The open listens, to send again to a new process. */
  replayLines(): Buffer[] {
    for (const listen of this.listens.values()) listen.replayed = true;
    return [...this.listens.values()].map((l) => l.line);
  }

  /** True for a new process's acknowledgement of a listen the engine sent again (the client has one). */
  swallows(message: JsonRpcMessage): boolean {
    if (message.method !== 'notifications/subscriptions/acknowledged') return false;
    const meta = (message.params as { _meta?: Record<string, unknown> } | undefined)?._meta;
    const listen = this.listens.get(meta?.[SUBSCRIPTION_ID_META] as JsonRpcId);
    if (!listen?.replayed) return false;
    listen.replayed = false;
    return true;
  }

  /** A list the client saw changed across a restart: told as its era tells it (over its listens). */
  tellListChanged(method: string): void {
    if (!this.active) return this.deps.write(notification(method));
    const kind = listChangedKind(method);
    for (const [id, listen] of this.listens)
      if (kind && listen.filter[`${kind}ListChanged`] === true)
        this.deps.write({ jsonrpc: '2.0', method, params: { _meta: { [SUBSCRIPTION_ID_META]: id } } });
  }

  /** The server's capabilities in the client's era (what `initialize` gives in the old one). */
  async discoverCapabilities(): Promise<void> {
    try {
      const found = (await this.deps.request('server/discover', this.withEnvelope({}))) as {
        capabilities?: unknown;
      };
      this.deps.lists.capabilities = found?.capabilities;
    } catch (err) {
      this.deps.log(`could not ask the server what it offers (server/discover): ${(err as Error).message}`);
    }
  }
}
