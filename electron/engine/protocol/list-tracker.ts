/**
 * Remembers what the server offers (tools, prompts, resources) so that after a restart the engine
 * can tell the client exactly which lists changed.
 */
export const LIST_KINDS = ['tools', 'prompts', 'resources'] as const;
export type ListKind = (typeof LIST_KINDS)[number];

export type ListSnapshot = Partial<Record<ListKind, string>>;

const LIST_CHANGED = /^notifications\/(tools|prompts|resources)\/list_changed$/;

/** The list a `notifications/<kind>/list_changed` method is about, if it is one. */
export function listChangedKind(method: string): ListKind | undefined {
  return LIST_CHANGED.exec(method)?.[1] as ListKind | undefined;
}

/** Sends one request to the server and resolves with its `result` (rejects on an error reply). */
export type RequestFn = (method: string, params?: Record<string, unknown>) => Promise<unknown>;

const MAX_PAGES = 100;

/** The capabilities block of an InitializeResult, reduced to what list tracking needs. */
export function listKindsOffered(capabilities: unknown): { kind: ListKind; listChanged: boolean }[] {
  if (typeof capabilities !== 'object' || capabilities === null) return [];
  const caps = capabilities as Record<string, unknown>;
  const offered: { kind: ListKind; listChanged: boolean }[] = [];
  for (const kind of LIST_KINDS) {
    const cap = caps[kind];
    if (typeof cap !== 'object' || cap === null) continue;
    offered.push({ kind, listChanged: (cap as { listChanged?: unknown }).listChanged === true });
  }
  return offered;
}

/** Fetches every page of one list and returns a stable fingerprint of its items. */
export async function fetchListFingerprint(request: RequestFn, kind: ListKind): Promise<string> {
  return JSON.stringify(await fetchListItems(request, kind));
}

/** Fetches every page of one list (bounded in pages). */
export async function fetchListItems(request: RequestFn, kind: ListKind): Promise<unknown[]> {
  const items: unknown[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const result = (await request(`${kind}/list`, cursor ? { cursor } : undefined)) as Record<
      string,
      unknown
    >;
    const pageItems = result?.[kind];
    if (Array.isArray(pageItems)) items.push(...pageItems);
    cursor = typeof result?.nextCursor === 'string' ? result.nextCursor : undefined;
    if (!cursor) break;
  }
  return items;
}

export async function takeSnapshot(request: RequestFn, kinds: readonly ListKind[]): Promise<ListSnapshot> {
  const snapshot: ListSnapshot = {};
  await Promise.all(
    kinds.map(async (kind) => {
      snapshot[kind] = await fetchListFingerprint(request, kind);
    }),
  );
  return snapshot;
}

/** Kinds whose fingerprint differs; a kind missing on either side counts as changed. */
export function changedKinds(
  before: ListSnapshot,
  after: ListSnapshot,
  kinds: readonly ListKind[],
): ListKind[] {
  return kinds.filter((kind) => before[kind] !== after[kind]);
}
