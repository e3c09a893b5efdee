import type { ServerUsageEvent } from '../../shared/events.js';
import { RingBuffer } from '../process/ring-buffer.js';

/** One sample of a server's CPU and memory, as the stats answer carries it. */
export interface UsagePoint {
  /** When it was sampled (ms since the epoch). */
  at: number;
  /** Percent of one core (200 = two cores busy), to two decimals. */
  cpuPercent: number;
  rssBytes: number;
}

/** How far back the history reaches: the window's charts show the last hour. */
export const USAGE_KEEP_MS = 60 * 60_000;
/** At most one point per slot of this many ms (the sampler's quick pace): the newest sample wins. */
export const USAGE_SLOT_MS = 5_000;
/** The most points a server holds: one per slot over the hour. */
export const USAGE_MAX_POINTS = USAGE_KEEP_MS / USAGE_SLOT_MS;

interface ServerHistory {
  /** Slots that are over, oldest first; bounded, so memory is too, whatever the sampling pace. */
  done: RingBuffer<UsagePoint>;
  /** The slot in progress: a newer sample in the same slot replaces it. */
  open: UsagePoint;
  slot: number;
}

/**
 * The last hour of each server's CPU and memory samples (`server.usage` events) for the window's
 * charts: the history of the server entry, so it goes on across restarts of its process and is
 * dropped when the server is removed. A ring of closed 5-second slots plus the slot in progress.
 */
export class UsageHistory {
  private readonly servers = new Map<string, ServerHistory>();

  constructor(private readonly now: () => number) {}

  record(event: Pick<ServerUsageEvent, 'server' | 'at' | 'cpuPercent' | 'rssBytes'>): void {
    const point: UsagePoint = {
      at: event.at,
      cpuPercent: Math.round(event.cpuPercent * 100) / 100,
      rssBytes: event.rssBytes,
    };
    const slot = Math.floor(event.at / USAGE_SLOT_MS);
    const history = this.servers.get(event.server);
    if (!history) {
      const done = new RingBuffer<UsagePoint>(USAGE_MAX_POINTS - 1);
      this.servers.set(event.server, { done, open: point, slot });
      return;
    }
    // A sample older than the one in progress (clocks do not go back, but events may cross) is dropped.
    if (slot < history.slot) return;
    if (slot > history.slot) history.done.push(history.open);
    history.open = point;
    history.slot = slot;
  }

  /** The points of the last hour, oldest first ([] for a server never sampled). */
  points(server: string): UsagePoint[] {
    const history = this.servers.get(server);
    if (!history) return [];
    const horizon = this.now() - USAGE_KEEP_MS;
    return [...history.done.toArray(), history.open].filter((p) => p.at > horizon);
  }

  forget(server: string): void {
    this.servers.delete(server);
  }
}
