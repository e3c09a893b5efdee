import { flushPromises } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import type { CallBucketDto, RestartRecordDto } from '../../../../electron/shared/api.js';
import { FakeBridge } from '../../testing/fake-bridge.js';
import { mountWithEngine } from '../../testing/mount-app.js';
import CallCharts from './CallCharts.vue';
import { MINUTE } from './chart-math.js';

const minute = (ago: number) => Math.floor(Date.now() / MINUTE) * MINUTE - ago * MINUTE;
const bucket = (ago: number, more: Partial<CallBucketDto> = {}): CallBucketDto => ({
  at: minute(ago),
  calls: 10,
  errors: 0,
  p50Ms: 3,
  p99Ms: 12,
  ...more,
});
const restart = (at: number, outcome: 'ready' | 'failed' = 'ready'): RestartRecordDto => ({
  server: 'notes',
  at,
  cause: { kind: 'user' },
  durationMs: 50,
  outcome,
});

async function mountCharts(buckets: CallBucketDto[], restarts: RestartRecordDto[] = []) {
  const bridge = new FakeBridge()
    .answer('listServers', () => ({ servers: [] }))
    .answer('getServerStats', ({ server }) => ({ server, buckets }))
    .answer('getRestartHistory', ({ server }) => ({ server, restarts }));
  return mountWithEngine(CallCharts, { bridge, props: { server: 'notes' } });
}

describe('CallCharts', () => {
  it('reads the stats and the restart history for the server', async () => {
    const { bridge } = await mountCharts([]);
    expect(bridge.callsOf('getServerStats')).toEqual([{ server: 'notes' }]);
    expect(bridge.callsOf('getRestartHistory')).toEqual([{ server: 'notes', limit: 100 }]);
  });

  it('draws latency lines and call bars from the buckets, summarised in words', async () => {
    const { wrapper } = await mountCharts([
      bucket(3, { calls: 4, p50Ms: 2, p99Ms: 40 }),
      bucket(1, { calls: 10, errors: 2, p50Ms: 3, p99Ms: 12 }),
    ]);
    const latency = wrapper.get('[data-testid="chart-latency"]');
    expect(latency.get('figcaption').text()).toContain('Latency');
    const svg = latency.get('svg[role="img"]');
    expect(svg.attributes('aria-label')).toBe(
      'p50 3 ms, p99 12 ms in the latest minute; highest p99 40 ms over the last 60 minutes',
    );
    expect(latency.get('[data-testid="line-p50"]').attributes('d')).toMatch(
      /^M[\d.]+ [\d.]+ L[\d.]+ [\d.]+$/,
    );
    expect(latency.get('[data-testid="line-p99"]').attributes('d')).toMatch(/^M.* L/);

    const calls = wrapper.get('[data-testid="chart-calls"]');
    expect(calls.get('svg').attributes('aria-label')).toBe(
      '14 calls (2 errors) over the last 60 minutes; busiest minute 10 calls',
    );
    expect(calls.findAll('[data-testid="bar-calls"]')).toHaveLength(2);
    expect(calls.findAll('[data-testid="bar-errors"]')).toHaveLength(1);
    // The busier minute has the taller bar.
    const heights = calls.findAll('[data-testid="bar-calls"]').map((b) => Number(b.attributes('height')));
    expect(heights[1]).toBeGreaterThan(heights[0] ?? Infinity);
  });

  it('adds a pushed server.calls minute and replaces one it already has', async () => {
    const { wrapper, bridge } = await mountCharts([bucket(2, { calls: 5 })]);
    const calls = () => wrapper.get('[data-testid="chart-calls"]');
    bridge.push('events', {
      type: 'server.calls',
      server: 'notes',
      minute: minute(1),
      calls: 7,
      errors: 1,
      p50Ms: 4,
      p99Ms: 9,
      at: Date.now(),
    });
    // Another server's minute is not this one's.
    bridge.push('events', {
      type: 'server.calls',
      server: 'other',
      minute: minute(1),
      calls: 1000,
      errors: 0,
      p50Ms: 1,
      p99Ms: 1,
      at: Date.now(),
    });
    await flushPromises();
    expect(calls().findAll('[data-testid="bar-calls"]')).toHaveLength(2);
    expect(calls().get('svg').attributes('aria-label')).toContain('12 calls (1 error)');
    expect(wrapper.get('[data-testid="chart-latency"] svg').attributes('aria-label')).toContain(
      'p50 4 ms, p99 9 ms in the latest minute',
    );

    bridge.push('events', {
      type: 'server.calls',
      server: 'notes',
      minute: minute(2),
      calls: 6,
      errors: 0,
      p50Ms: 4,
      p99Ms: 9,
      at: Date.now(),
    });
    await flushPromises();
    expect(calls().findAll('[data-testid="bar-calls"]')).toHaveLength(2);
    expect(calls().get('svg').attributes('aria-label')).toContain('13 calls');
  });

  it('counts restarts of the last hour in 5-minute bars, live ones included', async () => {
    const { wrapper, bridge } = await mountCharts(
      [],
      // Two in the same 5 minutes (the bins start at whole minutes), one long before the hour.
      [restart(minute(120)), restart(minute(30) + 1000, 'failed'), restart(minute(30) + 2000)],
    );
    const chart = () => wrapper.get('[data-testid="chart-restarts"]');
    expect(chart().get('svg').attributes('aria-label')).toBe(
      '2 restarts over the last hour (1 failed); at most 2 in 5 minutes',
    );
    expect(chart().findAll('[data-testid="bar-restarts"]').length).toBeGreaterThanOrEqual(1);

    bridge.push('events', {
      type: 'server.restart',
      server: 'notes',
      cause: { kind: 'file', paths: ['src/a.ts'] },
      startedAt: Date.now(),
      durationMs: 80,
      outcome: 'ready',
    });
    await flushPromises();
    expect(chart().get('svg').attributes('aria-label')).toContain('3 restarts over the last hour');
  });

  it('shows an empty state in each chart when there is nothing to draw', async () => {
    const { wrapper } = await mountCharts([], [restart(minute(180))]);
    for (const id of ['chart-latency', 'chart-calls', 'chart-restarts']) {
      const figure = wrapper.get(`[data-testid="${id}"]`);
      expect(figure.find('svg').exists()).toBe(false);
      expect(figure.get('[data-testid="chart-empty"]').text()).toMatch(
        /^No (calls|restarts) in the last hour\.$/,
      );
    }
  });

  it("shows the engine's words when the figures cannot be read", async () => {
    const bridge = new FakeBridge()
      .answer('listServers', () => ({ servers: [] }))
      .refuse('getServerStats', 503, 'metrics are off')
      .answer('getRestartHistory', ({ server }) => ({ server, restarts: [] }));
    const { wrapper } = await mountWithEngine(CallCharts, { bridge, props: { server: 'notes' } });
    expect(wrapper.get('[role="alert"]').text()).toContain('metrics are off');
  });
});
