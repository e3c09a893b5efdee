import { enableAutoUnmount, flushPromises, type VueWrapper } from '@vue/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import App from '../App.vue';
import { FakeBridge } from '../testing/fake-bridge.js';
import { ENGINE_FOLDER, FakeClients, type FakeClient } from '../testing/fake-clients.js';
import { mountWithEngine } from '../testing/mount-app.js';
import ClientsScreen from './ClientsScreen.vue';

enableAutoUnmount(afterEach);

const TOKEN_HINT = 'WXYZ';

function desktop(more: Partial<FakeClient> = {}): FakeClient {
  return {
    id: 'claude-desktop',
    name: 'Claude Desktop',
    scope: 'user',
    file: '/home/me/.config/Claude/claude_desktop_config.json',
    exists: true,
    servers: [
      {
        name: 'github',
        secrets: [{ at: 'env.GITHUB_TOKEN', secret: 'GITHUB_TOKEN', hint: TOKEN_HINT }],
        notes: ['restart it once imported'],
      },
      { name: 'files' },
    ],
    bridges: ['search'],
    ...more,
  };
}

function defaultClients(): FakeClient[] {
  return [
    {
      id: 'windsurf',
      name: 'Windsurf',
      scope: 'user',
      file: '/home/me/.codeium/mcp.json',
      exists: false,
      servers: [],
      bridges: [],
    },
    desktop(),
    {
      id: 'cursor-project',
      name: 'Cursor (project)',
      scope: 'project',
      file: '.cursor/mcp.json',
      exists: true,
      servers: [{ name: 'db' }],
      bridges: [],
    },
    {
      id: 'vscode',
      name: 'VS Code',
      scope: 'user',
      file: '/home/me/.config/Code/User/mcp.json',
      exists: true,
      servers: [],
      bridges: [],
      problem: 'line 3: unexpected "}": fix the file, then look again',
    },
  ];
}

async function mountScreen(fake = new FakeClients(defaultClients(), { github: 'different' })) {
  const bridge = fake.install(new FakeBridge());
  bridge.answer('listServers', () => ({ servers: [] }));
  const mounted = await mountWithEngine(ClientsScreen, {
    bridge,
    route: { screen: 'clients' },
    attachTo: document.body,
  });
  return { ...mounted, fake };
}

const card = (wrapper: VueWrapper, id: string) => wrapper.get(`[data-testid="client-${id}"]`);
const row = (wrapper: VueWrapper, name: string) => wrapper.get(`[data-testid="import-row-${name}"]`);

describe('ClientsScreen', () => {
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

describe('install with a clash', () => {
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
