import {
  changedKinds,
  listChangedKind,
  listKindsOffered,
  takeSnapshot,
  type ListKind,
  type ListSnapshot,
  type RequestFn,
} from '../protocol/list-tracker.js';

/**
 * Knows what the client last saw of the server's lists, and after a restart tells it which changed
 * (only where the server advertises `listChanged`, as clients expect).
 */
export class ListAnnouncer {
  /** The server's capabilities from its latest InitializeResult. */
  capabilities: unknown;
  private snapshot: ListSnapshot | undefined;

  constructor(
    private readonly request: RequestFn,
    private readonly notifyClient: (method: string) => void,
    private readonly log: (line: string) => void,
  ) {}

  /** The client finished initializing: remember what it can see now. */
  async takeBaseline(only?: ListKind): Promise<void> {
    const kinds = this.offered().map((k) => k.kind);
    if (kinds.length === 0) return;
    try {
      const fresh = await takeSnapshot(this.request, only ? [only] : kinds);
      this.snapshot = { ...this.snapshot, ...fresh };
    } catch (err) {
      this.log(`could not list the server's ${only ?? kinds.join('/')}: ${(err as Error).message}`);
    }
  }

  /** After a restart: re-list, and send list_changed for each list that differs. */
  async announceChanges(): Promise<void> {
    if (!this.snapshot) return;
    const before = this.snapshot;
    const offered = this.offered();
    const kinds = offered.map((k) => k.kind);
    let after: ListSnapshot;
    try {
      after = await takeSnapshot(this.request, kinds);
    } catch (err) {
      this.log(`could not re-list after the restart: ${(err as Error).message}`);
      return;
    }
    this.snapshot = after;
    const changed = new Set(changedKinds(before, after, kinds));
    for (const { kind, listChanged } of offered) {
      if (!changed.has(kind)) continue;
      if (!listChanged) {
        this.log(`the ${kind} list changed, but the server does not advertise ${kind}.listChanged`);
        continue;
      }
      this.notifyClient(`notifications/${kind}/list_changed`);
      this.log(`${kind} changed: sent notifications/${kind}/list_changed`);
    }
  }

  /** The server announced a change itself: the client will re-list, so refresh what we remember. */
  noticeServerNotification(method: string): void {
    const kind = listChangedKind(method);
    if (kind && this.snapshot) void this.takeBaseline(kind);
  }

  private offered(): { kind: ListKind; listChanged: boolean }[] {
    return listKindsOffered(this.capabilities);
  }
}
