import { flushPromises, type VueWrapper } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CallBucketDto, RestartRecordDto } from '../../../../electron/shared/api.js';
import type { EngineEvent } from '../../../../electron/shared/events.js';
import { FakeBridge } from '../../testing/fake-bridge.js';
import { mountWithEngine } from '../../testing/mount-app.js';
import { serverSnapshot } from '../../testing/server-snapshot.js';
import CallCharts from './CallCharts.vue';
import { MINUTE, type UsageSample } from './chart-math.js';

// happy-dom has no canvas: uPlot is stood in for by a fake that keeps what it was given, so the
// tests see which data each chart draws, with which colours, and that it is destroyed.
const FakeUPlot = vi.hoisted(
  () =>
    class FakeUPlot {
      static made: FakeUPlot[] = [];
      static paths: { bars: () => () => null } = { bars: () => () => null };
      data: unknown[][];
      width: number;
      destroyed = false;
      constructor(
        readonly opts: { width: number; series: { stroke?: unknown }[] },
        data: unknown[][],
        readonly target: HTMLElement,
      ) {
        this.data = data;
        this.width = opts.width;
        FakeUPlot.made.push(this);
      }
      setData(data: unknown[][]) {
        this.data = data;
      }
      setSize({ width }: { width: number }) {
        this.width = width;
      }
      destroy() {
        this.destroyed = true;
      }
    },
);
vi.mock('uplot', () => ({ default: FakeUPlot }));

beforeEach(() => {
  FakeUPlot.made = [];
  vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockReturnValue({} as never);
});
afterEach(() => {
  vi.restoreAllMocks();
  delete document.documentElement.dataset.theme;
  document.documentElement.style.removeProperty('--accent');
});

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
const MB = 1024 * 1024;
const sample = (secondsAgo: number, cpuPercent: number, mb: number): UsageSample => ({
  at: Date.now() - secondsAgo * 1000,
  cpuPercent,
  rssBytes: mb * MB,
});

async function mountCharts(
  buckets: CallBucketDto[],
  restarts: RestartRecordDto[] = [],
  usage: UsageSample[] = [],
  transport: 'stdio' | 'http' = 'stdio',
) {
  const bridge = new FakeBridge()
    .answer('listServers', () => ({ servers: [serverSnapshot('notes', { transport })] }))
    .answer('getServerStats', ({ server }) => ({ server, buckets, usage }))
    .answer('getRestartHistory', ({ server }) => ({ server, restarts }));
  return mountWithEngine(CallCharts, { bridge, props: { server: 'notes' } });
}

const figure = (wrapper: VueWrapper, id: string) => wrapper.get(`[data-testid="${id}"]`);
/** The accessible name of a chart: what it shows, in words. */
const said = (wrapper: VueWrapper, id: string) =>
  figure(wrapper, id).get('[role="img"]').attributes('aria-label');
/** The live uPlot of a chart. */
function chartIn(el: { element: Element }) {
  const found = FakeUPlot.made.filter((c) => !c.destroyed && el.element.contains(c.target));
  expect(found).toHaveLength(1);
  return found[0]!;
}
const values = (column: unknown[] | undefined) => (column ?? []).filter((v) => v !== null && v !== 0);

describe('CallCharts', () => {
  it('reads the stats and the restart history for the server', async () => {
    const { bridge } = await mountCharts([]);
    expect(bridge.callsOf('getServerStats')).toEqual([{ server: 'notes' }]);
    expect(bridge.callsOf('getRestartHistory')).toEqual([{ server: 'notes', limit: 100 }]);
  });

  it('draws latency and calls per minute from the buckets, summarised in words', async () => {
    const { wrapper } = await mountCharts([
      bucket(3, { calls: 4, p50Ms: 2, p99Ms: 40 }),
      bucket(1, { calls: 10, errors: 2, p50Ms: 3, p99Ms: 12 }),
    ]);
    const latency = figure(wrapper, 'chart-latency');
    expect(latency.get('figcaption').text()).toContain('Latency');
    expect(said(wrapper, 'chart-latency')).toBe(
      'p50 3 ms, p99 12 ms in the latest minute; highest p99 40 ms over the last 60 minutes',
    );
    const [, p50, p99] = chartIn(latency).data;
    expect(values(p50)).toEqual([2, 3]);
    expect(values(p99)).toEqual([40, 12]);

    const calls = figure(wrapper, 'chart-calls');
    expect(said(wrapper, 'chart-calls')).toBe(
      '14 calls (2 errors) over the last 60 minutes; busiest minute 10 calls',
    );
    const [xs, count, errors] = chartIn(calls).data;
    expect(xs).toHaveLength(60);
    expect(values(count)).toEqual([4, 10]);
    expect(values(errors)).toEqual([2]);
    expect(calls.get('[data-testid="chart-value"]').text()).toBe('14 in the hour');
  });

  it('adds a pushed server.calls minute and replaces one it already has, in the same chart', async () => {
    const { wrapper, bridge } = await mountCharts([bucket(2, { calls: 5 })]);
    const chart = chartIn(figure(wrapper, 'chart-calls'));
    const calls = (m: number, n: number, server = 'notes'): EngineEvent => ({
      type: 'server.calls',
      server,
      minute: minute(m),
      calls: n,
      errors: n === 7 ? 1 : 0,
      p50Ms: 4,
      p99Ms: 9,
      at: Date.now(),
    });
    bridge.push('events', calls(1, 7));
    // Another server's minute is not this one's.
    bridge.push('events', calls(1, 1000, 'other'));
    await flushPromises();
    expect(values(chart.data[1])).toEqual([5, 7]);
    expect(said(wrapper, 'chart-calls')).toContain('12 calls (1 error)');
    expect(said(wrapper, 'chart-latency')).toContain('p50 4 ms, p99 9 ms in the latest minute');

    bridge.push('events', calls(2, 6));
    await flushPromises();
    expect(values(chart.data[1])).toEqual([6, 7]);
    expect(said(wrapper, 'chart-calls')).toContain('13 calls');
    expect(chartIn(figure(wrapper, 'chart-calls'))).toBe(chart);
  });

  it('counts restarts of the last hour in 5-minute bars, live ones included', async () => {
    const { wrapper, bridge } = await mountCharts(
      [],
      // Two in the same 5 minutes (the bins start at whole minutes), one long before the hour.
      [restart(minute(120)), restart(minute(30) + 1000, 'failed'), restart(minute(30) + 2000)],
    );
    expect(said(wrapper, 'chart-restarts')).toBe(
      '2 restarts over the last hour (1 failed); at most 2 in 5 minutes',
    );
    const chart = chartIn(figure(wrapper, 'chart-restarts'));
    expect(values(chart.data[1])).toEqual([2]);
    expect(values(chart.data[2])).toEqual([1]);

    bridge.push('events', {
      type: 'server.restart',
      server: 'notes',
      cause: { kind: 'file', paths: ['src/a.ts'] },
      startedAt: Date.now(),
      durationMs: 80,
      outcome: 'ready',
    });
    await flushPromises();
    expect(said(wrapper, 'chart-restarts')).toContain('3 restarts over the last hour');
  });

  it('draws CPU and memory from the history, then from live server.usage events', async () => {
    const { wrapper, bridge } = await mountCharts(
      [],
      [],
      // The engine samples every minute while no window is open; an old sample is past the hour.
      [sample(120, 12, 80), sample(60, 2, 60), sample(3 * 3600, 99, 999)],
    );
    expect(said(wrapper, 'chart-cpu')).toBe('CPU 2.0% now, peak 12% in the last hour');
    expect(said(wrapper, 'chart-memory')).toBe('Memory 60.0 MB now, peak 80.0 MB in the last hour');
    const cpu = chartIn(figure(wrapper, 'chart-cpu'));
    const memory = chartIn(figure(wrapper, 'chart-memory'));
    expect(cpu.data[1]).toEqual([12, 2]);
    expect(memory.data[1]).toEqual([80, 60]);

    const usage = (server: string, cpuPercent: number): EngineEvent => ({
      type: 'server.usage',
      server,
      cpuPercent,
      rssBytes: 64 * MB,
      at: Date.now(),
    });
    bridge.push('events', usage('notes', 3.14));
    bridge.push('events', usage('other', 50));
    await flushPromises();
    expect(cpu.data[1]).toEqual([12, 2, 3.14]);
    expect(memory.data[1]).toEqual([80, 60, 64]);
    expect(said(wrapper, 'chart-cpu')).toBe('CPU 3.1% now, peak 12% in the last hour');
    expect(figure(wrapper, 'chart-cpu').get('[data-testid="chart-value"]').text()).toBe('3.1%');
    // Still the same charts: new points, not new uPlots.
    expect(chartIn(figure(wrapper, 'chart-cpu'))).toBe(cpu);
  });

  it('shows an empty state in each chart when there is nothing to draw', async () => {
    const { wrapper } = await mountCharts([], [restart(minute(180))]);
    for (const id of ['chart-latency', 'chart-calls', 'chart-restarts', 'chart-cpu', 'chart-memory']) {
      const chart = figure(wrapper, id);
      expect(chart.find('[role="img"]').exists()).toBe(false);
      expect(chart.get('[data-testid="chart-empty"]').text()).toMatch(/^No (calls|restarts|samples)\b/);
    }
    expect(FakeUPlot.made).toEqual([]);
  });

  it('says that a remote server has no process here to measure', async () => {
    const { wrapper } = await mountCharts([], [], [], 'http');
    expect(figure(wrapper, 'chart-cpu').get('[data-testid="chart-empty"]').text()).toContain('remote server');
  });

  it('draws again in the new colours when the theme changes, and destroys its charts when it goes', async () => {
    const { wrapper } = await mountCharts([bucket(1)], [], [sample(10, 1, 10)]);
    const before = chartIn(figure(wrapper, 'chart-cpu'));
    document.documentElement.style.setProperty('--accent', '#8ab4f8');
    document.documentElement.dataset.theme = 'dark';
    await flushPromises();
    expect(before.destroyed).toBe(true);
    const after = chartIn(figure(wrapper, 'chart-cpu'));
    expect(after.opts.series[1]?.stroke).toBe('#8ab4f8');
    expect(after.data).toEqual(before.data);

    const live = FakeUPlot.made.filter((c) => !c.destroyed && wrapper.element.contains(c.target));
    expect(live).toHaveLength(4); // CPU, memory, calls, latency (no restarts: empty)
    wrapper.unmount();
    expect(live.every((c) => c.destroyed)).toBe(true);
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
