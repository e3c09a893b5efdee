import { flushPromises } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import type { RestartRecordDto } from '../../../../electron/shared/api.js';
import { FakeBridge } from '../../testing/fake-bridge.js';
import { mountWithEngine } from '../../testing/mount-app.js';
import RestartTimeline from './RestartTimeline.vue';

const record = (at: number, more: Partial<RestartRecordDto> = {}): RestartRecordDto => ({
  server: 'notes',
  at,
  cause: { kind: 'user' },
  durationMs: 120,
  outcome: 'ready',
  ...more,
});

async function mountTimeline(history: RestartRecordDto[] | (() => Promise<RestartRecordDto[]>)) {
  const bridge = new FakeBridge()
    .answer('listServers', () => ({ servers: [] }))
    .answer('getRestartHistory', async ({ server }) => ({
      server,
      restarts: typeof history === 'function' ? await history() : history,
    }));
  return mountWithEngine(RestartTimeline, { bridge, props: { server: 'notes' } });
}

const entries = (w: Awaited<ReturnType<typeof mountTimeline>>['wrapper']) =>
  w.findAll('[data-testid="timeline-entry"]');

describe('RestartTimeline', () => {
  it('reads the last 100 restarts and lists them newest first with cause, duration and outcome', async () => {
    const { wrapper, bridge } = await mountTimeline([
      record(1_000, { cause: { kind: 'exit', code: 1, signal: null }, outcome: 'failed', error: 'boom' }),
      record(2_000, { cause: { kind: 'config' }, durationMs: 340 }),
    ]);
    expect(bridge.callsOf('getRestartHistory')).toEqual([{ server: 'notes', limit: 100 }]);
    expect(wrapper.get('h2').text()).toBe('Restarts');
    const list = entries(wrapper);
    expect(list).toHaveLength(2);
    expect(list[0]?.text()).toContain('config changed');
    expect(list[0]?.text()).toContain('340 ms');
    expect(list[0]?.get('[data-testid="timeline-outcome"]').text()).toBe('ready');
    expect(list[1]?.text()).toContain('exit code 1');
    expect(list[1]?.get('[data-testid="timeline-outcome"]').text()).toBe('failed');
    expect(list[1]?.text()).toContain('boom');
    expect(list[1]?.get('time').attributes('datetime')).toBe(new Date(1_000).toISOString());
  });

  it('adds a pushed restart of this server on top, with its cause in words', async () => {
    const { wrapper, bridge } = await mountTimeline([record(1_000)]);
    bridge.push('events', {
      type: 'server.restart',
      server: 'other',
      cause: { kind: 'user' },
      startedAt: 9_000,
      durationMs: 1,
      outcome: 'ready',
    });
    bridge.push('events', {
      type: 'server.restart',
      server: 'notes',
      cause: { kind: 'file', paths: ['src/a.ts'] },
      startedAt: 5_000,
      durationMs: 87,
      outcome: 'ready',
    });
    await flushPromises();
    const list = entries(wrapper);
    expect(list).toHaveLength(2);
    expect(list[0]?.get('[data-testid="timeline-cause"]').text()).toBe('file src/a.ts changed');
    expect(list[0]?.text()).toContain('87 ms');
    expect(list[1]?.text()).toContain('restart requested');
  });

  it('keeps a restart that arrives while the history is being read', async () => {
    let release: (value: RestartRecordDto[]) => void = () => {};
    const { wrapper, bridge } = await mountTimeline(() => new Promise((r) => (release = r)));
    bridge.push('events', {
      type: 'server.restart',
      server: 'notes',
      cause: { kind: 'health', detail: 'ping timed out' },
      startedAt: 3_000,
      durationMs: 10,
      outcome: 'failed',
      error: 'no answer',
    });
    release([record(1_000)]);
    await flushPromises();
    const list = entries(wrapper);
    expect(list.map((e) => e.get('[data-testid="timeline-cause"]').text())).toEqual([
      'health check failed (ping timed out)',
      'restart requested',
    ]);
  });

  it('says when there are no restarts yet', async () => {
    const { wrapper } = await mountTimeline([]);
    expect(wrapper.get('[data-testid="timeline-empty"]').text()).toBe('No restarts yet.');
    expect(entries(wrapper)).toHaveLength(0);
  });

  it("shows the engine's words when the history cannot be read", async () => {
    const bridge = new FakeBridge()
      .answer('listServers', () => ({ servers: [] }))
      .refuse('getRestartHistory', 404, 'no server named notes');
    const { wrapper } = await mountWithEngine(RestartTimeline, { bridge, props: { server: 'notes' } });
    expect(wrapper.get('[role="alert"]').text()).toContain('no server named notes');
  });
});
