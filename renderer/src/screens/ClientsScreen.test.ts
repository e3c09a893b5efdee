import { enableAutoUnmount, flushPromises } from '@vue/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import App from '../App.vue';
import { FakeBridge } from '../testing/fake-bridge.js';
import { ENGINE_FOLDER, FakeClients } from '../testing/fake-clients.js';
import { mountWithEngine } from '../testing/mount-app.js';
import { card, desktop, mountScreen, row } from '../testing/clients-screen.js';
import ClientsScreen from './ClientsScreen.vue';

enableAutoUnmount(afterEach);

describe('ClientsScreen: finding clients and importing from them', () => {
  it('lists the clients, found ones first, with their file, servers, bridges and problems', async () => {
    const { wrapper, bridge } = await mountScreen();
    expect(bridge.callsOf('listClients')).toEqual([{}]);
    const headings = wrapper.findAll('h2, h3').map((h) => h.text());
    expect(headings).toEqual([
      'Connect a client',
      'Found (3)',
      'Claude Desktop',
      'Cursor (project)',
      'VS Code',
      'Not found (1)',
      'Windsurf',
    ]);

    const claude = card(wrapper, 'claude-desktop');
    expect(claude.get('[data-testid="client-file"]').text()).toBe(
      '/home/me/.config/Claude/claude_desktop_config.json',
    );
    expect(claude.get('[data-testid="client-servers"]').text()).toBe('Servers: github, files');
    expect(claude.get('[data-testid="client-bridges"]').text()).toBe('Already through Switchboard: search');
    expect(claude.find('[data-testid="client-installed"]').exists()).toBe(false);
    expect(claude.find('[data-testid="client-uninstall"]').exists()).toBe(false);
    expect(claude.get('[data-testid="client-import"]').text()).toBe('Import… (Claude Desktop)');

    const windsurf = card(wrapper, 'windsurf');
    expect(windsurf.classes()).toContain('missing');
    expect(windsurf.get('[data-testid="client-missing"]').text()).toBe('not found');
    expect(windsurf.find('[data-testid="client-import"]').exists()).toBe(false);
    expect(windsurf.find('[data-testid="client-install"]').exists()).toBe(true);

    const vscode = card(wrapper, 'vscode');
    expect(vscode.get('[data-testid="client-problem"]').text()).toBe(
      'Cannot read it: line 3: unexpected "}": fix the file, then look again',
    );
    expect(vscode.find('[data-testid="client-import"]').exists()).toBe(false);
    expect(vscode.find('[data-testid="client-install"]').exists()).toBe(false);
    expect(card(wrapper, 'cursor-project').get('[data-testid="client-file"]').text()).toBe(
      `${ENGINE_FOLDER}/.cursor/mcp.json`,
    );
  });

  it('shows an install with its mode and date, and warns when the file changed since', async () => {
    const at = Date.UTC(2024, 4, 3, 10, 30);
    const fake = new FakeClients([desktop({ installed: { mode: 'aggregate', at, changedSince: true } })]);
    const { wrapper } = await mountScreen(fake);
    const claude = card(wrapper, 'claude-desktop');
    const marker = claude.get('[data-testid="client-installed"]');
    expect(marker.text()).toContain('Installed, one entry for all servers, ');
    expect(marker.text()).toContain('2024');
    expect(marker.classes()).toContain('tone-warn');
    expect(claude.get('[data-testid="client-changed"]').text()).toContain('changed after the install');
    expect(claude.get('[data-testid="client-uninstall"]').text()).toBe('Undo install (Claude Desktop)');
  });

  it('passes the project folder to the list and to every preview and apply', async () => {
    const { wrapper, bridge } = await mountScreen();
    const field = wrapper.get<HTMLInputElement>('[data-testid="project-folder"]');
    expect(wrapper.get(`label[for="${field.attributes('id')}"]`).text()).toBe('Project folder');
    await field.setValue('  /home/me/shop  ');
    await field.trigger('change');
    await flushPromises();
    expect(bridge.callsOf('listClients')).toEqual([{}, { project: '/home/me/shop' }]);
    const cursor = card(wrapper, 'cursor-project');
    expect(cursor.get('[data-testid="client-file"]').text()).toBe('/home/me/shop/.cursor/mcp.json');

    await cursor.get('[data-testid="client-import"]').trigger('click');
    await flushPromises();
    await cursor.get('[data-testid="import-apply"]').trigger('click');
    await flushPromises();
    await card(wrapper, 'cursor-project').get('[data-testid="client-install"]').trigger('click');
    await flushPromises();
    await card(wrapper, 'cursor-project').get('[data-testid="install-apply"]').trigger('click');
    await flushPromises();
    for (const name of ['previewImport', 'importClient', 'previewInstall', 'installClient'] as const)
      expect(bridge.callsOf(name), name).toEqual([
        expect.objectContaining({ client: 'cursor-project', project: '/home/me/shop' }),
      ]);

    // Emptying the field goes back to the engine's folder; "Look again" reads the list again.
    await field.setValue('');
    await wrapper.get('[data-testid="project-form"]').trigger('submit');
    await flushPromises();
    expect(bridge.callsOf('listClients').at(-1)).toEqual({});
  });

  it('previews an import, re-asks when a conflict becomes a rename, and imports with those choices', async () => {
    const { wrapper, bridge, fake } = await mountScreen();
    await card(wrapper, 'claude-desktop').get('[data-testid="client-import"]').trigger('click');
    await flushPromises();
    const panel = wrapper.get('[data-testid="import-panel"]');
    expect(panel.get('h4').text()).toBe('Import from Claude Desktop');
    expect(document.activeElement).toBe(panel.get('h4').element);
    expect(bridge.callsOf('previewImport')).toEqual([
      { client: 'claude-desktop', choices: {}, moveSecrets: true },
    ]);

    // github is taken by a different server in Switchboard: skipped unless chosen otherwise.
    expect(row(wrapper, 'github').get('[data-testid="import-conflict"]').text()).toBe(
      'a different server of this name',
    );
    const action = row(wrapper, 'github').get<HTMLSelectElement>('[data-testid="import-action"]');
    expect(action.element.value).toBe('skip');
    expect(action.findAll('option').map((o) => o.text())).toEqual([
      'Skip',
      'Rename',
      "Replace Switchboard's",
    ]);
    expect(row(wrapper, 'files').get('[data-testid="import-conflict"]').text()).toBe('none');
    expect(row(wrapper, 'files').get<HTMLSelectElement>('[data-testid="import-action"]').element.value).toBe(
      'add',
    );
    expect(row(wrapper, 'github').get('[data-testid="import-secrets"]').text()).toBe(
      'env.GITHUB_TOKEN → ${secret:GITHUB_TOKEN} (ends in …WXYZ)',
    );
    expect(row(wrapper, 'github').get('[data-testid="import-notes"]').text()).toBe(
      'restart it once imported',
    );
    expect(panel.get('[data-testid="import-bridges"]').text()).toBe(
      'Already through Switchboard (not imported): search',
    );
    expect(panel.get('[data-testid="import-apply"]').text()).toBe('Import 1 server');

    await action.setValue('rename');
    await flushPromises();
    expect(bridge.callsOf('previewImport').at(-1)).toEqual({
      client: 'claude-desktop',
      choices: { github: { action: 'rename' } },
      moveSecrets: true,
    });
    const rename = row(wrapper, 'github').get<HTMLInputElement>('[data-testid="import-rename"]');
    expect(rename.element.value).toBe('github-2');
    expect(rename.attributes('aria-label')).toBe('New name for github');
    expect(row(wrapper, 'github').get('[data-testid="import-as"]').text()).toBe('github-2');
    await rename.setValue('github-work');
    await rename.trigger('change');
    await flushPromises();
    expect(row(wrapper, 'github').get('[data-testid="import-as"]').text()).toBe('github-work');
    expect(panel.get('[data-testid="import-apply"]').text()).toBe('Import 2 servers');

    const listsBefore = bridge.callsOf('listClients').length;
    await panel.get('[data-testid="import-apply"]').trigger('click');
    await flushPromises();
    expect(bridge.callsOf('importClient')).toEqual([
      {
        client: 'claude-desktop',
        choices: { github: { action: 'rename', as: 'github-work' } },
        moveSecrets: true,
      },
    ]);
    expect(fake.switchboard.get('github-work')).toBe('same');
    expect(wrapper.get('[data-testid="import-outcome-github"]').text()).toContain(
      'github: added as github-work (1 secret moved to the keyring)',
    );
    expect(wrapper.get('[data-testid="import-outcome-files"]').text()).toBe('files: added');
    expect(wrapper.get('[data-testid="clients-notice"]').text()).toBe(
      'Imported 2 servers from Claude Desktop.',
    );
    expect(bridge.callsOf('listClients')).toHaveLength(listsBefore + 1);
  });

  it('sends moveSecrets false when the keyring box is unticked', async () => {
    const { wrapper, bridge } = await mountScreen();
    await card(wrapper, 'claude-desktop').get('[data-testid="client-import"]').trigger('click');
    await flushPromises();
    const box = wrapper.get<HTMLInputElement>('[data-testid="import-move-secrets"]');
    expect(box.element.checked).toBe(true);
    await row(wrapper, 'github').get('[data-testid="import-action"]').setValue('replace');
    await flushPromises();
    await box.setValue(false);
    await flushPromises();
    expect(bridge.callsOf('previewImport').at(-1)).toEqual({
      client: 'claude-desktop',
      choices: { github: { action: 'replace' } },
      moveSecrets: false,
    });
    expect(row(wrapper, 'github').get('[data-testid="import-secrets"]').text()).toBe('none');
    expect(row(wrapper, 'github').get('[data-testid="import-notes"]').text()).toContain(
      'its secret values stay in the config file',
    );
    await wrapper.get('[data-testid="import-apply"]').trigger('click');
    await flushPromises();
    expect(bridge.callsOf('importClient')).toEqual([
      { client: 'claude-desktop', choices: { github: { action: 'replace' } }, moveSecrets: false },
    ]);
  });

  it("shows the engine's refusals of a preview and of an import", async () => {
    const { wrapper, bridge } = await mountScreen();
    await card(wrapper, 'claude-desktop').get('[data-testid="client-import"]').trigger('click');
    await flushPromises();
    bridge.refuse('importClient', 400, 'invalid input', [{ path: 'choices.github.as', message: 'is empty' }]);
    await wrapper.get('[data-testid="import-apply"]').trigger('click');
    await flushPromises();
    const alert = wrapper.get('[data-testid="import-error"]');
    expect(alert.attributes('role')).toBe('alert');
    expect(alert.text()).toBe('Could not import: invalid input (choices.github.as: is empty)');
    expect(wrapper.find('[data-testid="import-result"]').exists()).toBe(false);

    bridge.refuse('previewImport', 500, 'the disk is on fire');
    await row(wrapper, 'github').get('[data-testid="import-action"]').setValue('replace');
    await flushPromises();
    expect(wrapper.get('[data-testid="import-preview-error"]').text()).toBe(
      'Could not preview the import: the disk is on fire',
    );
    // What would be imported is unknown now: no import until a preview succeeds.
    expect(wrapper.get('[data-testid="import-apply"]').attributes('disabled')).toBeDefined();
  });

  it('says so when the clients cannot be listed', async () => {
    const bridge = new FakeBridge().refuse('listClients', 500, 'engine exploded');
    bridge.answer('listServers', () => ({ servers: [] }));
    const { wrapper } = await mountWithEngine(ClientsScreen, { bridge, route: { screen: 'clients' } });
    const alert = wrapper.get('[data-testid="clients-error"]');
    expect(alert.attributes('role')).toBe('alert');
    expect(alert.text()).toBe('Could not look for clients: engine exploded');
  });
});

describe('Clients in the main nav', () => {
  it('opens the screen at #/clients', async () => {
    const bridge = new FakeClients([desktop()]).install(new FakeBridge());
    bridge.answer('listServers', () => ({ servers: [] }));
    const { wrapper } = await mountWithEngine(App, { bridge, route: { screen: 'clients' } });
    const link = wrapper.get('nav a[href="#/clients"]');
    expect(link.text()).toBe('Clients');
    expect(link.attributes('aria-current')).toBe('page');
    await vi.waitFor(() => expect(wrapper.find('[data-testid="client-claude-desktop"]').exists()).toBe(true));
  });
});
