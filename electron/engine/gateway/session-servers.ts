import type { ListKind } from '../protocol/list-tracker.js';
import type { ClientIdentity, Upstream } from '../upstream/upstream.js';
import type { Downstream } from './downstream.js';
import type { Gateway } from './gateway.js';
import type { OwnUpstream } from './own-upstream.js';
import type { ServerRouter } from './server-router.js';

export type ReadyServer = { name: string; router: ServerRouter; upstream: Upstream };

/**
 * The servers one aggregated session reaches: each server's shared upstream, or an upstream of the
 * session's own where the server gives each client one (`sessions` in the config). A server that
 * gives each client its own is never reached over the shared one, so nothing it asks can go astray.
 */
export class SessionServers {
  /** The session's own upstreams, and how each is given back at the end. */
  private readonly own = new Map<string, { upstream: OwnUpstream; giveBack(): void }>();
  /** Shared routers the session is attached to: it hears their broadcasts, and leaves them at the end. */
  private readonly shared = new Set<ServerRouter>();
  /** Own upstreams asked for, by server; one that failed stays here (no retry storm per request). */
  private readonly opening = new Map<string, Promise<void>>();
  private closed = false;
  /** The first lists were given: an own upstream that comes up later changes them. */
  private listed = false;

  constructor(
    private readonly gateway: Gateway,
    private readonly session: Downstream,
    /**
     * A 2026-07-28 client (one short session per request): its own upstreams are the ones kept for
     * who it says it is (gateway/client-upstreams.ts), borrowed per request, not ended with it.
     */
    private readonly borrows: () => boolean,
    /** Who the client is (known once it has initialized). */
    private readonly identity: () => ClientIdentity,
    /** An own upstream came up later, or its lists changed: the session's lists differ. */
    private readonly onListsChanged: (kinds: ListKind[]) => void,
    private readonly log: (line: string) => void,
  ) {}

  /** Opens the own upstreams of the servers up now, so the session's first lists are whole. */
  async openOwn(): Promise<void> {
    const openIfOwned = async (name: string) => {
      await this.gateway.sessionsDecided(name);
      if (this.gateway.ownsUpstream(name)) await this.open(name);
    };
    await Promise.all(this.gateway.readyServers().map((s) => openIfOwned(s.name)));
    this.listed = true;
  }

  /**
   * The servers up now, each over the upstream this session uses for it. The session joins the
   * shared router of each it reaches that way (so it hears what they broadcast), and never the
   * shared router of a server it reaches over its own.
   */
  ready(): ReadyServer[] {
    const servers: ReadyServer[] = [];
    for (const shared of this.gateway.readyServers()) {
      const own = this.own.get(shared.name)?.upstream;
      if (own) {
        if (own.upstream.info)
          servers.push({ name: shared.name, router: own.router, upstream: own.upstream });
      } else if (this.gateway.ownsUpstream(shared.name)) void this.open(shared.name);
      else {
        if (!this.closed) {
          this.shared.add(shared.router);
          shared.router.attach(this.session);
        }
        servers.push(shared);
      }
    }
    return servers;
  }

  /** Every router this session uses or used (cancellations, roots changes, answers). */
  routers(): ServerRouter[] {
    return [...this.shared, ...[...this.own.values()].map((o) => o.upstream.router)];
  }

  /** The session ended: it leaves the shared routers; its own upstreams (and processes) end with it. */
  close(): void {
    this.closed = true;
    for (const router of this.shared) router.detach(this.session);
    this.shared.clear();
    for (const own of this.own.values()) {
      own.upstream.router.detach(this.session);
      own.upstream.router.off('listsChanged', this.onListsChanged);
      own.giveBack();
    }
    this.own.clear();
  }

  private open(name: string): Promise<void> {
    let opening = this.opening.get(name);
    if (opening) return opening;
    opening = this.take(name).then(async (got) => {
      if ('detail' in got) return this.log(`aggregated session ${this.session.id}: ${got.detail}`);
      if (this.closed) return got.giveBack();
      this.own.set(name, got);
      const own = got.upstream;
      own.router.attach(this.session);
      own.router.on('listsChanged', this.onListsChanged);
      if (this.listed) this.onListsChanged(['tools', 'prompts', 'resources']);
    });
    this.opening.set(name, opening);
    return opening;
  }

  private async take(
    name: string,
  ): Promise<{ upstream: OwnUpstream; giveBack(): void } | { detail: string }> {
    if (this.borrows()) {
      const borrowed = await this.gateway.clientUpstreams.acquire(name, this.identity());
      return 'detail' in borrowed ? borrowed : { upstream: borrowed.own, giveBack: borrowed.release };
    }
    const own = await this.gateway.ownUpstream(name, this.identity());
    return 'detail' in own ? own : { upstream: own, giveBack: () => void own.end() };
  }
}
