import {
  fetchListItems,
  listKindsOffered,
  type ListKind,
  type RequestFn,
} from '../passthrough/list-tracker.js';

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
