import { flushPromises } from '@vue/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ActivityEntryDto, ApiInput } from '../../../electron/shared/api.js';
import { FakeBridge } from '../testing/fake-bridge.js';
import { mountWithEngine } from '../testing/mount-app.js';
import { serverSnapshot } from '../testing/server-snapshot.js';
import ActivityScreen from './ActivityScreen.vue';

const call: ActivityEntryDto = {
  at: Date.UTC(2026, 0, 2, 10, 30, 15),
  session: 's-1',
  client: 'claude-desktop',
  endpoint: 'server',
  server: 'notes',
  method: 'tools/call',
  tool: 'search_notes',
  durationMs: 42.4,
  status: 'ok',
  requestBytes: 120,
  responseBytes: 4096,
  params: { name: 'search_notes', arguments: { query: 'milk', token: '[redacted]' } },
};
const failed: ActivityEntryDto = {
  ...call,
  at: call.at - 1000,
  tool: undefined,
  method: 'resources/read',
  status: 'error',
  error: 'resource not found',
  durationMs: 3.25,
  params: undefined,
  client: undefined,
};

async function mountScreen(options: { enabled?: boolean; entries?: ActivityEntryDto[] } = {}) {
  const state = { enabled: options.enabled ?? true, entries: options.entries ?? [call, failed] };
  const bridge = new FakeBridge()
    .answer('listServers', () => ({ servers: [serverSnapshot('notes'), serverSnapshot('web')] }))
    .answer('searchActivity', () => ({
      enabled: state.enabled,
      entries: state.enabled ? state.entries : [],
    }));
  const mounted = await mountWithEngine(ActivityScreen, {
    bridge,
    route: { screen: 'activity' },
    props: { debounceMs: 20 },
  });
  return {
    ...mounted,
    state,
    searches: () => bridge.callsOf('searchActivity') as ApiInput<'searchActivity'>[],
  };
}

afterEach(() => {
  vi.useRealTimers();
  Reflect.deleteProperty(document, 'visibilityState');
});

describe('ActivityScreen', () => {
  it('shows each call: time, client, server, method and tool, duration, status and sizes', async () => {
    const { wrapper, searches } = await mountScreen();
    expect(searches()).toEqual([{ limit: 200 }]);
    const rows = wrapper.findAll('[data-testid="activity-row"]');
    expect(rows).toHaveLength(2);
    const cells = rows[0]!.findAll('td').map((td) => td.text());
    expect(cells.slice(1)).toEqual([
      'claude-desktop',
      'notes',
      'tools/call · search_notes',
      '42 ms',
      'ok',
      '120 B',
      '4 KB',
    ]);
    expect(rows[0]!.find('time').attributes('datetime')).toBe(new Date(call.at).toISOString());
    const second = rows[1]!.findAll('td').map((td) => td.text());
    expect(second.slice(1, 6)).toEqual(['–', 'notes', 'resources/read', '3.3 ms', 'error']);
    expect(wrapper.find('[data-testid="activity-summary"]').text()).toMatch(/^2 calls shown, newest first/);
  });

  it('opens a row to show its params as indented JSON, and the error of a failed call', async () => {
    const { wrapper } = await mountScreen();
    const [first, second] = wrapper.findAll('[data-testid="activity-row"] button.expand');
    expect(first!.attributes('aria-expanded')).toBe('false');
    await first!.trigger('click');
    expect(first!.attributes('aria-expanded')).toBe('true');
    const details = wrapper.find(`#${first!.attributes('aria-controls')}`);
    expect(JSON.parse(details.find('[data-testid="activity-params"]').text())).toEqual(call.params);
    expect(details.find('pre').text()).toContain('\n  "arguments": {\n    "query": "milk"');
    // What a narrow window leaves out of the row is in its details.
    expect(details.text()).toContain('claude-desktop · request 120 B, response 4 KB');

    await second!.trigger('click');
    const failedDetails = wrapper.find(`#${second!.attributes('aria-controls')}`);
    expect(failedDetails.text()).toContain('Error: resource not found');
    expect(failedDetails.text()).toContain('No params were recorded');

    await first!.trigger('click');
    expect(wrapper.findAll('[data-testid="activity-details"]')).toHaveLength(1);
  });

  it('asks again with the server and status chosen', async () => {
    const { wrapper, searches } = await mountScreen();
    const options = wrapper.findAll('#activity-server option').map((o) => o.text());
    expect(options).toEqual(['All servers', 'notes', 'web']);
    await wrapper.find('#activity-server').setValue('web');
    await flushPromises();
    await wrapper.find('#activity-status').setValue('error');
    await flushPromises();
    expect(searches().slice(1)).toEqual([
      { limit: 200, server: 'web' },
      { limit: 200, server: 'web', status: 'error' },
    ]);
    expect(wrapper.find('label[for="activity-status"]').text()).toBe('Status');
  });

  it('waits for a pause in typing before searching, then searches once', async () => {
    const { wrapper, searches } = await mountScreen();
    const box = wrapper.find('#activity-search');
    for (const text of ['m', 'mi', 'mil', 'milk']) await box.setValue(text);
    expect(searches()).toHaveLength(1);
    await new Promise((resolve) => setTimeout(resolve, 80));
    await flushPromises();
    expect(searches().slice(1)).toEqual([{ limit: 200, query: 'milk' }]);
  });

  it('says when no call matches the filters, and when nothing is logged yet', async () => {
    const { wrapper, state, searches } = await mountScreen({ entries: [] });
    expect(wrapper.find('[data-testid="activity-empty"]').text()).toContain('No calls logged yet');
    state.entries = [];
    await wrapper.find('#activity-status').setValue('blocked');
    await flushPromises();
    expect(searches()).toHaveLength(2);
    expect(wrapper.find('[data-testid="activity-empty"]').text()).toContain('No call matches these filters.');
  });

  it('says the request log is off and switches request-logger on, then reads the log', async () => {
    const { wrapper, bridge, state, searches } = await mountScreen({ enabled: false });
    const off = wrapper.find('[data-testid="request-logger-off"]');
    expect(off.text()).toContain('The request log is off.');
    expect(wrapper.find('[data-testid="activity-table"]').exists()).toBe(false);
    bridge.answer('setExtensionEnabled', ({ extension, enabled }) => {
      state.enabled = enabled;
      return { id: extension, name: 'Request log', version: '1.0.0', enabled };
    });
    await wrapper.find('[data-testid="enable-request-logger"]').trigger('click');
    await flushPromises();
    expect(bridge.callsOf('setExtensionEnabled')).toEqual([{ extension: 'request-logger', enabled: true }]);
    expect(searches()).toHaveLength(2);
    expect(wrapper.findAll('[data-testid="activity-row"]')).toHaveLength(2);
  });

  it('shows why switching the log on failed', async () => {
    const { wrapper, bridge } = await mountScreen({ enabled: false });
    bridge.refuse('setExtensionEnabled', 500, 'config file is read-only');
    await wrapper.find('[data-testid="enable-request-logger"]').trigger('click');
    await flushPromises();
    expect(wrapper.find('[role="alert"]').text()).toBe(
      'Could not switch request-logger on: config file is read-only',
    );
  });

  it('refreshes on the button, and on request-logger changes only', async () => {
    const { wrapper, bridge, searches } = await mountScreen();
    await wrapper.find('[data-testid="activity-refresh"]').trigger('click');
    await flushPromises();
    expect(searches()).toHaveLength(2);
    bridge.push('events', { type: 'extension.changed', extension: 'quarantine', enabled: true, at: 1 });
    bridge.push('events', { type: 'extension.changed', extension: 'request-logger', enabled: true, at: 2 });
    await flushPromises();
    expect(searches()).toHaveLength(3);
  });

  it('reads again every 5 s while visible and switched on, and stops when it leaves', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const { wrapper, searches } = await mountScreen();
    vi.advanceTimersByTime(4999);
    expect(searches()).toHaveLength(1);
    vi.advanceTimersByTime(1);
    await flushPromises();
    expect(searches()).toHaveLength(2);

    Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true });
    vi.advanceTimersByTime(10_000);
    expect(searches()).toHaveLength(2);
    Reflect.deleteProperty(document, 'visibilityState');

    await wrapper.find('#activity-auto').setValue(false);
    vi.advanceTimersByTime(10_000);
    expect(searches()).toHaveLength(2);
    await wrapper.find('#activity-auto').setValue(true);
    vi.advanceTimersByTime(5000);
    await flushPromises();
    expect(searches()).toHaveLength(3);

    wrapper.unmount();
    vi.advanceTimersByTime(20_000);
    expect(searches()).toHaveLength(3);
  });

  it('shows a failed read as an alert', async () => {
    const bridge = new FakeBridge()
      .answer('listServers', () => ({ servers: [] }))
      .refuse('searchActivity', 503, 'the engine is stopping');
    const { wrapper } = await mountWithEngine(ActivityScreen, { bridge, route: { screen: 'activity' } });
    expect(wrapper.find('[role="alert"]').text()).toBe(
      'Could not read the activity log: the engine is stopping',
    );
  });
});
