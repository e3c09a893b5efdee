import { enableAutoUnmount, flushPromises, type DOMWrapper, type VueWrapper } from '@vue/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ServerSnapshotDto } from '../../../electron/shared/api.js';
import { SECRET_NAME_RULE } from '../../../electron/shared/config.js';
import App from '../App.vue';
import { FakeBridge } from '../testing/fake-bridge.js';
import { FakeSecrets } from '../testing/fake-secrets.js';
import { mountWithEngine } from '../testing/mount-app.js';
import { secretLeaks } from '../testing/secret-leaks.js';
import { serverSnapshot } from '../testing/server-snapshot.js';
import SecretsScreen from './SecretsScreen.vue';

// A failed test must not leave its page behind for the next one's leak hunt.
enableAutoUnmount(afterEach);

const TOKEN = 'ghp_abcdefghijklmnop0123456789WXYZ';

async function mountScreen(
  options: { secrets?: FakeSecrets; servers?: ServerSnapshotDto[]; bridge?: FakeBridge } = {},
) {
  const secrets =
    options.secrets ??
    new FakeSecrets({
      github: [{ name: 'GITHUB_TOKEN', label: 'GitHub token' }],
      search: [{ name: 'GITHUB_TOKEN' }, { name: 'SEARCH_KEY' }],
    });
  const bridge = secrets.install(options.bridge ?? new FakeBridge());
  bridge.answer('listServers', () => ({ servers: options.servers ?? [] }));
  const mounted = await mountWithEngine(SecretsScreen, {
    bridge,
    route: { screen: 'secrets' },
    attachTo: document.body,
  });
  return { ...mounted, secrets };
}

const rowOf = (wrapper: VueWrapper, name: string) => wrapper.get(`[data-testid="secret-${name}"]`);
const valueField = (el: Pick<DOMWrapper<Element>, 'get'>) =>
  el.get<HTMLInputElement>('[data-testid="secret-value"]');

describe('SecretsScreen', () => {
  it('lists every secret with set or not set, its hint, and the servers that use it', async () => {
    const secrets = new FakeSecrets({
      github: [{ name: 'GITHUB_TOKEN' }],
      search: [{ name: 'GITHUB_TOKEN' }, { name: 'SEARCH_KEY' }],
    });
    secrets.values.set('GITHUB_TOKEN', TOKEN);
    secrets.values.set('PIN', '1234');
    const { wrapper } = await mountScreen({
      secrets,
      servers: [serverSnapshot('github'), serverSnapshot('search', { state: 'needs-secret' })],
    });
    expect(wrapper.get('[data-testid="store-status"]').text()).toBe('Kept in the OS keyring.');
    expect(wrapper.findAll('tbody th').map((th) => th.text())).toEqual(['GITHUB_TOKEN', 'PIN', 'SEARCH_KEY']);

    const github = rowOf(wrapper, 'GITHUB_TOKEN');
    expect(github.get('[data-testid="secret-status"]').text()).toContain('set');
    expect(github.get('[data-testid="secret-hint"]').text()).toContain('…WXYZ');
    const links = github.findAll('[data-testid="secret-used-by"] a');
    expect(links.map((a) => [a.text(), a.attributes('href')])).toEqual([
      ['github', '#/servers/github/logs'],
      ['search', '#/servers/search/logs'],
    ]);
    expect(github.get('[data-testid="secret-used-by"]').text()).toBe('github, search (waits for it)');
    expect(github.get('[data-testid="secret-set"]').text()).toBe('Change…');

    const pin = rowOf(wrapper, 'PIN');
    expect(pin.find('[data-testid="secret-hint"]').exists()).toBe(false);
    expect(pin.get('[data-testid="secret-used-by"]').text()).toBe('no server');

    const search = rowOf(wrapper, 'SEARCH_KEY');
    expect(search.get('[data-testid="secret-status"]').text()).toBe('not set');
    expect(search.get('[data-testid="secret-set"]').text()).toBe('Set…');
    expect(search.find('[data-testid="secret-remove"]').exists()).toBe(false);
    expect(secretLeaks(document.body, TOKEN)).toEqual([]);
  });

  it('sets a secret through a password field that is never filled in and forgets the value', async () => {
    const { wrapper, bridge, secrets } = await mountScreen();
    await rowOf(wrapper, 'SEARCH_KEY').get('[data-testid="secret-set"]').trigger('click');
    const field = valueField(rowOf(wrapper, 'SEARCH_KEY'));
    expect(field.attributes('type')).toBe('password');
    expect(field.attributes('autocomplete')).toBe('off');
    expect(field.element.value).toBe('');
    expect(document.activeElement).toBe(field.element);
    const label = wrapper.get(`label[for="${field.attributes('id')}"]`);
    expect(label.text()).toBe('Value of SEARCH_KEY');

    await field.setValue(TOKEN);
    await rowOf(wrapper, 'SEARCH_KEY').get('form').trigger('submit');
    await flushPromises();
    expect(bridge.callsOf('setSecret')).toEqual([{ name: 'SEARCH_KEY', value: TOKEN }]);
    expect(secrets.values.get('SEARCH_KEY')).toBe(TOKEN);
    expect(wrapper.find('[data-testid="secret-value"]').exists()).toBe(false);
    expect(rowOf(wrapper, 'SEARCH_KEY').get('[data-testid="secret-hint"]').text()).toContain('…WXYZ');
    expect(wrapper.get('[role="status"]').text()).toBe('Saved SEARCH_KEY.');
    expect(bridge.callsOf('listSecrets')).toHaveLength(2);
    expect(secretLeaks(document.body, TOKEN)).toEqual([]);
  });

  it('empties the field as soon as the value is sent, and Change… starts from an empty field', async () => {
    const { wrapper, bridge, secrets } = await mountScreen();
    secrets.values.set('GITHUB_TOKEN', TOKEN);
    bridge.push('events', { type: 'secrets.changed', names: ['GITHUB_TOKEN'], at: 1 });
    await flushPromises();
    await rowOf(wrapper, 'GITHUB_TOKEN').get('[data-testid="secret-set"]').trigger('click');
    const field = valueField(rowOf(wrapper, 'GITHUB_TOKEN'));
    expect(field.element.value).toBe('');
    expect(wrapper.get(`label[for="${field.attributes('id')}"]`).text()).toBe('New value of GITHUB_TOKEN');

    let answer: (() => void) | undefined;
    bridge.answer('setSecret', ({ name }) => {
      return new Promise((resolve) => {
        answer = () => resolve({ name, set: true, hint: '…9999', usedBy: [] });
      });
    });
    const next = 'another-long-token-value-9999';
    await field.setValue(next);
    await rowOf(wrapper, 'GITHUB_TOKEN').get('form').trigger('submit');
    await flushPromises();
    // The engine has not answered yet, and the field is empty already.
    expect(valueField(rowOf(wrapper, 'GITHUB_TOKEN')).element.value).toBe('');
    expect(rowOf(wrapper, 'GITHUB_TOKEN').get('[data-testid="secret-save"]').text()).toBe('Saving…');
    expect(secretLeaks(document.body, next)).toEqual([]);
    answer?.();
    await flushPromises();
    expect(wrapper.find('[data-testid="secret-value"]').exists()).toBe(false);
  });

  it("shows the engine's refusal by the field, without the value", async () => {
    const { wrapper, bridge } = await mountScreen();
    bridge.refuse(
      'setSecret',
      503,
      'the OS keyring is locked: unlock it (log in to the desktop) and try again',
    );
    await rowOf(wrapper, 'SEARCH_KEY').get('[data-testid="secret-set"]').trigger('click');
    await valueField(rowOf(wrapper, 'SEARCH_KEY')).setValue(TOKEN);
    await rowOf(wrapper, 'SEARCH_KEY').get('form').trigger('submit');
    await flushPromises();
    const alert = rowOf(wrapper, 'SEARCH_KEY').get('[data-testid="secret-error"]');
    expect(alert.attributes('role')).toBe('alert');
    expect(alert.text()).toBe(
      'Could not save SEARCH_KEY: the OS keyring is locked: unlock it (log in to the desktop) and try again',
    );
    expect(valueField(rowOf(wrapper, 'SEARCH_KEY')).attributes('aria-invalid')).toBe('true');
    expect(valueField(rowOf(wrapper, 'SEARCH_KEY')).element.value).toBe('');
    expect(secretLeaks(document.body, TOKEN)).toEqual([]);
    // An empty field is not sent.
    await rowOf(wrapper, 'SEARCH_KEY').get('form').trigger('submit');
    expect(bridge.callsOf('setSecret')).toHaveLength(1);
    expect(alert.text()).toBe('Type the value of SEARCH_KEY first.');
  });

  it('removes a secret only after asking, and shows a refusal', async () => {
    const secrets = new FakeSecrets({ github: [{ name: 'GITHUB_TOKEN' }] });
    secrets.values.set('GITHUB_TOKEN', TOKEN);
    secrets.values.set('OLD_KEY', 'old-value');
    const { wrapper, bridge } = await mountScreen({ secrets });
    await rowOf(wrapper, 'GITHUB_TOKEN').get('[data-testid="secret-remove"]').trigger('click');
    const question = rowOf(wrapper, 'GITHUB_TOKEN').get('[role="group"]');
    expect(question.text()).toContain(
      'Remove GITHUB_TOKEN from the keyring? github keeps running until it restarts, then waits for it.',
    );
    expect(document.activeElement?.getAttribute('data-testid')).toBe('secret-remove-cancel');
    await question.get('[data-testid="secret-remove-cancel"]').trigger('click');
    expect(bridge.callsOf('deleteSecret')).toEqual([]);

    await rowOf(wrapper, 'GITHUB_TOKEN').get('[data-testid="secret-remove"]').trigger('click');
    await rowOf(wrapper, 'GITHUB_TOKEN').get('[data-testid="secret-remove-confirm"]').trigger('click');
    await flushPromises();
    expect(bridge.callsOf('deleteSecret')).toEqual([{ name: 'GITHUB_TOKEN' }]);
    expect(rowOf(wrapper, 'GITHUB_TOKEN').get('[data-testid="secret-status"]').text()).toBe('not set');
    expect(wrapper.get('[role="status"]').text()).toBe('Removed GITHUB_TOKEN.');

    bridge.refuse('deleteSecret', 503, 'the OS keyring cannot be used: start gnome-keyring-daemon');
    await rowOf(wrapper, 'OLD_KEY').get('[data-testid="secret-remove"]').trigger('click');
    await rowOf(wrapper, 'OLD_KEY').get('[data-testid="secret-remove-confirm"]').trigger('click');
    await flushPromises();
    expect(rowOf(wrapper, 'OLD_KEY').get('[data-testid="secret-row-error"]').text()).toBe(
      'Could not remove OLD_KEY: the OS keyring cannot be used: start gnome-keyring-daemon',
    );
  });

  it('adds a secret, checking the name as the engine will', async () => {
    const secrets = new FakeSecrets();
    secrets.values.set('EXISTING', 'x');
    const { wrapper, bridge } = await mountScreen({ secrets });
    await wrapper.get('[data-testid="secret-add"]').trigger('click');
    const form = wrapper.get('[data-testid="secret-add-form"]');
    const name = form.get<HTMLInputElement>('[data-testid="secret-add-name"]');
    expect(document.activeElement).toBe(name.element);
    expect(form.get('[data-testid="secret-save"]').attributes('disabled')).toBeDefined();

    await name.setValue('has space');
    const rule = form.get('[data-testid="secret-name-rule"]');
    expect(rule.text()).toBe(`Not a valid name: ${SECRET_NAME_RULE}.`);
    expect(rule.attributes('role')).toBe('alert');
    expect(name.attributes('aria-invalid')).toBe('true');
    await valueField(form).setValue(TOKEN);
    await form.get('form').trigger('submit');
    expect(bridge.callsOf('setSecret')).toEqual([]);

    await name.setValue('EXISTING');
    expect(form.get('[data-testid="secret-add-replaces"]').text()).toBe(
      'EXISTING is set already; saving replaces its value.',
    );
    await name.setValue(' NEW_TOKEN ');
    expect(rule.text()).toBe('A server uses it as ${secret:NAME} in its config.');
    await valueField(form).setValue(TOKEN);
    await form.get('form').trigger('submit');
    await flushPromises();
    expect(bridge.callsOf('setSecret')).toEqual([{ name: 'NEW_TOKEN', value: TOKEN }]);
    expect(wrapper.find('[data-testid="secret-add-form"]').exists()).toBe(false);
    expect(rowOf(wrapper, 'NEW_TOKEN').get('[data-testid="secret-hint"]').text()).toContain('…WXYZ');
    expect(secretLeaks(document.body, TOKEN)).toEqual([]);
  });

  it('shows prominently why the store cannot be used, locks the actions, and checks again', async () => {
    const secrets = new FakeSecrets({ github: [{ name: 'GITHUB_TOKEN' }] });
    secrets.store = {
      kind: 'keyring',
      available: false,
      problem: 'No Secret Service on the session bus: start gnome-keyring-daemon --unlock, then try again.',
    };
    const { wrapper, bridge } = await mountScreen({ secrets });
    const problem = wrapper.get('[data-testid="store-problem"]');
    expect(problem.attributes('role')).toBe('alert');
    expect(problem.text()).toContain('Secrets cannot be read or saved right now');
    expect(problem.text()).toContain(
      'No Secret Service on the session bus: start gnome-keyring-daemon --unlock',
    );
    expect(
      rowOf(wrapper, 'GITHUB_TOKEN').get('[data-testid="secret-set"]').attributes('disabled'),
    ).toBeDefined();
    expect(wrapper.get('[data-testid="secret-add"]').attributes('disabled')).toBeDefined();

    secrets.store = { kind: 'keyring', available: true };
    await problem.get('[data-testid="store-retry"]').trigger('click');
    await flushPromises();
    expect(bridge.callsOf('listSecrets')).toHaveLength(2);
    expect(wrapper.find('[data-testid="store-problem"]').exists()).toBe(false);
    expect(
      rowOf(wrapper, 'GITHUB_TOKEN').get('[data-testid="secret-set"]').attributes('disabled'),
    ).toBeUndefined();
  });

  it('says so when the secrets cannot be read at all, and when there are none', async () => {
    const failing = new FakeBridge().refuse('listSecrets', 500, 'engine exploded');
    failing.answer('listServers', () => ({ servers: [] }));
    const broken = await mountWithEngine(SecretsScreen, { bridge: failing, route: { screen: 'secrets' } });
    expect(broken.wrapper.get('[data-testid="secrets-error"]').text()).toBe(
      'Could not read the secrets: engine exploded',
    );

    const { wrapper } = await mountScreen({ secrets: new FakeSecrets() });
    expect(wrapper.get('[data-testid="secrets-empty"]').text()).toContain('No secrets yet');
  });

  it('reads again when secrets change or a new config is in force', async () => {
    const { wrapper, bridge, secrets } = await mountScreen();
    secrets.values.set('SEARCH_KEY', TOKEN);
    bridge.push('events', { type: 'secrets.changed', names: ['SEARCH_KEY'], at: 1 });
    await flushPromises();
    expect(rowOf(wrapper, 'SEARCH_KEY').get('[data-testid="secret-status"]').text()).toContain('set');
    secrets.servers.files = [{ name: 'DRIVE_KEY' }];
    bridge.push('events', {
      type: 'config.applied',
      file: 'c',
      added: ['files'],
      removed: [],
      changed: [],
      at: 2,
    });
    await flushPromises();
    expect(rowOf(wrapper, 'DRIVE_KEY').get('[data-testid="secret-used-by"]').text()).toBe('files');
    expect(bridge.callsOf('listSecrets')).toHaveLength(3);
  });
});

describe('Secrets in the main nav', () => {
  it('opens the screen and counts the servers that wait for a secret', async () => {
    const bridge = new FakeSecrets({ search: [{ name: 'SEARCH_KEY' }] }).install(new FakeBridge());
    bridge.answer('listServers', () => ({
      servers: [
        serverSnapshot('search', { state: 'needs-secret', reason: 'secret SEARCH_KEY is not set' }),
        serverSnapshot('off', { state: 'needs-secret', enabled: false }),
        serverSnapshot('fine'),
      ],
    }));
    const { wrapper } = await mountWithEngine(App, { bridge, route: { screen: 'secrets' } });
    const link = wrapper.get('nav a[href="#/secrets"]');
    expect(link.attributes('aria-current')).toBe('page');
    expect(link.get('[data-testid="need-secret-count"]').text()).toBe('1');
    expect(link.get('.visually-hidden').text()).toBe('(1 server needs a secret)');
    await vi.waitFor(() => expect(wrapper.find('[data-testid="secret-SEARCH_KEY"]').exists()).toBe(true));

    bridge.push('events', {
      type: 'server.state',
      server: 'search',
      from: 'needs-secret',
      to: 'starting',
      reason: 'secret set',
      at: 5,
    });
    await flushPromises();
    expect(link.text()).toBe('Secrets');
  });
});
