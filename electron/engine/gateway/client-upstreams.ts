import type { Clock, TimerHandle } from '../flow/clock.js';
import type { ClientIdentity } from '../upstream/upstream.js';
import type { OwnUpstream } from './own-upstream.js';

interface Entry {
  opened: Promise<OwnUpstream | { detail: string }>;
  users: number;
  idle?: TimerHandle;
}

/** Canonical JSON (sorted keys): two clients that declare the same capabilities get one key. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (typeof value === 'object' && value !== null)
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(value) ?? 'null';
}

/**
 * Upstreams of a client's own for clients that have no session (2026-07-28): a server that gives
 * each client its own (`sessions`) gets one per client, told apart by who it says it is (its name,
 * version and capabilities), kept while it makes requests and for a while after (10 minutes idle),
 * so its requests, one POST each, reach the same instance as a session's would.
 */
export class ClientUpstreams {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly open: (
      server: string,
      client: ClientIdentity,
    ) => Promise<OwnUpstream | { detail: string }>,
    private readonly clock: Clock,
    private readonly idleMs = 10 * 60_000,
  ) {}

  /** The client's own upstream of `server` for one request; `release` when the request is done. */
  async acquire(
    server: string,
    client: ClientIdentity,
  ): Promise<{ own: OwnUpstream; release: () => void } | { detail: string }> {
    const { name, version } = client.clientInfo;
    const key = [server, name, version, canonical(client.capabilities)].join('\0');
    let entry = this.entries.get(key);
    if (!entry) {
      entry = { opened: this.open(server, client), users: 0 };
      this.entries.set(key, entry);
    }
    const mine = entry;
    mine.users++;
    if (mine.idle) this.clock.clearTimeout(mine.idle);
    mine.idle = undefined;
    const own = await mine.opened;
    if ('detail' in own) {
      if (this.entries.get(key) === mine) this.entries.delete(key); // the next request tries again
      return own;
    }
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      if (--mine.users > 0) return;
      mine.idle = this.clock.setTimeout(() => {
        this.entries.delete(key);
        void own.end();
      }, this.idleMs);
    };
    return { own, release };
  }

  get size(): number {
    return this.entries.size;
  }
}
