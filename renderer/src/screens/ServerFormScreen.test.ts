import { flushPromises } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import { FakeBridge } from '../testing/fake-bridge.js';
import { mountWithEngine } from '../testing/mount-app.js';
import ServerFormScreen from './ServerFormScreen.vue';
import { serverSnapshot } from '../testing/server-snapshot.js';

const snapshot = (name: string) => serverSnapshot(name);

function bridgeWith(servers: string[] = []) {
  return new FakeBridge()
    .answer('listServers', () => ({ servers: servers.map(snapshot) }))
    .answer('putServer', (input) => snapshot(input.server));
}

describe('ServerFormScreen: adding', () => {
  it('builds a stdio entry from the fields and adds it (createOnly), then shows its logs', async () => {
    const { wrapper, bridge } = await mountWithEngine(ServerFormScreen, {
      bridge: bridgeWith(),
      route: { screen: 'add' },
    });
    await wrapper.get('[data-testid="field-name"]').setValue('memory');
    await wrapper.get('[data-testid="field-command"]').setValue('npx');
    await wrapper.get('[data-testid="field-args"]').setValue('-y\n@modelcontextprotocol/server-memory');
    await wrapper.get('[data-testid="field-cwd"]').setValue('~/dev/memory');
    await wrapper.get('[data-testid="env-add"]').trigger('click');
    await wrapper.get('[data-testid="env-key-0"]').setValue('DEBUG');
    await wrapper.get('[data-testid="env-value-0"]').setValue('1');
    await wrapper.get('[data-testid="field-autoStart"]').setValue(false);
    await wrapper.get('form').trigger('submit');
    await flushPromises();

    expect(bridge.callsOf('putServer')).toEqual([
      {
        server: 'memory',
        config: {
          type: 'stdio',
          command: 'npx',
          args: ['-y', '@modelcontextprotocol/server-memory'],
          cwd: '~/dev/memory',
          env: { DEBUG: '1' },
          autoStart: false,
        },
        createOnly: true,
      },
    ]);
    expect(window.location.hash).toBe('#/servers/memory/logs');
  });

  it('builds an http entry with headers', async () => {
    const { wrapper, bridge } = await mountWithEngine(ServerFormScreen, {
      bridge: bridgeWith(),
      route: { screen: 'add' },
    });
    await wrapper.get('[data-testid="field-name"]').setValue('remote');
    await wrapper.get('[data-testid="field-type"]').setValue('http');
    expect(wrapper.find('[data-testid="field-command"]').exists()).toBe(false);
    await wrapper.get('[data-testid="field-url"]').setValue('https://mcp.example.com/mcp');
    await wrapper.get('[data-testid="headers-add"]').trigger('click');
    await wrapper.get('[data-testid="headers-key-0"]').setValue('X-Team');
    await wrapper.get('[data-testid="headers-value-0"]').setValue('infra');
    await wrapper.get('form').trigger('submit');
    await flushPromises();
    expect(bridge.callsOf('putServer').at(-1)).toEqual({
      server: 'remote',
      config: { type: 'http', url: 'https://mcp.example.com/mcp', headers: { 'X-Team': 'infra' } },
      createOnly: true,
    });
  });

  it('shows the schema problems beside their fields and in a summary, and does not save', async () => {
    const { wrapper, bridge } = await mountWithEngine(ServerFormScreen, {
      bridge: bridgeWith(['notes']),
      route: { screen: 'add' },
    });
    const command = wrapper.get('[data-testid="field-command"]');
    await command.trigger('blur');
    expect(wrapper.get('[data-testid="error-command"]').text()).toBe('required — add it (string)');
    expect(command.attributes('aria-invalid')).toBe('true');
    expect(command.attributes('aria-describedby')).toContain('sf-command-error');
    // Not shown for fields the person has not reached yet…
    expect(wrapper.find('[data-testid="error-name"]').exists()).toBe(false);
    // …and it follows the typing once shown.
    await command.setValue('node');
    expect(wrapper.find('[data-testid="error-command"]').exists()).toBe(false);

    await wrapper.get('[data-testid="field-name"]').setValue('notes');
    await wrapper.get('form').trigger('submit');
    await flushPromises();
    expect(wrapper.get('[data-testid="error-name"]').text()).toContain('already exists');
    expect(wrapper.get('[role="alert"][data-testid="form-summary"]').text()).toContain(
      'Name: a server named "notes"',
    );
    expect(bridge.callsOf('putServer')).toEqual([]);
  });

  it('shows what the engine refused: its message, and each problem beside its field', async () => {
    const bridge = bridgeWith().refuse('putServer', 400, 'invalid input', [
      { path: 'config.command', message: 'not found on PATH' },
      { path: 'config.oauth', message: 'oauth is not supported yet' },
    ]);
    const { wrapper } = await mountWithEngine(ServerFormScreen, { bridge, route: { screen: 'add' } });
    await wrapper.get('[data-testid="field-name"]').setValue('x');
    await wrapper.get('[data-testid="field-command"]').setValue('nope');
    await wrapper.get('form').trigger('submit');
    await flushPromises();
    expect(wrapper.get('[data-testid="error-command"]').text()).toBe('not found on PATH');
    const summary = wrapper.get('[data-testid="form-summary"]');
    expect(summary.attributes('role')).toBe('alert');
    expect(summary.text()).toContain('invalid input');
    expect(summary.text()).toContain('config.oauth: oauth is not supported yet');
    expect(window.location.hash).toBe('#/add');
  });

  it('links each summary line to its field, and drops the refusal once the fields change', async () => {
    const bridge = bridgeWith().refuse('putServer', 400, 'invalid input', [
      { path: 'config.command', message: 'not found on PATH' },
    ]);
    const { wrapper } = await mountWithEngine(ServerFormScreen, {
      bridge,
      route: { screen: 'add' },
      attachTo: document.body,
    });
    await wrapper.get('[data-testid="field-name"]').setValue('x');
    await wrapper.get('[data-testid="field-command"]').setValue('nope');
    await wrapper.get('form').trigger('submit');
    await flushPromises();
    const summary = wrapper.get('[data-testid="form-summary"]');
    const line = summary.findAll('button').find((b) => b.text() === 'Command: not found on PATH')!;
    await line.trigger('click');
    expect(document.activeElement?.id).toBe('sf-command');
    // Every problem in the summary is at its field too.
    expect(wrapper.get('[data-testid="error-command"]').text()).toBe('not found on PATH');

    await wrapper.get('[data-testid="field-command"]').setValue('node');
    expect(wrapper.find('[data-testid="form-summary"]').exists()).toBe(false);
    expect(wrapper.find('[data-testid="error-command"]').exists()).toBe(false);
    wrapper.unmount();
  });

  it('shows the debounce as a number in ms, and an unreadable one as a problem at the field', async () => {
    const { wrapper, bridge } = await mountWithEngine(ServerFormScreen, {
      bridge: bridgeWith(),
      route: { screen: 'add' },
    });
    await wrapper.get('[data-testid="field-name"]').setValue('w');
    await wrapper.get('[data-testid="field-command"]').setValue('node');
    const debounce = wrapper.get<HTMLInputElement>('[data-testid="field-debounceMs"]');
    expect(debounce.attributes('type')).toBe('number');
    expect(wrapper.get('label[for="sf-debounceMs"]').text()).toBe('Debounce');
    expect(debounce.element.parentElement?.textContent).toContain('ms');

    Object.defineProperty(debounce.element, 'validity', { configurable: true, value: { badInput: true } });
    debounce.element.value = '';
    await debounce.trigger('input');
    await debounce.trigger('blur');
    expect(wrapper.get('[data-testid="error-debounceMs"]').text()).toBe('must be a whole number of ms');
    await wrapper.get('form').trigger('submit');
    await flushPromises();
    expect(bridge.callsOf('putServer')).toEqual([]);

    Object.defineProperty(debounce.element, 'validity', { configurable: true, value: { badInput: false } });
    await debounce.setValue('250');
    await wrapper.get('form').trigger('submit');
    await flushPromises();
    expect(bridge.callsOf('putServer')[0]).toMatchObject({ config: { debounceMs: 250 } });
  });

  it('marks the env row whose name is missing or repeated, with the problem under the rows', async () => {
    const { wrapper } = await mountWithEngine(ServerFormScreen, {
      bridge: bridgeWith(),
      route: { screen: 'add' },
    });
    await wrapper.get('[data-testid="field-command"]').setValue('node');
    await wrapper.get('[data-testid="env-add"]').trigger('click');
    await wrapper.get('[data-testid="env-add"]').trigger('click');
    await wrapper.get('[data-testid="env-key-0"]').setValue('A');
    await wrapper.get('[data-testid="env-value-1"]').setValue('orphan');
    await wrapper.get('[data-testid="env-value-1"]').trigger('blur');
    expect(wrapper.get('[data-testid="error-env"]').text()).toBe('the value "orphan" needs a name');
    expect(wrapper.get('[data-testid="env-rows"]').attributes('aria-describedby')).toContain('env-errors');
    expect(wrapper.get('[data-testid="env-key-1"]').attributes('aria-invalid')).toBe('true');
    expect(wrapper.get('[data-testid="env-key-0"]').attributes('aria-invalid')).toBeUndefined();
    await wrapper.get('[data-testid="env-key-1"]').setValue('A');
    expect(wrapper.get('[data-testid="error-env"]').text()).toBe('"A" is set twice');
    expect(wrapper.get('[data-testid="env-key-0"]').attributes('aria-invalid')).toBe('true');
  });

  it('turns an env value into a secret reference', async () => {
    const { wrapper, bridge } = await mountWithEngine(ServerFormScreen, {
      bridge: bridgeWith(),
      route: { screen: 'add' },
    });
    expect(wrapper.text()).toContain('Secret values live in the OS keyring; the config only names them.');
    await wrapper.get('[data-testid="field-name"]').setValue('gh');
    await wrapper.get('[data-testid="field-command"]').setValue('gh-mcp');
    await wrapper.get('[data-testid="env-add"]').trigger('click');
    await wrapper.get('[data-testid="env-key-0"]').setValue('GITHUB_TOKEN');
    await wrapper.get('[data-testid="env-secret-0"]').trigger('click');
    const name = wrapper.get<HTMLInputElement>('[data-testid="env-secret-name"]');
    expect(name.element.value).toBe('GITHUB_TOKEN'); // the variable's name is the first guess
    await name.setValue('');
    await wrapper.get('[data-testid="env-secret-use"]').trigger('click');
    expect(wrapper.text()).toContain('name the secret');
    await name.setValue('github-token');
    await wrapper.get('[data-testid="env-secret-use"]').trigger('click');
    expect(wrapper.get<HTMLInputElement>('[data-testid="env-value-0"]').element.value).toBe(
      '${secret:github-token}',
    );
    await wrapper.get('form').trigger('submit');
    await flushPromises();
    expect(bridge.callsOf('putServer')[0]).toMatchObject({
      config: { env: { GITHUB_TOKEN: '${secret:github-token}' } },
    });
  });
});

describe('ServerFormScreen: editing', () => {
  const entry = {
    command: 'node',
    args: ['server.js'],
    restart: { maxDelayMs: 9000 },
    cwd: '/srv/notes',
    futureKey: true,
  };
  const editBridge = () =>
    bridgeWith(['notes'])
      .answer('getConfig', () => ({
        file: '/home/me/.switchboard/config.json',
        config: { mcpServers: { notes: entry } },
      }))
      .answer('removeServer', (input) => ({ server: input.server, removed: true as const }));

  it('starts from the entry in the file and keeps the keys the form does not know', async () => {
    const { wrapper, bridge } = await mountWithEngine(ServerFormScreen, {
      bridge: editBridge(),
      route: { screen: 'edit', server: 'notes' },
      props: { server: 'notes' },
    });
    expect(wrapper.find('[data-testid="field-name"]').exists()).toBe(false);
    expect(wrapper.get<HTMLInputElement>('[data-testid="field-command"]').element.value).toBe('node');
    await wrapper.get('[data-testid="field-args"]').setValue('server.js\n--verbose');
    await wrapper.get('form').trigger('submit');
    await flushPromises();
    expect(bridge.callsOf('putServer')).toEqual([
      {
        server: 'notes',
        config: {
          command: 'node',
          args: ['server.js', '--verbose'],
          restart: { maxDelayMs: 9000 },
          cwd: '/srv/notes',
          futureKey: true,
        },
        createOnly: false,
      },
    ]);
    expect(window.location.hash).toBe('#/servers/notes/logs');
  });

  it('says so when the server is not in the config file', async () => {
    const { wrapper } = await mountWithEngine(ServerFormScreen, {
      bridge: editBridge(),
      route: { screen: 'edit', server: 'gone' },
      props: { server: 'gone' },
    });
    expect(wrapper.get('[data-testid="form-load-error"]').text()).toContain('no server named "gone"');
  });

  it('asks before removing, then removes and goes back to the list', async () => {
    const { wrapper, bridge } = await mountWithEngine(ServerFormScreen, {
      bridge: editBridge(),
      route: { screen: 'edit', server: 'notes' },
      props: { server: 'notes' },
    });
    await wrapper.get('[data-testid="server-remove"]').trigger('click');
    expect(bridge.callsOf('removeServer')).toEqual([]);
    expect(wrapper.text()).toContain('Remove notes?');
    await wrapper.get('[data-testid="server-remove-cancel"]').trigger('click');
    expect(wrapper.find('[data-testid="server-remove-confirm"]').exists()).toBe(false);

    await wrapper.get('[data-testid="server-remove"]').trigger('click');
    await wrapper.get('[data-testid="server-remove-confirm"]').trigger('click');
    await flushPromises();
    expect(bridge.callsOf('removeServer')).toEqual([{ server: 'notes' }]);
    expect(window.location.hash).toBe('#/servers');
  });

  it('shows why a removal failed', async () => {
    const bridge = editBridge().refuse('removeServer', 500, 'could not write the config file: EACCES');
    const { wrapper } = await mountWithEngine(ServerFormScreen, {
      bridge,
      route: { screen: 'edit', server: 'notes' },
      props: { server: 'notes' },
    });
    await wrapper.get('[data-testid="server-remove"]').trigger('click');
    await wrapper.get('[data-testid="server-remove-confirm"]').trigger('click');
    await flushPromises();
    expect(wrapper.get('[data-testid="server-remove-error"]').text()).toContain('EACCES');
    expect(window.location.hash).toBe('#/servers/notes/edit');
  });
});
