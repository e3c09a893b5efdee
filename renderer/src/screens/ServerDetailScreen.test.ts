import { flushPromises, mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import { defineComponent, h } from 'vue';
import type { ServerSnapshotDto } from '../../../electron/shared/api.js';
import { ENGINE, ROUTER } from '../context.js';
import { createRouter, routeHash } from '../router.js';
import { createEngineStore } from '../store/engine-store.js';
import { FakeBridge } from '../testing/fake-bridge.js';
import ServerDetailScreen from './ServerDetailScreen.vue';
import { serverSnapshot } from '../testing/server-snapshot.js';

type Tab = 'logs' | 'restarts' | 'tools' | 'charts';

const server = (name: string, more: Partial<ServerSnapshotDto> = {}): ServerSnapshotDto =>
  serverSnapshot(name, { since: Date.now() - 5_000, restarts: 3, ...more });

// The tools tab is another component's job: stand in for it, but show which server it was given.
const ToolsStub = defineComponent({
  props: { server: { type: String, required: true } },
  setup: (props) => () => h('div', { 'data-testid': 'tools-stub' }, `tools of ${props.server}`),
});

/** As mountWithEngine, plus a stub for the tools tab. */
async function mountDetail(tab: Tab, servers: ServerSnapshotDto[], bridge = new FakeBridge()) {
  bridge
    .answer('listServers', () => ({ servers }))
    .answer('getRestartHistory', ({ server }) => ({ server, restarts: [] }))
    .answer('getServerStats', ({ server }) => ({ server, buckets: [], usage: [] }))
    .answer('getServerCredentials', ({ server }) => ({ server, credentials: [] }));
  window.location.hash = routeHash({ screen: 'server', server: 'notes', tab });
  const engine = createEngineStore(bridge);
  const router = createRouter(window);
  engine.connect();
  bridge.setStatus('events', 'open');
  await flushPromises();
  const wrapper = mount(ServerDetailScreen, {
    props: { server: 'notes', tab },
    global: {
      provide: { [ENGINE as symbol]: engine, [ROUTER as symbol]: router },
      stubs: { ServerToolsTab: ToolsStub },
    },
  });
  await flushPromises();
  return { wrapper, bridge, engine, router };
}

describe('ServerDetailScreen', () => {
  it('shows the server: state, reason, restarts, transport, last error, and an Edit link', async () => {
    const { wrapper } = await mountDetail('logs', [
      server('notes', { state: 'backoff', reason: 'exit code 1; retry in 400 ms', lastError: 'db locked' }),
    ]);
    const header = wrapper.get('[data-testid="server-header"]');
    expect(header.get('h1').text()).toBe('notes');
    expect(header.get('[data-testid="state-badge"]').text()).toBe('backoff');
    expect(header.get('[data-testid="server-reason"]').text()).toBe('exit code 1; retry in 400 ms');
    expect(header.get('[data-testid="server-restarts"]').text()).toBe('3');
    expect(header.get('[data-testid="server-last-error"]').text()).toBe('db locked');
    expect(header.text()).toContain('stdio');
    expect(header.get('[data-testid="server-edit"]').attributes('href')).toBe('#/servers/notes/edit');
  });

  it('follows server.state events in the header', async () => {
    const { wrapper, bridge } = await mountDetail('logs', [server('notes')]);
    bridge.push('events', {
      type: 'server.state',
      server: 'notes',
      from: 'ready',
      to: 'stopped',
      reason: 'stopped by request',
      at: 10,
    });
    await flushPromises();
    expect(wrapper.get('[data-testid="state-badge"]').text()).toBe('stopped');
    expect(wrapper.get('[data-testid="server-uptime"]').text()).toBe('–');
    expect(wrapper.get('button[aria-label="Stop notes"]').attributes('disabled')).toBeDefined();
  });

  it('starts, stops and restarts the server, and shows a refusal in the engine words', async () => {
    const bridge = new FakeBridge()
      .answer('stopServer', () => server('notes', { state: 'stopped' }))
      .refuse('restartServer', 409, 'notes is starting; try again when it is ready');
    const { wrapper } = await mountDetail('logs', [server('notes')], bridge);
    expect(wrapper.get('button[aria-label="Start notes"]').attributes('disabled')).toBeDefined();
    await wrapper.get('button[aria-label="Stop notes"]').trigger('click');
    await wrapper.get('button[aria-label="Restart notes"]').trigger('click');
    await flushPromises();
    expect(bridge.callsOf('stopServer')).toEqual([{ server: 'notes' }]);
    expect(bridge.callsOf('restartServer')).toEqual([{ server: 'notes' }]);
    expect(wrapper.get('[role="alert"]').text()).toBe('notes is starting; try again when it is ready');
  });

  it('renders tabs as a tablist of links, the current one selected, and its panel', async () => {
    const { wrapper, bridge } = await mountDetail('logs', [server('notes')]);
    const tabs = wrapper.findAll('[role="tablist"] [role="tab"]');
    expect(tabs.map((t) => t.attributes('href'))).toEqual([
      '#/servers/notes/logs',
      '#/servers/notes/restarts',
      '#/servers/notes/tools',
      '#/servers/notes/charts',
    ]);
    expect(wrapper.get('[data-testid="tab-logs"]').attributes('aria-selected')).toBe('true');
    expect(wrapper.get('[data-testid="tab-charts"]').attributes('aria-selected')).toBe('false');
    const panel = wrapper.get('[role="tabpanel"]');
    expect(panel.attributes('aria-labelledby')).toBe('tab-logs');
    expect(panel.find('[data-testid="log-search"]').exists()).toBe(true);
    expect(bridge.openStreams('followLogs')).toEqual([{ server: 'notes', lines: 200 }]);
  });

  it('shows each tab in its panel', async () => {
    const { wrapper, bridge } = await mountDetail('restarts', [server('notes')]);
    expect(wrapper.get('[role="tabpanel"]').text()).toContain('No restarts yet');
    expect(bridge.openStreams('followLogs')).toEqual([]);

    await wrapper.setProps({ tab: 'tools' });
    expect(wrapper.get('[data-testid="tab-tools"]').attributes('aria-selected')).toBe('true');
    expect(wrapper.get('[role="tabpanel"] [data-testid="tools-stub"]').text()).toBe('tools of notes');

    await wrapper.setProps({ tab: 'charts' });
    await flushPromises();
    expect(wrapper.find('[role="tabpanel"] [data-testid="chart-latency"]').exists()).toBe(true);
    expect(bridge.callsOf('getServerStats')).toEqual([{ server: 'notes' }]);
  });

  it('moves between tabs with the arrow keys', async () => {
    const { wrapper } = await mountDetail('logs', [server('notes')]);
    await wrapper.get('[data-testid="tab-logs"]').trigger('keydown', { key: 'ArrowRight' });
    expect(window.location.hash).toBe('#/servers/notes/restarts');
    await wrapper.get('[data-testid="tab-logs"]').trigger('keydown', { key: 'ArrowLeft' });
    expect(window.location.hash).toBe('#/servers/notes/charts');
  });

  it('says so when there is no such server', async () => {
    const { wrapper } = await mountDetail('logs', [server('files')]);
    expect(wrapper.get('[data-testid="server-missing"]').text()).toContain('Server not found');
    expect(wrapper.find('[role="tablist"]').exists()).toBe(false);
  });
});
