import { flushPromises } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import type { ServerSnapshotDto } from '../../../electron/shared/api.js';
import { FakeBridge } from '../testing/fake-bridge.js';
import { mountWithEngine } from '../testing/mount-app.js';
import ServersScreen from './ServersScreen.vue';
import { serverSnapshot } from '../testing/server-snapshot.js';

const server = (name: string, more: Partial<ServerSnapshotDto> = {}): ServerSnapshotDto =>
  serverSnapshot(name, { since: Date.now() - 65_000, ...more });

async function mountWith(servers: ServerSnapshotDto[], bridge = new FakeBridge()) {
  bridge.answer('listServers', () => ({ servers }));
  return mountWithEngine(ServersScreen, { bridge });
}

describe('ServersScreen', () => {
  it('renders one row per server from the snapshot, with its figures', async () => {
    const { wrapper } = await mountWith([
      server('notes', { tools: 4, restarts: 2, cpuPercent: 3.25, rssBytes: 5 * 1024 * 1024, since: 1234 }),
      server('files', { state: 'failed', reason: 'exit code 1', lastError: 'boom: cannot open db' }),
    ]);
    const notes = wrapper.get('[data-testid="server-row-notes"]');
    expect(notes.attributes('data-since')).toBe('1234');
    expect(notes.get('a').attributes('href')).toBe('#/servers/notes/logs');
    expect(notes.get('[data-testid="state-badge"]').text()).toBe('ready');
    expect(notes.get('[data-testid="server-restarts"]').text()).toBe('2');
    expect(notes.text()).toContain('3.3%');
    expect(notes.text()).toContain('5.0 MB');
    expect(notes.text()).toContain('4');
    const files = wrapper.get('[data-testid="server-row-files"]');
    expect(files.get('[data-testid="server-reason"]').text()).toBe('exit code 1');
    expect(files.get('[data-testid="server-uptime"]').text()).toBe('–');
    expect(files.get('.last-error').attributes('title')).toBe('boom: cannot open db');
  });

  it('shows uptime of a ready server from its since', async () => {
    const { wrapper } = await mountWith([server('notes', { since: Date.now() - 65_000 })]);
    expect(wrapper.get('[data-testid="server-uptime"]').text()).toMatch(/^1m \d+s$/);
  });

  it('updates a row when a server.state event arrives', async () => {
    const { wrapper, bridge } = await mountWith([server('notes')]);
    bridge.push('events', {
      type: 'server.state',
      server: 'notes',
      from: 'ready',
      to: 'restarting',
      reason: 'file src/a.ts changed',
      at: 4242,
    });
    await flushPromises();
    const row = wrapper.get('[data-testid="server-row-notes"]');
    expect(row.get('[data-testid="state-badge"]').text()).toBe('restarting');
    expect(row.get('[data-testid="server-reason"]').text()).toBe('file src/a.ts changed');
    expect(row.attributes('data-since')).toBe('4242');
  });

  it('filters by name, state or transport, ignoring case', async () => {
    const { wrapper } = await mountWith([
      server('notes'),
      server('files', { state: 'failed' }),
      server('remote', { transport: 'http' }),
    ]);
    const rows = () => wrapper.findAll('tbody tr').map((r) => r.attributes('data-testid'));
    const filter = wrapper.get('[data-testid="server-filter"]');
    expect(wrapper.get('label[for="server-filter"]').text()).toBe('Filter servers');

    await filter.setValue('NOT');
    expect(rows()).toEqual(['server-row-notes']);
    await filter.setValue('Failed');
    expect(rows()).toEqual(['server-row-files']);
    await filter.setValue('http');
    expect(rows()).toEqual(['server-row-remote']);
    await filter.setValue('nothing-like-this');
    expect(rows()).toEqual([]);
    expect(wrapper.find('[data-testid="servers-no-match"]').exists()).toBe(true);
    await filter.setValue('');
    expect(rows()).toHaveLength(3);
  });

  it('starts, stops and restarts with the server name, disabling what makes no sense', async () => {
    const bridge = new FakeBridge()
      .answer('startServer', () => server('idle'))
      .answer('restartServer', () => server('notes'))
      .answer('stopServer', () => server('notes', { state: 'stopped' }));
    const { wrapper } = await mountWith([server('notes'), server('idle', { state: 'stopped' })], bridge);

    const button = (label: string) => wrapper.get(`button[aria-label="${label}"]`);
    expect(button('Start notes').attributes('disabled')).toBeDefined();
    expect(button('Stop idle').attributes('disabled')).toBeDefined();

    await button('Start idle').trigger('click');
    await button('Restart notes').trigger('click');
    await button('Stop notes').trigger('click');
    await flushPromises();
    expect(bridge.callsOf('startServer')).toEqual([{ server: 'idle' }]);
    expect(bridge.callsOf('restartServer')).toEqual([{ server: 'notes' }]);
    expect(bridge.callsOf('stopServer')).toEqual([{ server: 'notes' }]);
    expect(wrapper.find('[data-testid="action-error"]').exists()).toBe(false);
  });

  it("shows the engine's words under the row when an action is refused", async () => {
    const bridge = new FakeBridge().refuse('restartServer', 409, 'notes is already restarting');
    const { wrapper } = await mountWith([server('notes'), server('files')], bridge);
    await wrapper.get('button[aria-label="Restart notes"]').trigger('click');
    await flushPromises();
    const alert = wrapper.get('[data-testid="server-row-notes"] [role="alert"]');
    expect(alert.text()).toBe('notes is already restarting');
    expect(wrapper.get('[data-testid="server-row-files"]').find('[role="alert"]').exists()).toBe(false);
  });

  it('shows a server waiting for a secret in words, with the warn tone and a way to set it', async () => {
    const { wrapper } = await mountWith([
      server('github', { state: 'needs-secret', reason: 'secret GITHUB_TOKEN is not set' }),
      server('notes'),
    ]);
    const row = wrapper.get('[data-testid="server-row-github"]');
    const badge = row.get('[data-testid="state-badge"]');
    expect(badge.text()).toBe('needs secret');
    expect(badge.classes()).toContain('dot-warn');
    const link = row.get('[data-testid="set-secret-link"]');
    expect(link.text()).toBe('Set secret');
    expect(link.attributes('href')).toBe('#/servers/github/logs');
    expect(link.attributes('aria-label')).toBe('Set secret for github');
    expect(wrapper.find('[data-testid="server-row-notes"] [data-testid="set-secret-link"]').exists()).toBe(
      false,
    );
  });

  it('shows a server waiting for a sign-in in words, with the warn tone and a way to sign in', async () => {
    const { wrapper } = await mountWith([
      server('linear', { transport: 'http', state: 'needs-auth', reason: 'the server asks for a sign-in' }),
      server('notes'),
    ]);
    const row = wrapper.get('[data-testid="server-row-linear"]');
    const badge = row.get('[data-testid="state-badge"]');
    expect(badge.text()).toBe('needs sign-in');
    expect(badge.classes()).toContain('dot-warn');
    const link = row.get('[data-testid="sign-in-link"]');
    expect(link.text()).toBe('Sign in');
    expect(link.attributes('href')).toBe('#/servers/linear/logs');
    expect(link.attributes('aria-label')).toBe('Sign in to linear');
    expect(row.find('[data-testid="set-secret-link"]').exists()).toBe(false);
    expect(wrapper.find('[data-testid="server-row-notes"] [data-testid="sign-in-link"]').exists()).toBe(
      false,
    );
  });

  it('says there are no servers yet, with a way to add one', async () => {
    const { wrapper } = await mountWith([]);
    const empty = wrapper.get('[data-testid="servers-empty"]');
    expect(empty.text()).toContain('No servers yet');
    expect(empty.get('a').attributes('href')).toBe('#/add');
    expect(wrapper.find('table').exists()).toBe(false);
  });

  it('renders 200 servers as 200 rows and keeps them current', async () => {
    const many = Array.from({ length: 200 }, (_, i) => server(`s${String(i).padStart(3, '0')}`));
    const { wrapper, bridge } = await mountWith(many);
    expect(wrapper.findAll('tbody tr')).toHaveLength(200);
    bridge.push('events', {
      type: 'server.state',
      server: 's150',
      from: 'ready',
      to: 'failed',
      reason: 'exit code 2',
      at: 9,
    });
    await flushPromises();
    expect(wrapper.get('[data-testid="server-row-s150"] [data-testid="state-badge"]').text()).toBe('failed');
    expect(wrapper.findAll('tbody tr')).toHaveLength(200);
  });
});
