import { flushPromises } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import type { ApiOutput, ServerSnapshotDto } from '../../../electron/shared/api.js';
import { BridgeError } from '../bridge/bridge.js';
import { FakeBridge } from '../testing/fake-bridge.js';
import { mountWithEngine } from '../testing/mount-app.js';
import ServersScreen from './ServersScreen.vue';
import { serverSnapshot } from '../testing/server-snapshot.js';

const server = (name: string, more: Partial<ServerSnapshotDto> = {}): ServerSnapshotDto =>
  serverSnapshot(name, { since: Date.now() - 65_000, ...more });

const MINUTE = 60_000;
const thisMinute = () => Math.floor(Date.now() / MINUTE) * MINUTE;
/** A `getServerStats` answer: `calls` per minute, the last one the minute in progress. */
const stats = (server: string, calls: number[]) =>
  ({
    server,
    buckets: calls.map((n, i) => ({
      at: thisMinute() - (calls.length - 1 - i) * MINUTE,
      calls: n,
      errors: 0,
      p50Ms: 1,
      p99Ms: 2,
    })),
    usage: [],
  }) as ApiOutput<'getServerStats'>;
const tool = (name: string, description?: string) => ({ name, ...(description ? { description } : {}) });

async function mountWith(
  servers: ServerSnapshotDto[],
  bridge = new FakeBridge(),
  options: { attachTo?: HTMLElement } = {},
) {
  bridge.answer('listServers', () => ({ servers }));
  return mountWithEngine(ServersScreen, { bridge, ...options });
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

  it('shows only the servers that need attention, run or are stopped, and says when none is', async () => {
    const { wrapper } = await mountWith([
      server('notes'),
      server('files', { state: 'failed' }),
      server('keys', { state: 'needs-secret' }),
      server('idle', { state: 'stopped' }),
    ]);
    const rows = () => wrapper.findAll('tbody tr').map((r) => r.attributes('data-testid'));
    const scope = wrapper.get('[data-testid="server-scope"]');
    await scope.setValue('attention');
    expect(rows()).toEqual(['server-row-files', 'server-row-keys']);
    await scope.setValue('running');
    expect(rows()).toEqual(['server-row-notes']);
    await scope.setValue('stopped');
    expect(rows()).toEqual(['server-row-idle']);
    await wrapper.get('[data-testid="server-filter"]').setValue('notes');
    expect(rows()).toEqual([]);
    expect(wrapper.get('[data-testid="servers-no-match"]').text()).toContain('No server matches “notes”');
    await wrapper.get('[data-testid="servers-no-match"] button').trigger('click');
    expect(rows()).toHaveLength(4);
    expect((scope.element as HTMLSelectElement).value).toBe('all');
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

  it('puts the servers that need a person first, the worst first, then the rest by name', async () => {
    const { wrapper, bridge } = await mountWith([
      server('alpha'),
      server('beta', { state: 'stopped' }),
      server('delta', { state: 'needs-secret' }),
      server('epsilon', { state: 'backoff' }),
      server('gamma', { state: 'failed' }),
      server('zeta', { state: 'needs-auth' }),
    ]);
    const rows = () => wrapper.findAll('tbody tr').map((r) => r.attributes('data-testid')?.slice(11));
    expect(rows()).toEqual(['gamma', 'epsilon', 'delta', 'zeta', 'alpha', 'beta']);
    expect(wrapper.get('[data-testid="servers-summary"]').text()).toBe(
      '6 servers · 1 running · 4 need attention',
    );
    // A server that fails moves up at once.
    bridge.push('events', {
      type: 'server.state',
      server: 'beta',
      from: 'stopped',
      to: 'failed',
      reason: 'x',
      at: 5,
    });
    await flushPromises();
    expect(rows()).toEqual(['beta', 'gamma', 'epsilon', 'delta', 'zeta', 'alpha']);
  });

  it('sorts as chosen, and the table header says which column it follows', async () => {
    const { wrapper } = await mountWith([
      server('b', { restarts: 1, rssBytes: 3000, cpuPercent: 1 }),
      server('a', { restarts: 5, rssBytes: 1000, state: 'failed' }),
      server('c', { restarts: 3, cpuPercent: 9 }),
    ]);
    const rows = () => wrapper.findAll('tbody tr').map((r) => r.attributes('data-testid')?.slice(11));
    const sort = wrapper.get('[data-testid="server-sort"]');
    expect(wrapper.get('label[for="server-sort"]').text()).toBe('Sort');
    expect(rows()).toEqual(['a', 'b', 'c']);
    expect(wrapper.find('th[aria-sort]').exists()).toBe(false);

    await sort.setValue('restarts');
    expect(rows()).toEqual(['a', 'c', 'b']);
    expect(wrapper.get('th[aria-sort]').text()).toBe('Restarts');
    expect(wrapper.get('th[aria-sort]').attributes('aria-sort')).toBe('descending');

    await sort.setValue('memory');
    expect(rows()).toEqual(['b', 'a', 'c']); // no figure: last
    await sort.setValue('cpu');
    expect(rows()).toEqual(['c', 'b', 'a']);

    await sort.setValue('name');
    expect(rows()).toEqual(['a', 'b', 'c']);
    expect(wrapper.get('th[aria-sort]').text()).toBe('Name');
    expect(wrapper.get('th[aria-sort]').attributes('aria-sort')).toBe('ascending');
  });

  it("gives each row's actions one Tab stop, moved along with the arrow keys", async () => {
    const { wrapper } = await mountWith([server('notes'), server('idle', { state: 'stopped' })], undefined, {
      attachTo: document.body,
    });
    const toolbar = wrapper.get('[data-testid="server-row-notes"] [role="toolbar"]');
    expect(toolbar.attributes('aria-label')).toBe('Actions for notes');
    const tabbable = (row: string) =>
      wrapper
        .findAll(`[data-testid="server-row-${row}"] [role="toolbar"] button`)
        .filter((b) => b.attributes('tabindex') === '0')
        .map((b) => b.attributes('aria-label'));
    expect(tabbable('notes')).toEqual(['Stop notes']); // Start makes no sense while it runs
    expect(tabbable('idle')).toEqual(['Start idle']);

    await toolbar.trigger('keydown', { key: 'ArrowRight' });
    expect(tabbable('notes')).toEqual(['Restart notes']);
    expect(document.activeElement?.getAttribute('aria-label')).toBe('Restart notes');
    await toolbar.trigger('keydown', { key: 'ArrowRight' });
    expect(tabbable('notes')).toEqual(['Stop notes']);
    await toolbar.trigger('keydown', { key: 'End' });
    expect(document.activeElement?.getAttribute('aria-label')).toBe('Restart notes');
    wrapper.unmount();
  });

  it('says the reason once, and the last error only when it says something else', async () => {
    const { wrapper } = await mountWith([
      server('same', { state: 'failed', reason: 'exit code 1: boom', lastError: 'boom' }),
      server('other', { state: 'failed', reason: 'exit code 1', lastError: 'boom' }),
    ]);
    const same = wrapper.get('[data-testid="server-row-same"]');
    expect(same.get('[data-testid="server-reason"]').attributes('title')).toBe('exit code 1: boom');
    expect(same.find('.last-error').exists()).toBe(false);
    expect(same.text().match(/boom/g)).toHaveLength(1);
    expect(wrapper.get('[data-testid="server-row-other"] .last-error').text()).toBe('Last error: boom');
  });

  it('restarts every running server, and only after the confirmation', async () => {
    const bridge = new FakeBridge().answer('restartServer', ({ server: name }) => {
      if (name === 'notes') throw new BridgeError(409, { error: 'notes could not start' });
      return server(name);
    });
    const { wrapper } = await mountWith(
      [
        server('notes'),
        server('files'),
        server('idle', { state: 'stopped' }),
        server('broken', { state: 'failed' }),
        server('github', { state: 'needs-secret' }),
      ],
      bridge,
    );
    await wrapper.get('[data-testid="restart-all"]').trigger('click');
    const confirm = wrapper.get('[data-testid="restart-all-confirm"]');
    expect(confirm.classes()).toContain('confirm');
    expect(confirm.text()).toContain("Restart 2 servers? Clients' requests are held while each restarts.");
    expect(bridge.callsOf('restartServer')).toEqual([]);

    await wrapper.get('[data-testid="restart-all-cancel"]').trigger('click');
    expect(wrapper.find('[data-testid="restart-all-confirm"]').exists()).toBe(false);
    expect(bridge.callsOf('restartServer')).toEqual([]);

    await wrapper.get('[data-testid="restart-all"]').trigger('click');
    await wrapper.get('[data-testid="restart-all-yes"]').trigger('click');
    await flushPromises();
    expect(bridge.callsOf('restartServer')).toEqual(
      expect.arrayContaining([{ server: 'files' }, { server: 'notes' }]),
    );
    expect(bridge.callsOf('restartServer')).toHaveLength(2);
    const failures = wrapper.get('[data-testid="restart-all-failures"]');
    expect(failures.attributes('role')).toBe('alert');
    expect(failures.text()).toContain('Could not restart 1 of 2 servers');
    expect(failures.text()).toContain('notes: notes could not start');
  });

  it("finds a tool among every ready server's tools, read once each, and links to it", async () => {
    const bridge = new FakeBridge().answer('listTools', ({ server: name }) => ({
      server: name,
      tools:
        name === 'files'
          ? [tool('read_file', 'Reads a file.\nSecond line.'), tool('write_file')]
          : [tool('add_note', 'Adds a note')],
    }));
    const { wrapper } = await mountWith(
      [server('notes'), server('files'), server('idle', { state: 'stopped' })],
      bridge,
    );
    expect(bridge.callsOf('listTools')).toEqual([]); // nothing read before the person searches

    const finder = wrapper.get('[data-testid="tool-finder"]');
    expect(wrapper.get('label[for="tool-finder"]').text()).toBe('Find a tool');
    await finder.setValue('read');
    await flushPromises();
    const match = wrapper.get('[data-testid="tool-match-files-read_file"]');
    expect(match.attributes('href')).toBe('#/servers/files/tools');
    expect(match.text()).toContain('on files');
    expect(match.text()).toContain('Reads a file.');
    expect(match.text()).not.toContain('Second line');
    expect(wrapper.find('[data-testid="tool-match-files-write_file"]').exists()).toBe(false);
    expect(wrapper.get('[data-testid="tool-matches-status"]').text()).toBe('1 tool matches “read”');

    await finder.setValue('note');
    await flushPromises();
    expect(wrapper.find('[data-testid="tool-match-notes-add_note"]').exists()).toBe(true);
    expect(bridge.callsOf('listTools')).toHaveLength(2);
    expect(bridge.callsOf('listTools')).toEqual(
      expect.arrayContaining([{ server: 'notes' }, { server: 'files' }]),
    );

    // A server's lists changed: its tools are read again, and the new one is found.
    bridge.answer('listTools', ({ server: name }) => ({ server: name, tools: [tool('read_note')] }));
    bridge.push('events', {
      type: 'server.lists',
      server: 'notes',
      tools: 1,
      prompts: 0,
      resources: 0,
      at: 1,
    });
    await flushPromises();
    await finder.setValue('read');
    await flushPromises();
    expect(wrapper.find('[data-testid="tool-match-notes-read_note"]').exists()).toBe(true);
    expect(bridge.callsOf('listTools')).toHaveLength(3);
  });

  it('draws each server’s calls of the last hour, and follows server.calls events', async () => {
    const bridge = new FakeBridge().answer('getServerStats', ({ server: name }) =>
      stats(name, name === 'notes' ? [2, 0, 3, 7] : []),
    );
    const { wrapper } = await mountWith([server('notes'), server('files')], bridge);
    const calls = (name: string) =>
      wrapper.get(`[data-testid="server-row-${name}"] [data-testid="server-calls"]`);
    expect(bridge.callsOf('getServerStats')).toHaveLength(2);
    expect(bridge.callsOf('getServerStats')).toEqual(
      expect.arrayContaining([
        { server: 'notes', include: 'calls' },
        { server: 'files', include: 'calls' },
      ]),
    );
    expect(calls('notes').text()).toBe('12');
    expect(calls('notes').attributes('role')).toBe('img');
    expect(calls('notes').attributes('aria-label')).toBe('12 calls in the last hour, at most 7 a minute');
    expect(calls('notes').find('polyline').attributes('points')?.split(' ')).toHaveLength(60);
    expect(calls('files').attributes('aria-label')).toBe('No calls in the last hour');

    // The minute in progress closes with more calls than the engine had counted when asked.
    bridge.push('events', {
      type: 'server.calls',
      server: 'notes',
      minute: thisMinute(),
      calls: 9,
      errors: 0,
      p50Ms: 1,
      p99Ms: 2,
      at: Date.now(),
    });
    bridge.push('events', {
      type: 'server.calls',
      server: 'files',
      minute: thisMinute(),
      calls: 1,
      errors: 0,
      p50Ms: 1,
      p99Ms: 2,
      at: Date.now(),
    });
    await flushPromises();
    expect(calls('notes').text()).toBe('14');
    expect(calls('files').attributes('aria-label')).toBe('1 call in the last hour');
    expect(bridge.callsOf('getServerStats')).toHaveLength(2); // followed, never asked again

    // Sorting by calls puts the busiest first.
    await wrapper.get('[data-testid="server-sort"]').setValue('calls');
    expect(wrapper.findAll('tbody tr').map((r) => r.attributes('data-testid'))).toEqual([
      'server-row-notes',
      'server-row-files',
    ]);
  });
});
