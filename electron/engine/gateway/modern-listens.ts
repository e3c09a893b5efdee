import { errorReply, type JsonRpcId, type JsonRpcMessage } from '../jsonrpc/messages.js';
import { LIST_KINDS, listChangedKind, type ListKind } from '../protocol/list-tracker.js';
import { SUBSCRIPTION_ID_META } from '../protocol/modern-era.js';
import type { ModernHost } from './modern-requests.js';

interface Listen {
  kinds: ReadonlySet<ListKind>;
  resources: ReadonlySet<string>;
  end(): void;
}

/**
 * A session's open `subscriptions/listen` requests (2026-07-28): what the GET stream and
 * `resources/subscribe` were for a 2025-11-25 client. Each hears the list changes and resource
 * updates it asked for, tagged with its id, until the client cancels it or goes away.
 */
export class ModernListens {
  private readonly listens = new Map<JsonRpcId, Listen>();

  constructor(private readonly host: Pick<ModernHost, 'discover' | 'send' | 'onRequest'>) {}

  /**
   * `subscriptions/listen`: acknowledged with the lists it will hear about (those the server says
   * change) and the resources (where the server offers subscriptions: each is subscribed to as a
   * 2025-11-25 client would), then each change, until the client cancels it or goes away.
   */
  async listen(id: JsonRpcId, params: unknown): Promise<JsonRpcMessage | undefined> {
    const filter = (params as { notifications?: unknown } | undefined)?.notifications;
    if (typeof filter !== 'object' || filter === null)
      return errorReply(id, {
        code: -32602,
        message: "Invalid params: 'notifications' is required and must be a valid SubscriptionFilter",
      });
    const info = await this.host.discover();
    const capabilities = info.ok ? info.capabilities : {};
    const wanted = filter as Record<string, unknown>;
    const kinds = new Set<ListKind>();
    for (const kind of LIST_KINDS) {
      const changes = (capabilities[kind] as { listChanged?: unknown } | undefined)?.listChanged === true;
      if (changes && wanted[`${kind}ListChanged`] === true) kinds.add(kind);
    }
    const resources = await this.subscribeAll(id, wanted.resourceSubscriptions, capabilities);
    const meta = { [SUBSCRIPTION_ID_META]: id };
    const notifications: Record<string, unknown> = Object.fromEntries(
      [...kinds].map((kind) => [`${kind}ListChanged`, true]),
    );
    if (resources.size > 0) notifications.resourceSubscriptions = [...resources];
    this.host.send(
      {
        jsonrpc: '2.0',
        method: 'notifications/subscriptions/acknowledged',
        params: { notifications, _meta: meta },
      },
      id,
    );
    if (kinds.size === 0 && resources.size === 0)
      return { jsonrpc: '2.0', id, result: { resultType: 'complete', _meta: meta } };
    return new Promise((resolve) =>
      this.listens.set(id, {
        kinds,
        resources,
        end: () => {
          this.listens.delete(id);
          for (const uri of resources)
            void this.host.onRequest(`${String(id)}:unsubscribe:${uri}`, 'resources/unsubscribe', { uri });
          resolve(undefined);
        },
      }),
    );
  }

  /** The resources a listen names that the server lets clients subscribe to, subscribed to. */
  private async subscribeAll(
    id: JsonRpcId,
    wanted: unknown,
    capabilities: Record<string, unknown>,
  ): Promise<Set<string>> {
    const subscribed = new Set<string>();
    const offered = (capabilities.resources as { subscribe?: unknown } | undefined)?.subscribe === true;
    if (!offered || !Array.isArray(wanted)) return subscribed;
    for (const uri of wanted) {
      if (typeof uri !== 'string') continue;
      const reply = await this.host.onRequest(`${String(id)}:subscribe:${uri}`, 'resources/subscribe', {
        uri,
      });
      if (reply && !reply.error) subscribed.add(uri);
    }
    return subscribed;
  }

  /** The client cancelled one of its requests: true when it was a listen (now ended). */
  end(requestId: unknown): boolean {
    const listen = this.listens.get(requestId as JsonRpcId);
    listen?.end();
    return listen !== undefined;
  }

  /** The session ends: every listen with it. */
  closeAll(): void {
    for (const listen of [...this.listens.values()]) listen.end();
  }

  /** A notification from the server: to each listen that asked for it. */
  tell(message: JsonRpcMessage): void {
    const kind = listChangedKind(message.method ?? '');
    if (kind) this.tellListeners(message, (listen) => listen.kinds.has(kind));
    if (message.method === 'notifications/resources/updated') {
      const uri = (message.params as { uri?: unknown } | undefined)?.uri;
      this.tellListeners(message, (listen) => typeof uri === 'string' && listen.resources.has(uri));
    }
  }

  private tellListeners(message: JsonRpcMessage, hears: (listen: Listen) => boolean): void {
    for (const [id, listen] of this.listens) {
      if (!hears(listen)) continue;
      const params = {
        ...((message.params as object | undefined) ?? {}),
        _meta: { [SUBSCRIPTION_ID_META]: id },
      };
      this.host.send({ jsonrpc: '2.0', method: message.method!, params }, id);
    }
  }
}
