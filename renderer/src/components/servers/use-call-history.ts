import { computed, onUnmounted, reactive, watch } from 'vue';
import { useEngine } from '../../context.js';
import { HOUR, MINUTE } from '../detail/chart-math.js';
import { useClock } from './clock.js';

const MINUTES = HOUR / MINUTE;

export interface CallHistory {
  /**
   * A server's calls per minute over the last hour, oldest first (60 figures, the minute in progress
   * last), or undefined while nothing is known of it (not read yet, or the engine would not say).
   */
  perMinute(server: string): readonly number[] | undefined;
  /** Its calls in the last hour (0 while unknown). */
  total(server: string): number;
}

/**
 * Calls per minute of every server on screen, for the rows' sparklines: each server's last hour is
 * read once (`getServerStats`), then kept current by the engine's `server.calls` events (one per
 * server per minute). No polling; one subscription for all the rows.
 */
export function useCallHistory(servers: () => readonly string[]): CallHistory {
  const engine = useEngine();
  const clock = useClock();
  /** Per server: calls by the minute they were in. A server is here once something is known of it. */
  const series = reactive(new Map<string, Map<number, number>>());
  /** Servers whose history was asked for (so each is read once), with the ask's generation. */
  const asked = new Map<string, number>();
  let generation = 0;

  async function load(server: string): Promise<void> {
    const mine = ++generation;
    asked.set(server, mine);
    try {
      const { buckets } = await engine.bridge.call('getServerStats', { server, include: 'calls' });
      if (asked.get(server) !== mine) return; // removed (or re-added) meanwhile
      const minutes = new Map(buckets.map((b) => [b.at, b.calls] as const));
      // Events that came while the answer was on its way are newer: they win.
      for (const [at, calls] of series.get(server) ?? []) minutes.set(at, calls);
      series.set(server, minutes);
    } catch {
      // No figures for it: the row says so ("–") rather than claiming zero calls.
    }
  }

  watch(
    servers,
    (names) => {
      const present = new Set(names);
      for (const name of names) if (!asked.has(name)) void load(name);
      for (const name of [...asked.keys()]) {
        if (present.has(name)) continue;
        asked.delete(name);
        series.delete(name);
      }
    },
    { immediate: true },
  );

  const stop = engine.onEvent((event) => {
    if (event.type !== 'server.calls') return;
    let minutes = series.get(event.server);
    if (!minutes) {
      series.set(event.server, new Map());
      minutes = series.get(event.server)!;
    }
    minutes.set(event.minute, event.calls);
    // Keep about an hour: older minutes are never drawn again.
    for (const at of minutes.keys()) if (at < event.minute - HOUR) minutes.delete(at);
  });
  onUnmounted(stop);

  // The start of the minute after the current one: the sparklines move once a minute, not every second.
  const end = computed(() => Math.floor(clock.value / MINUTE) * MINUTE + MINUTE);

  function perMinute(server: string): readonly number[] | undefined {
    const minutes = series.get(server);
    if (!minutes) return undefined;
    // Up to now, or to the newest minute the engine told if its clock runs ahead of ours.
    let last = end.value;
    for (const at of minutes.keys()) last = Math.max(last, at + MINUTE);
    const start = last - HOUR;
    const counts = new Array<number>(MINUTES).fill(0);
    for (const [at, calls] of minutes) {
      const i = Math.floor((at - start) / MINUTE);
      if (i >= 0 && i < MINUTES) counts[i] = (counts[i] ?? 0) + calls;
    }
    return counts;
  }

  return {
    perMinute,
    total: (server) => perMinute(server)?.reduce((sum, n) => sum + n, 0) ?? 0,
  };
}
