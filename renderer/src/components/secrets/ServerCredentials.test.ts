import { enableAutoUnmount, flushPromises } from '@vue/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import type { ServerSnapshotDto } from '../../../../electron/shared/api.js';
import ServerDetailScreen from '../../screens/ServerDetailScreen.vue';
import { FakeBridge } from '../../testing/fake-bridge.js';
import { FakeSecrets, type FakeCredential } from '../../testing/fake-secrets.js';
import { mountWithEngine } from '../../testing/mount-app.js';
import { secretLeaks } from '../../testing/secret-leaks.js';
import { serverSnapshot } from '../../testing/server-snapshot.js';

// A failed test must not leave its page behind for the next one's leak hunt.
enableAutoUnmount(afterEach);

const TOKEN = 'ghp_abcdefghijklmnop0123456789WXYZ';
const REASON =
  'secret GITHUB_TOKEN is not set: set it in the window (Secrets) or with `switchboard secret set`';

const FIELDS: FakeCredential[] = [
  { name: 'GITHUB_TOKEN', label: 'GitHub token', description: 'A fine-grained token with repo read access.' },
  { name: 'GITHUB_ORG', label: 'Organization', required: false },
];

/** The detail screen of `github`, in `state`, over a fake keyring. */
async function mountDetail(
  snapshot: Partial<ServerSnapshotDto>,
  secrets = new FakeSecrets({ github: FIELDS }),
) {
  const bridge = secrets
    .install(new FakeBridge())
    .answer('listServers', () => ({ servers: [serverSnapshot('github', snapshot)] }))
    .answer('getRestartHistory', ({ server }) => ({ server, restarts: [] }));
  const mounted = await mountWithEngine(ServerDetailScreen, {
    bridge,
    route: { screen: 'server', server: 'github', tab: 'restarts' },
    props: { server: 'github', tab: 'restarts' },
    attachTo: document.body,
  });
  return { ...mounted, secrets };
}

const field = (name: string) => `[data-testid="credential-${name}"]`;

describe('the credentials of a server', () => {
  it('lists each credential: label, name, required or optional, description, set with its hint or not', async () => {
    const secrets = new FakeSecrets({ github: FIELDS });
    secrets.values.set('GITHUB_TOKEN', TOKEN);
    const { wrapper } = await mountDetail({ state: 'ready' }, secrets);
    const section = wrapper.get('[data-testid="server-credentials"]');
    expect(section.get('h2').text()).toBe('Credentials');
    // After the header: a ready server's credentials are not the first thing to read.
    expect(section.element.previousElementSibling?.getAttribute('data-testid')).toBe('server-header');

    const token = section.get(field('GITHUB_TOKEN'));
    expect(token.get('.label').text()).toBe('GitHub token');
    expect(token.get('code').text()).toBe('GITHUB_TOKEN');
    expect(token.get('[data-testid="credential-need"]').text()).toBe('required');
    expect(token.text()).toContain('A fine-grained token with repo read access.');
    expect(token.get('[data-testid="secret-hint"]').text()).toContain('…WXYZ');
    expect(token.get('[data-testid="credential-set"]').text()).toBe('Change…');
    expect(token.get('[data-testid="credential-set"]').attributes('aria-label')).toBe('Change GitHub token');

    const org = section.get(field('GITHUB_ORG'));
    expect(org.get('[data-testid="credential-need"]').text()).toBe('optional');
    expect(org.get('[data-testid="secret-status"]').text()).toBe('not set');
    expect(org.get('[data-testid="credential-set"]').text()).toBe('Set…');
    expect(section.find('[data-testid="secret-value"]').exists()).toBe(false);
    expect(secretLeaks(document.body, TOKEN)).toEqual([]);
  });

  it('sets a credential from its password field and never shows the value', async () => {
    const { wrapper, bridge, secrets } = await mountDetail({ state: 'ready' });
    await wrapper.get(`${field('GITHUB_ORG')} [data-testid="credential-set"]`).trigger('click');
    const input = wrapper.get<HTMLInputElement>(`${field('GITHUB_ORG')} [data-testid="secret-value"]`);
    expect(input.attributes('type')).toBe('password');
    expect(input.attributes('autocomplete')).toBe('off');
    expect(input.element.value).toBe('');
    expect(document.activeElement).toBe(input.element);

    const value = 'my-organisation-name-1234';
    await input.setValue(value);
    await wrapper.get(`${field('GITHUB_ORG')} form`).trigger('submit');
    await flushPromises();
    expect(bridge.callsOf('setSecret')).toEqual([{ name: 'GITHUB_ORG', value }]);
    expect(secrets.values.get('GITHUB_ORG')).toBe(value);
    expect(wrapper.find('[data-testid="secret-value"]').exists()).toBe(false);
    expect(wrapper.get(`${field('GITHUB_ORG')} [data-testid="secret-hint"]`).text()).toContain('…1234');
    expect(wrapper.get('[data-testid="server-credentials"] [role="status"]').text()).toBe(
      'Saved GITHUB_ORG.',
    );
    expect(secretLeaks(document.body, value)).toEqual([]);
  });

  it("shows the engine's refusal, and the credentials it could not read", async () => {
    const { wrapper, bridge } = await mountDetail({ state: 'ready' });
    bridge.refuse('setSecret', 503, 'the OS keyring is locked: unlock it and try again');
    await wrapper.get(`${field('GITHUB_TOKEN')} [data-testid="credential-set"]`).trigger('click');
    await wrapper.get(`${field('GITHUB_TOKEN')} [data-testid="secret-value"]`).setValue(TOKEN);
    await wrapper.get(`${field('GITHUB_TOKEN')} form`).trigger('submit');
    await flushPromises();
    expect(wrapper.get(`${field('GITHUB_TOKEN')} [role="alert"]`).text()).toBe(
      'Could not save GITHUB_TOKEN: the OS keyring is locked: unlock it and try again',
    );
    expect(secretLeaks(document.body, TOKEN)).toEqual([]);

    const secrets = new FakeSecrets({ github: FIELDS });
    const again = await mountDetail({ state: 'ready' }, secrets);
    again.bridge.refuse('getServerCredentials', 503, 'the OS keyring cannot be used: start it');
    again.bridge.push('events', { type: 'secrets.changed', names: ['X'], at: 1 });
    await flushPromises();
    expect(again.wrapper.get('[data-testid="credentials-error"]').text()).toBe(
      'Could not read the credentials: the OS keyring cannot be used: start it',
    );
  });

  it('shows nothing for a server that uses no secret', async () => {
    const { wrapper, bridge } = await mountDetail({ state: 'ready' }, new FakeSecrets({}));
    expect(bridge.callsOf('getServerCredentials')).toEqual([{ server: 'github' }]);
    expect(wrapper.find('[data-testid="server-credentials"]').exists()).toBe(false);
  });

  it('puts a waiting server’s call to action first, with the missing fields open', async () => {
    const { wrapper, bridge, secrets } = await mountDetail({ state: 'needs-secret', reason: REASON });
    const main = wrapper.get('section.detail');
    const action = wrapper.get('[data-testid="server-credentials"]');
    // Right under the way back, above the header.
    expect(action.element.nextElementSibling?.getAttribute('data-testid')).toBe('server-header');
    expect(main.get('[data-testid="state-badge"]').text()).toBe('needs secret');
    expect(action.get('h2').text()).toBe('github waits for a secret');
    expect(action.get('[data-testid="needs-secret-reason"]').text()).toBe(REASON);
    // The required one that is missing is ready to type in; the optional one waits for a click.
    const open = action.findAll('[data-testid="secret-value"]');
    expect(open).toHaveLength(1);
    expect(action.get(`${field('GITHUB_TOKEN')} [data-testid="secret-value"]`).attributes('type')).toBe(
      'password',
    );
    expect(action.get(`${field('GITHUB_ORG')} [data-testid="credential-set"]`).text()).toBe('Set…');

    await action.get(`${field('GITHUB_TOKEN')} [data-testid="secret-value"]`).setValue(TOKEN);
    await action.get(`${field('GITHUB_TOKEN')} form`).trigger('submit');
    await flushPromises();
    expect(secrets.values.get('GITHUB_TOKEN')).toBe(TOKEN);
    expect(secretLeaks(document.body, TOKEN)).toEqual([]);

    // The engine starts the server; the call to action gives way to the plain section.
    bridge.push('events', {
      type: 'server.state',
      server: 'github',
      from: 'needs-secret',
      to: 'starting',
      reason: 'secret set',
      at: 10,
    });
    await flushPromises();
    expect(wrapper.find('[data-testid="needs-secret-reason"]').exists()).toBe(false);
    expect(wrapper.get('[data-testid="server-credentials"] h2').text()).toBe('Credentials');
    expect(wrapper.get(`${field('GITHUB_TOKEN')} [data-testid="secret-hint"]`).text()).toContain('…WXYZ');
    expect(secretLeaks(document.body, TOKEN)).toEqual([]);
  });

  it('turns into the call to action when the server starts waiting', async () => {
    const { wrapper, bridge } = await mountDetail({ state: 'ready' });
    expect(wrapper.find('[data-testid="needs-secret-reason"]').exists()).toBe(false);
    bridge.push('events', {
      type: 'server.state',
      server: 'github',
      from: 'ready',
      to: 'needs-secret',
      reason: REASON,
      at: 10,
    });
    await flushPromises();
    expect(wrapper.get('[data-testid="needs-secret-reason"]').text()).toContain(REASON);
  });
});
