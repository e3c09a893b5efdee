import { flushPromises } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import ServerFormScreen from '../../screens/ServerFormScreen.vue';
import { FakeBridge } from '../../testing/fake-bridge.js';
import { mountWithEngine } from '../../testing/mount-app.js';
import { serverSnapshot } from '../../testing/server-snapshot.js';

const snapshot = (name: string) => serverSnapshot(name);

async function pasteMode(bridge: FakeBridge) {
  const mounted = await mountWithEngine(ServerFormScreen, { bridge, route: { screen: 'add' } });
  const tab = mounted.wrapper.get('[data-testid="mode-paste"]');
  await tab.trigger('click');
  expect(tab.attributes('aria-selected')).toBe('true');
  return mounted;
}

const claudeDesktop = {
  mcpServers: {
    notes: { command: 'node', args: ['notes.js'] },
    memory: { command: 'npx', args: ['-y', '@modelcontextprotocol/server-memory'] },
    remote: { url: 'https://mcp.example.com/mcp' },
  },
};

describe('Paste JSON', () => {
  it('previews every entry of an mcpServers block, flags the ones that exist, and adds each', async () => {
    const bridge = new FakeBridge()
      .answer('listServers', () => ({ servers: [snapshot('notes')] }))
      .answer('putServer', (input) => {
        if (input.server === 'remote') throw new Error('could not reach https://mcp.example.com/mcp');
        return snapshot(input.server);
      });
    const { wrapper } = await pasteMode(bridge);
    expect(wrapper.get('label[for="paste-json"]').text()).toBe('Paste a server config');
    await wrapper.get('[data-testid="paste-json"]').setValue(JSON.stringify(claudeDesktop, null, 2));

    const notes = wrapper.get('[data-testid="paste-entry-notes"]');
    expect(notes.text()).toContain('stdio');
    expect(notes.text()).toContain('node notes.js');
    expect(notes.text()).toContain('exists — will be replaced');
    expect(wrapper.get('[data-testid="paste-entry-memory"]').text()).toContain('OK');
    expect(wrapper.get('[data-testid="paste-save"]').text()).toBe('Add 3 servers');

    await wrapper.get('[data-testid="paste-save"]').trigger('click');
    await flushPromises();
    expect(bridge.callsOf('putServer')).toEqual([
      { server: 'notes', config: claudeDesktop.mcpServers.notes, createOnly: false },
      { server: 'memory', config: claudeDesktop.mcpServers.memory, createOnly: true },
      { server: 'remote', config: claudeDesktop.mcpServers.remote, createOnly: true },
    ]);
    const results = wrapper.get('[data-testid="paste-results"]').text();
    expect(results).toContain('notes: replaced');
    expect(results).toContain('memory: added');
    expect(results).toContain('remote: not added — could not reach');

    // What happened belongs to the text as it was: editing it takes the report away.
    await wrapper.get('[data-testid="paste-json"]').setValue(JSON.stringify({ other: { command: 'x' } }));
    expect(wrapper.get('[data-testid="paste-results"]').text()).toBe('');
  });

  it('leaves out an existing server once unticked', async () => {
    const bridge = new FakeBridge()
      .answer('listServers', () => ({ servers: [snapshot('notes')] }))
      .answer('putServer', (input) => snapshot(input.server));
    const { wrapper } = await pasteMode(bridge);
    await wrapper.get('[data-testid="paste-json"]').setValue(JSON.stringify(claudeDesktop));
    await wrapper.get('[data-testid="paste-pick-notes"]').setValue(false);
    expect(wrapper.get('[data-testid="paste-entry-notes"]').text()).toContain('will be left as it is');
    expect(wrapper.get('[data-testid="paste-save"]').text()).toBe('Add 2 servers');
    await wrapper.get('[data-testid="paste-save"]').trigger('click');
    await flushPromises();
    expect(bridge.callsOf('putServer').map((c) => (c as { server: string }).server)).toEqual([
      'memory',
      'remote',
    ]);
  });

  it('reads a map of name → entry, and shows the schema problems of a bad one', async () => {
    const bridge = new FakeBridge().answer('listServers', () => ({ servers: [] }));
    const { wrapper } = await pasteMode(bridge);
    await wrapper.get('[data-testid="paste-json"]').setValue('{"a": {"command": "x"}, "b": {"args": ["y"]}}');
    expect(wrapper.get('[data-testid="paste-entry-a"]').text()).toContain('OK');
    const b = wrapper.get('[data-testid="paste-entry-b"]');
    expect(b.text()).toContain('cannot be added');
    expect(b.text()).toContain('needs "command"');
    expect(wrapper.get<HTMLInputElement>('[data-testid="paste-pick-b"]').element.disabled).toBe(true);
    expect(wrapper.get('[data-testid="paste-save"]').text()).toBe('Add 1 server');
  });

  it('asks a bare entry for its name', async () => {
    const bridge = new FakeBridge()
      .answer('listServers', () => ({ servers: [] }))
      .answer('putServer', (input) => snapshot(input.server));
    const { wrapper } = await pasteMode(bridge);
    await wrapper
      .get('[data-testid="paste-json"]')
      .setValue('{"command": "uvx", "args": ["mcp-server-git"]}');
    expect(wrapper.get('[data-testid="paste-preview"]').text()).toContain('needs a name');
    expect(wrapper.get<HTMLButtonElement>('[data-testid="paste-save"]').element.disabled).toBe(true);
    await wrapper.get('[data-testid="paste-name"]').setValue('git');
    await wrapper.get('[data-testid="paste-save"]').trigger('click');
    await flushPromises();
    expect(bridge.callsOf('putServer')).toEqual([
      { server: 'git', config: { command: 'uvx', args: ['mcp-server-git'] }, createOnly: true },
    ]);
  });

  it('says where the JSON is broken', async () => {
    const { wrapper } = await pasteMode(new FakeBridge().answer('listServers', () => ({ servers: [] })));
    await wrapper.get('[data-testid="paste-json"]').setValue('{"a": {"command": "x",}}');
    const error = wrapper.get('[data-testid="paste-error"]');
    expect(error.attributes('role')).toBe('alert');
    expect(error.text()).toMatch(/JSON|position|column/);
    expect(wrapper.get('[data-testid="paste-json"]').attributes('aria-invalid')).toBe('true');
  });
});
