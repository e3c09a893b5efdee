import { describe, expect, it } from 'vitest';
import { apiOperations } from '../../shared/api.js';
import { UsageHistory } from '../metrics/usage-history.js';
import { EngineApi, type EngineApiDeps } from './engine-api.js';

/** Only what getServerStats uses: the snapshot (to know the server), the calls and the usage. */
function apiWith(usage = new UsageHistory(() => 0)): EngineApi {
  const deps = {
    supervisor: { snapshot: () => ({ servers: [{ name: 'notes' }] }) },
    calls: { buckets: () => [{ at: 60_000, calls: 3, errors: 1, p50Ms: 2, p99Ms: 9 }] },
    usage,
  } as unknown as EngineApiDeps;
  return new EngineApi(deps);
}

describe('getServerStats', () => {
  it('answers the calls per minute and the CPU and memory history, as the API table says', async () => {
    const usage = new UsageHistory(() => 120_000);
    usage.record({ server: 'notes', at: 100_000, cpuPercent: 2.5, rssBytes: 40_000_000 });
    usage.record({ server: 'notes', at: 110_000, cpuPercent: 12, rssBytes: 41_000_000 });
    usage.record({ server: 'other', at: 110_000, cpuPercent: 90, rssBytes: 1 });
    const input = apiOperations.getServerStats.input.parse({ server: 'notes' }); // include: all
    const answer = await apiWith(usage).getServerStats(input);
    expect(answer).toEqual({
      server: 'notes',
      buckets: [{ at: 60_000, calls: 3, errors: 1, p50Ms: 2, p99Ms: 9 }],
      usage: [
        { at: 100_000, cpuPercent: 2.5, rssBytes: 40_000_000 },
        { at: 110_000, cpuPercent: 12, rssBytes: 41_000_000 },
      ],
    });
    expect(apiOperations.getServerStats.output.parse(answer)).toEqual(answer);
    // A list of servers asks for the calls alone.
    const callsOnly = await apiWith(usage).getServerStats({ server: 'notes', include: 'calls' });
    expect(callsOnly.buckets).toHaveLength(1);
    expect(callsOnly.usage).toEqual([]);
  });

  it('answers an empty history when nothing was sampled, and refuses an unknown server', async () => {
    expect((await apiWith().getServerStats({ server: 'notes', include: 'all' })).usage).toEqual([]);
    await expect(apiWith().getServerStats({ server: 'nope', include: 'all' })).rejects.toThrow(/nope/);
  });
});
