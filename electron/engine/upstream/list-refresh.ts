import type { EventEmitter } from 'node:events';
import type { Classified, JsonRpcMessage } from '../jsonrpc/messages.js';
import {
  fetchListItems,
  listChangedKind,
  listKindsOffered,
  type ListKind,
  type RequestFn,
} from '../protocol/list-tracker.js';
import type { UpstreamEvents } from './upstream.js';

/**
 * Fetches every page of each list the server offers (or of `only` those), stores them in `lists`
 * and returns the kinds whose content changed. A list that cannot be fetched keeps its old items.
 */
export async function refreshLists(opts: {
  capabilities: unknown;
  lists: Partial<Record<ListKind, unknown[]>>;
  request: RequestFn;
  only?: readonly ListKind[];
  log: (line: string) => void;
}): Promise<ListKind[]> {
  const offered = listKindsOffered(opts.capabilities).map((k) => k.kind);
  const kinds = opts.only ? offered.filter((k) => opts.only!.includes(k)) : offered;
  const changed: ListKind[] = [];
  for (const kind of kinds) {
    try {
      const items = await fetchListItems(opts.request, kind);
      if (JSON.stringify(items) !== JSON.stringify(opts.lists[kind])) changed.push(kind);
      opts.lists[kind] = items;
    } catch (err) {
      opts.log(`could not list ${kind}: ${(err as Error).message}`);
    }
  }
  return changed;
}

/**
 * `refreshLists`, then `listsChanged` to the upstream's listeners. After a (re)connect (`only`
 * absent) it always fires, even when nothing changed, so that a restart's refresh can be told from
 * one that follows the server's own list_changed.
 */
export async function refreshAndReport(
  upstream: EventEmitter<UpstreamEvents>,
  opts: Omit<Parameters<typeof refreshLists>[0], 'request'> & {
    /** Sends one of the engine's own requests; an error reply fails that list only. */
    send: (method: string, params?: Record<string, unknown>) => Promise<JsonRpcMessage>;
  },
): Promise<void> {
  const request = async (method: string, params?: Record<string, unknown>) => {
    const response = await opts.send(method, params);
    if (response.error) throw new Error(response.error.message);
    return response.result;
  };
  const changed = await refreshLists({ ...opts, request });
  if (changed.length > 0 || !opts.only) upstream.emit('listsChanged', changed);
}

/** A request or notification the server sent: passed on, and a list_changed re-lists first. */
export function passOnServerMessage(
  upstream: EventEmitter<UpstreamEvents>,
  parsed: Extract<Classified, { kind: 'request' | 'notification' }>,
  relist: (kinds: ListKind[]) => void,
  relatedTo?: number,
): void {
  if (parsed.kind === 'request') {
    upstream.emit('serverRequest', parsed.message, relatedTo);
    return;
  }
  const kind = listChangedKind(parsed.method);
  if (kind) relist([kind]);
  upstream.emit('notification', parsed.message);
}
