import { flushPromises } from '@vue/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FakeBridge } from '../../testing/fake-bridge.js';
import { fakeConnectInfo } from '../../testing/fake-clients.js';
import { mountWithEngine } from '../../testing/mount-app.js';
import { serverSnapshot } from '../../testing/server-snapshot.js';
import ConnectPanel from './ConnectPanel.vue';

afterEach(() => vi.restoreAllMocks());

async function mountPanel() {
  const bridge = new FakeBridge()
    .answer('listServers', () => ({ servers: [serverSnapshot('notes')] }))
    .answer('getConnectInfo', ({ server }) => fakeConnectInfo(server));
  const mounted = await mountWithEngine(ConnectPanel, { bridge, route: { screen: 'clients' } });
  await flushPromises();
  return mounted;
}

describe('ConnectPanel', () => {
  it('shows the endpoint, the command and a client entry for all servers, each to copy', async () => {
    const write = vi.spyOn(navigator.clipboard, 'writeText').mockResolvedValue(undefined);
    const { wrapper } = await mountPanel();
    expect(wrapper.get('[data-testid="connect-http"]').text()).toBe('http://127.0.0.1:7420/mcp');
    expect(wrapper.get('[data-testid="connect-command"]').text()).toBe(
      '/usr/bin/node /opt/sb/bin/switchboard.mjs connect --all',
    );
    await wrapper.get('[data-testid="copy-claude-desktop"]').trigger('click');
    await flushPromises();
    expect(JSON.parse(write.mock.calls.at(-1)![0])).toEqual({
      mcpServers: {
        switchboard: { command: '/usr/bin/node', args: ['/opt/sb/bin/switchboard.mjs', 'connect', '--all'] },
      },
    });
    expect(wrapper.get('[data-testid="connect-copied"]').text()).toBe('Copied the Claude Desktop entry.');
  });

  it('asks again for one server when it is picked', async () => {
    const { wrapper, bridge } = await mountPanel();
    await wrapper.get('[data-testid="connect-server"]').setValue('notes');
    await flushPromises();
    expect(bridge.callsOf('getConnectInfo').at(-1)).toEqual({ server: 'notes' });
    expect(wrapper.get('[data-testid="connect-http"]').text()).toBe('http://127.0.0.1:7420/mcp/notes');
    expect(wrapper.get('[data-testid="connect-command"]').text()).toContain('connect notes');
  });
});
