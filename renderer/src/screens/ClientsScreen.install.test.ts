import { enableAutoUnmount, flushPromises } from '@vue/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeClients } from '../testing/fake-clients.js';
import { card, desktop, mountScreen } from '../testing/clients-screen.js';

enableAutoUnmount(afterEach);

describe('ClientsScreen: installing Switchboard into a client, and undoing it', () => {
  it('previews an install as a coloured diff, switches mode, and writes the file', async () => {
    const { wrapper, bridge, fake } = await mountScreen();
    await card(wrapper, 'claude-desktop').get('[data-testid="client-install"]').trigger('click');
    await flushPromises();
    expect(bridge.callsOf('previewInstall')).toEqual([
      { client: 'claude-desktop', mode: 'per-server', choices: {} },
    ]);
    const panel = wrapper.get('[data-testid="install-panel"]');
    const diff = panel.get('pre[data-testid="install-diff"]');
    const kinds = (kind: string) => diff.findAll(`.${kind}`).map((l) => l.text());
    expect(kinds('removed')).toEqual([
      '-    "github": { "command": "npx", "args": ["github"] },',
      '-    "files": { "command": "npx", "args": ["files"] },',
    ]);
    expect(kinds('added')).toHaveLength(2);
    expect(kinds('added')[0]).toContain('"args": ["connect", "github"]');
    expect(kinds('file')).toHaveLength(2);
    // Copying the <pre> gives the diff back, line ends included.
    expect(diff.element.textContent).toMatch(/^--- \/home\/me\/.*\n\+\+\+ .*\n@@ .*\n {\n/);
    expect(diff.element.textContent).toMatch(/\n }\n$/);
    // github clashes with a different Switchboard server: it stays unless a choice is made.
    expect(panel.get('[data-testid="install-servers"]').text()).toContain('github: stays as it is');
    expect(panel.get('[data-testid="install-servers"]').text()).toContain(
      'files: added to Switchboard first, then goes through it',
    );
    expect(panel.get('[data-testid="install-servers"]').text()).toContain(
      'search: already through Switchboard',
    );

    await panel.get('[data-testid="install-mode-aggregate"]').setValue(true);
    await flushPromises();
    expect(bridge.callsOf('previewInstall').at(-1)).toEqual({
      client: 'claude-desktop',
      mode: 'aggregate',
      choices: {},
    });
    expect(
      panel
        .get('pre')
        .findAll('.added')
        .map((l) => l.text()),
    ).toEqual(['+    "switchboard": { "command": "switchboard", "args": ["connect"] },']);

    const write = panel.get('[data-testid="install-apply"]');
    expect(write.text()).toBe('Write /home/me/.config/Claude/claude_desktop_config.json');
    await write.trigger('click');
    await flushPromises();
    expect(bridge.callsOf('installClient')).toEqual([
      { client: 'claude-desktop', mode: 'aggregate', choices: {} },
    ]);
    expect(fake.client('claude-desktop').installed?.mode).toBe('aggregate');
    expect(wrapper.get('[data-testid="install-result"]').text()).toContain(
      'Wrote /home/me/.config/Claude/claude_desktop_config.json.',
    );
    // The list was read again: the card shows the install and offers to undo it.
    const claude = card(wrapper, 'claude-desktop');
    expect(claude.get('[data-testid="client-installed"]').text()).toContain('one entry for all servers');
    expect(claude.find('[data-testid="client-uninstall"]').exists()).toBe(true);
  });

  it('says there is nothing to change when the diff is empty, and that a missing file gets created', async () => {
    const fake = new FakeClients([
      desktop({ installed: { mode: 'per-server', at: 1, changedSince: false } }),
      {
        id: 'windsurf',
        name: 'Windsurf',
        scope: 'user',
        file: '/w/mcp.json',
        exists: false,
        servers: [],
        bridges: [],
      },
    ]);
    const { wrapper, bridge } = await mountScreen(fake);
    await card(wrapper, 'claude-desktop').get('[data-testid="client-install"]').trigger('click');
    await flushPromises();
    const panel = card(wrapper, 'claude-desktop').get('[data-testid="install-panel"]');
    expect(panel.get('[data-testid="install-nothing"]').text()).toContain('Nothing to change');
    expect(panel.find('pre').exists()).toBe(false);
    expect(panel.find('[data-testid="install-apply"]').exists()).toBe(false);

    await card(wrapper, 'windsurf').get('[data-testid="client-install"]').trigger('click');
    await flushPromises();
    expect(card(wrapper, 'windsurf').get('[data-testid="install-creates"]').text()).toContain(
      '/w/mcp.json does not exist yet',
    );
    bridge.refuse('installClient', 500, 'EACCES: permission denied');
    await card(wrapper, 'windsurf').get('[data-testid="install-apply"]').trigger('click');
    await flushPromises();
    expect(card(wrapper, 'windsurf').get('[data-testid="install-error"]').text()).toBe(
      'Could not write /w/mcp.json: EACCES: permission denied',
    );
  });

  it('undoes an install after asking, and restores anyway when the file changed since', async () => {
    const fake = new FakeClients([desktop({ installed: { mode: 'per-server', at: 1, changedSince: true } })]);
    const { wrapper, bridge } = await mountScreen(fake);
    await card(wrapper, 'claude-desktop').get('[data-testid="client-uninstall"]').trigger('click');
    const panel = wrapper.get('[data-testid="uninstall-panel"]');
    expect(panel.text()).toContain('It was changed after the install; undoing drops those changes.');
    expect(bridge.callsOf('uninstallClient')).toEqual([]);

    const listsBefore = bridge.callsOf('listClients').length;
    await panel.get('[data-testid="uninstall-confirm"]').trigger('click');
    await flushPromises();
    expect(bridge.callsOf('uninstallClient')).toEqual([{ client: 'claude-desktop' }]);
    expect(panel.get('[data-testid="uninstall-error"]').text()).toContain('was changed since the install');
    // The refusal says the list is out of date: it is loaded again.
    expect(bridge.callsOf('listClients').length).toBe(listsBefore + 1);
    expect(panel.find('[data-testid="uninstall-confirm"]').exists()).toBe(false);

    await panel.get('[data-testid="uninstall-force"]').trigger('click');
    await flushPromises();
    expect(bridge.callsOf('uninstallClient')).toEqual([
      { client: 'claude-desktop' },
      { client: 'claude-desktop', force: true },
    ]);
    expect(wrapper.get('[data-testid="uninstall-result"]').text()).toContain('is back as it was');
    expect(wrapper.get('[data-testid="uninstall-kept-as"]').text()).toBe(
      '/home/me/.config/Claude/claude_desktop_config.json.switchboard-kept',
    );
    expect(card(wrapper, 'claude-desktop').find('[data-testid="client-installed"]').exists()).toBe(false);
    expect(wrapper.get('[data-testid="clients-notice"]').text()).toBe('Undid the install in Claude Desktop.');
  });

  it('offers no force for other refusals, and keeps it when the answer is "Keep it"', async () => {
    const fake = new FakeClients([
      desktop({ installed: { mode: 'per-server', at: 1, changedSince: false } }),
    ]);
    const { wrapper, bridge } = await mountScreen(fake);
    await card(wrapper, 'claude-desktop').get('[data-testid="client-uninstall"]').trigger('click');
    await wrapper.get('[data-testid="uninstall-cancel"]').trigger('click');
    expect(wrapper.find('[data-testid="uninstall-panel"]').exists()).toBe(false);
    expect(bridge.callsOf('uninstallClient')).toEqual([]);

    bridge.refuse('uninstallClient', 500, 'the backup cannot be read (nothing was changed)');
    await card(wrapper, 'claude-desktop').get('[data-testid="client-uninstall"]').trigger('click');
    await wrapper.get('[data-testid="uninstall-confirm"]').trigger('click');
    await flushPromises();
    expect(wrapper.get('[data-testid="uninstall-error"]').text()).toBe(
      'Could not undo the install: the backup cannot be read (nothing was changed)',
    );
    expect(wrapper.find('[data-testid="uninstall-force"]').exists()).toBe(false);
  });

  it('leaves a clashing entry as it is unless a choice is made, and previews again with it', async () => {
    const { wrapper, bridge } = await mountScreen();
    await card(wrapper, 'claude-desktop').get('[data-testid="client-install"]').trigger('click');
    await flushPromises();
    const github = wrapper.get('[data-testid="install-server-github"]');
    expect(github.text()).toContain('github: stays as it is');
    await github.get('[data-testid="install-clash"]').setValue('rename');
    await flushPromises();
    expect(bridge.callsOf('previewInstall').at(-1)).toMatchObject({
      choices: { github: { action: 'rename' } },
    });
    expect(wrapper.get('[data-testid="install-server-github"]').text()).toContain(
      'github: added to Switchboard first',
    );
  });
});
