import { enableAutoUnmount, flushPromises } from '@vue/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import type { AuthStatusDto, ServerSnapshotDto } from '../../../../electron/shared/api.js';
import type { ServerState } from '../../../../electron/shared/events.js';
import ServerDetailScreen from '../../screens/ServerDetailScreen.vue';
import { FakeAuth, signInPage } from '../../testing/fake-auth.js';
import { FakeBridge } from '../../testing/fake-bridge.js';
import { mountWithEngine } from '../../testing/mount-app.js';
import { serverSnapshot } from '../../testing/server-snapshot.js';

enableAutoUnmount(afterEach);

const REASON = 'the server asks for a sign-in (401 from https://mcp.linear.example/mcp)';
const HOUR = 3_600_000;

/** The detail screen of the remote server `linear`, over a fake of the engine's sign-ins. */
async function mountDetail(snapshot: Partial<ServerSnapshotDto>, auth = new FakeAuth({ linear: {} })) {
  const bridge = auth
    .install(new FakeBridge())
    .answer('listServers', () => ({
      servers: [serverSnapshot('linear', { transport: 'http', ...snapshot })],
    }))
    .answer('getRestartHistory', ({ server }) => ({ server, restarts: [] }))
    .answer('getServerCredentials', ({ server }) => ({ server, credentials: [] }));
  const mounted = await mountWithEngine(ServerDetailScreen, {
    bridge,
    route: { screen: 'server', server: 'linear', tab: 'restarts' },
    props: { server: 'linear', tab: 'restarts' },
    attachTo: document.body,
  });
  return { ...mounted, auth };
}

const account = (wrapper: Awaited<ReturnType<typeof mountDetail>>['wrapper']) =>
  wrapper.get('[data-testid="server-account"]');
const stateEvent = (from: ServerState, to: ServerState, reason: string, at = 10) =>
  ({ type: 'server.state', server: 'linear', from, to, reason, at }) as const;

describe('the account of a remote server', () => {
  it('shows a signed-in account: issuer, scopes, when the token expires, and Sign out', async () => {
    const auth = new FakeAuth({
      linear: {
        signedIn: true,
        issuer: 'https://auth.linear.example',
        scopes: ['read', 'issues:write'],
        expiresAt: Date.now() + 2 * HOUR + 30_000,
      },
    });
    const { wrapper, bridge } = await mountDetail({ state: 'ready' }, auth);
    expect(bridge.callsOf('getServerAuth')).toEqual([{ server: 'linear' }]);
    const section = account(wrapper);
    // After the header: a ready server's account is not the first thing to read.
    expect(section.element.previousElementSibling?.getAttribute('data-testid')).toBe('server-header');
    expect(section.get('h2').text()).toBe('Account');
    expect(section.get('[data-testid="auth-status"]').text()).toBe('Signed in');
    expect(section.get('[data-testid="auth-issuer"]').text()).toBe('https://auth.linear.example');
    expect(section.findAll('[data-testid="auth-scopes"] code').map((c) => c.text())).toEqual([
      'read',
      'issues:write',
    ]);
    expect(section.get('[data-testid="auth-expires"]').text()).toBe('expires in 2h 0m');
    expect(section.get('[data-testid="auth-expires"]').attributes('title')).toBeTruthy();
    expect(section.get('[data-testid="auth-sign-out"]').attributes('aria-label')).toBe('Sign out of linear');
    expect(section.find('[data-testid="auth-sign-in"]').exists()).toBe(false);
    expect(section.find('[data-testid="auth-pending-scope"]').exists()).toBe(false);
    expect(section.find('[data-testid="auth-problem"]').exists()).toBe(false);
  });

  // Statuses made when the test runs: an expiry is relative to the clock.
  it.each<[string, () => Partial<AuthStatusDto>, Record<string, string | undefined>]>([
    [
      'not signed in',
      () => ({}),
      { status: 'Not signed in', signIn: 'Sign in', signOut: undefined, scopes: undefined },
    ],
    [
      'asked for more access',
      () => ({ signedIn: true, scopes: ['read'], pendingScope: 'issues:write' }),
      { status: 'Signed in', signIn: 'Sign in again', signOut: 'Sign out', scopes: 'read' },
    ],
    [
      'signed in with a token past its time',
      () => ({ signedIn: true, scopes: [], expiresAt: Date.now() - 3 * 60_000 - 500 }),
      { status: 'Signed in', signIn: undefined, signOut: 'Sign out', scopes: 'no scopes listed' },
    ],
  ])('shows an account %s', async (_, make, expected) => {
    const status = make();
    const { wrapper } = await mountDetail({ state: 'ready' }, new FakeAuth({ linear: status }));
    const section = account(wrapper);
    const text = (id: string) => section.find(`[data-testid="${id}"]`);
    expect(text('auth-status').text()).toBe(expected.status);
    expect(text('auth-sign-in').exists() ? text('auth-sign-in').text() : undefined).toBe(expected.signIn);
    expect(text('auth-sign-out').exists() ? text('auth-sign-out').text() : undefined).toBe(expected.signOut);
    expect(text('auth-scopes').exists() ? text('auth-scopes').text() : undefined).toBe(expected.scopes);
    if (status.pendingScope) {
      expect(text('auth-pending-scope').text()).toBe(
        'The server asks for more access: issues:write — Sign in again to grant it.',
      );
    }
    if (status.expiresAt) expect(text('auth-expires').text()).toBe('expired 3m 0s ago');
  });

  it("shows what went wrong with the last sign-in, in the engine's words", async () => {
    const problem = 'the sign-in was refused: invalid_grant (sign in again)';
    const { wrapper } = await mountDetail({ state: 'ready' }, new FakeAuth({ linear: { problem } }));
    expect(account(wrapper).get('[data-testid="auth-problem"]').text()).toBe(problem);
  });

  it('signs in through the engine and shows the page to open if no browser did, until it is done', async () => {
    const { wrapper, bridge, auth } = await mountDetail({ state: 'ready' });
    expect(account(wrapper).find('[data-testid="auth-waiting"]').exists()).toBe(false);
    await account(wrapper).get('[data-testid="auth-sign-in"]').trigger('click');
    await flushPromises();
    expect(bridge.callsOf('signIn')).toEqual([{ server: 'linear' }]);
    const section = account(wrapper);
    expect(section.get('[data-testid="auth-status"]').text()).toBe('Waiting for your browser…');
    expect(section.get('[data-testid="auth-status"]').attributes('role')).toBe('status');
    const link = section.get('[data-testid="auth-waiting"] a');
    expect(link.attributes('href')).toBe(signInPage('linear'));
    expect(link.attributes('target')).toBe('_blank');
    expect(link.attributes('rel')?.split(' ')).toContain('noopener');
    // A sign-in that went astray can be started over.
    expect(section.get('[data-testid="auth-sign-in"]').text()).toBe('Sign in again');

    // The browser comes back; the engine says so.
    auth.finish('linear', ['read', 'write']);
    bridge.push('events', {
      type: 'auth.changed',
      server: 'linear',
      signedIn: true,
      detail: 'signed in',
      at: 20,
    });
    await flushPromises();
    expect(bridge.callsOf('getServerAuth')).toHaveLength(2);
    expect(section.get('[data-testid="auth-status"]').text()).toBe('Signed in');
    expect(section.find('[data-testid="auth-waiting"]').exists()).toBe(false);
    expect(section.get('[data-testid="auth-scopes"]').text()).toContain('write');
  });

  it("reads the sign-in again on this server's events only", async () => {
    const { wrapper, bridge, auth } = await mountDetail({ state: 'ready' });
    bridge.push('events', {
      type: 'auth.changed',
      server: 'other',
      signedIn: true,
      detail: 'signed in',
      at: 2,
    });
    bridge.push('events', { ...stateEvent('ready', 'stopped', 'stopped'), server: 'other' });
    await flushPromises();
    expect(bridge.callsOf('getServerAuth')).toHaveLength(1);
    auth.statuses.set('linear', { ...auth.status('linear'), problem: 'the token was revoked' });
    bridge.push('events', stateEvent('ready', 'starting', 'restart requested'));
    await flushPromises();
    expect(bridge.callsOf('getServerAuth')).toHaveLength(2);
    expect(account(wrapper).get('[data-testid="auth-problem"]').text()).toBe('the token was revoked');
  });

  it('signs out only once asked and confirmed, the safe choice focused', async () => {
    const auth = new FakeAuth({ linear: { signedIn: true, issuer: 'https://auth.linear.example' } });
    const { wrapper, bridge } = await mountDetail({ state: 'ready' }, auth);
    await account(wrapper).get('[data-testid="auth-sign-out"]').trigger('click');
    await flushPromises();
    const question = account(wrapper).get('.confirm');
    expect(question.text()).toContain('Sign out of linear?');
    expect(document.activeElement).toBe(question.get('[data-testid="auth-sign-out-cancel"]').element);
    await question.get('[data-testid="auth-sign-out-cancel"]').trigger('click');
    expect(account(wrapper).find('.confirm').exists()).toBe(false);
    expect(bridge.callsOf('signOut')).toEqual([]);

    await account(wrapper).get('[data-testid="auth-sign-out"]').trigger('click');
    await account(wrapper).get('[data-testid="auth-sign-out-confirm"]').trigger('click');
    await flushPromises();
    expect(bridge.callsOf('signOut')).toEqual([{ server: 'linear' }]);
    expect(account(wrapper).find('.confirm').exists()).toBe(false);
    expect(account(wrapper).get('[data-testid="auth-status"]').text()).toBe('Not signed in');
    expect(account(wrapper).find('[data-testid="auth-issuer"]').exists()).toBe(false);
    expect(account(wrapper).get('[data-testid="auth-sign-in"]').text()).toBe('Sign in');
  });

  it("shows the engine's refusals, and the sign-in it could not read", async () => {
    const auth = new FakeAuth({ linear: { signedIn: true } });
    const { wrapper, bridge } = await mountDetail({ state: 'ready' }, auth);
    bridge.refuse('signOut', 503, 'the OS keyring is locked: unlock it and try again');
    await account(wrapper).get('[data-testid="auth-sign-out"]').trigger('click');
    await account(wrapper).get('[data-testid="auth-sign-out-confirm"]').trigger('click');
    await flushPromises();
    expect(account(wrapper).get('[data-testid="auth-error"]').text()).toBe(
      'Could not sign out: the OS keyring is locked: unlock it and try again',
    );
    // The question stays open for another try.
    expect(account(wrapper).find('[data-testid="auth-sign-out-confirm"]').exists()).toBe(true);
    expect(account(wrapper).get('[data-testid="auth-status"]').text()).toBe('Signed in');

    const again = await mountDetail({ state: 'ready' }, new FakeAuth({ linear: {} }));
    again.bridge.refuse('signIn', 502, 'the authorization server did not answer');
    await account(again.wrapper).get('[data-testid="auth-sign-in"]').trigger('click');
    await flushPromises();
    expect(account(again.wrapper).get('[role="alert"]').text()).toBe(
      'Could not start the sign-in: the authorization server did not answer',
    );
    expect(account(again.wrapper).find('[data-testid="auth-waiting"]').exists()).toBe(false);

    again.bridge.refuse('getServerAuth', 404, 'no server named "linear"');
    again.bridge.push('events', {
      type: 'auth.changed',
      server: 'linear',
      signedIn: false,
      detail: 'x',
      at: 3,
    });
    await flushPromises();
    expect(account(again.wrapper).get('[data-testid="auth-load-error"]').text()).toBe(
      'Could not read the sign-in: no server named "linear"',
    );
  });

  it('shows nothing for a remote server without OAuth, and does not ask for a local one', async () => {
    const { wrapper, bridge } = await mountDetail({ state: 'ready' }, new FakeAuth({}));
    expect(bridge.callsOf('getServerAuth')).toEqual([{ server: 'linear' }]);
    expect(wrapper.find('[data-testid="server-account"]').exists()).toBe(false);

    const local = await mountDetail({ state: 'ready', transport: 'stdio' });
    expect(local.bridge.callsOf('getServerAuth')).toEqual([]);
    expect(local.wrapper.find('[data-testid="server-account"]').exists()).toBe(false);
  });

  it("puts a waiting server's call to action first, and gives way once it starts", async () => {
    const { wrapper, bridge, auth } = await mountDetail({ state: 'needs-auth', reason: REASON });
    const action = account(wrapper);
    // Right under the way back, above the header.
    expect(action.element.nextElementSibling?.getAttribute('data-testid')).toBe('server-header');
    expect(wrapper.get('[data-testid="server-header"] [data-testid="state-badge"]').text()).toBe(
      'needs sign-in',
    );
    expect(action.get('h2').text()).toBe('linear waits for you to sign in');
    expect(action.get('[data-testid="needs-auth-reason"]').text()).toBe(REASON);
    await action.get('[data-testid="auth-sign-in"]').trigger('click');
    await flushPromises();
    expect(action.get('[data-testid="auth-sign-in-page"]').attributes('href')).toBe(signInPage('linear'));

    auth.finish('linear');
    bridge.push('events', {
      type: 'auth.changed',
      server: 'linear',
      signedIn: true,
      detail: 'signed in',
      at: 9,
    });
    bridge.push('events', stateEvent('needs-auth', 'starting', 'signed in'));
    await flushPromises();
    expect(wrapper.find('[data-testid="needs-auth-reason"]').exists()).toBe(false);
    expect(account(wrapper).get('h2').text()).toBe('Account');
    expect(account(wrapper).get('[data-testid="auth-status"]').text()).toBe('Signed in');
  });

  it('turns into the call to action when the server starts waiting for a sign-in', async () => {
    const { wrapper, bridge } = await mountDetail({ state: 'ready' });
    expect(wrapper.find('[data-testid="needs-auth-reason"]').exists()).toBe(false);
    bridge.push('events', stateEvent('ready', 'needs-auth', REASON));
    await flushPromises();
    expect(wrapper.get('[data-testid="needs-auth-reason"]').text()).toBe(REASON);
    expect(account(wrapper).get('[data-testid="auth-sign-in"]').text()).toBe('Sign in');
  });
});
