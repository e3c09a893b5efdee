// OAuth tokens in the real OS keyring (a private Secret Service): kept across sessions (an engine
// restart), invisible to the secrets listing, and gone after Sign out.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../electron/engine/flow/clock.js';
import { OAuthSession } from '../../electron/engine/oauth/oauth-session.js';
import { OAuthVault } from '../../electron/engine/oauth/oauth-vault.js';
import { KeyringSecretStore } from '../../electron/engine/secrets/keyring-store.js';
import { secretListing } from '../../electron/engine/secrets/secret-listing.js';
import { startAuthServer, type AuthServer } from '../fixtures/oauth/auth-server.js';
import { startProtectedMcpServer, type ProtectedMcpServer } from '../fixtures/oauth/protected-mcp-server.js';
import { connectRemote } from '../fixtures/remote/remote-harness.js';
import { followAuthorization } from '../helpers/headless-browser.js';
import {
  keyringUnavailableReason,
  startKeyringSession,
  useInThisProcess,
  type KeyringSession,
} from '../helpers/keyring-session.js';

const unavailable = keyringUnavailableReason();

describe.skipIf(unavailable !== undefined)(
  `OAuth tokens in the OS keyring${unavailable ? ` (skipped: ${unavailable})` : ''}`,
  () => {
    let keyring: KeyringSession;
    let auth: AuthServer;
    let mcp: ProtectedMcpServer;
    let restoreEnv: (() => void) | undefined;

    beforeAll(async () => {
      keyring = await startKeyringSession();
      restoreEnv = useInThisProcess(keyring);
      auth = await startAuthServer();
      mcp = await startProtectedMcpServer({ authServer: auth });
    });

    afterAll(async () => {
      await mcp?.close();
      await auth?.close();
      restoreEnv?.();
      await keyring?.stop();
    });

    const session = () =>
      new OAuthSession({
        server: 'web',
        serverUrl: new URL(mcp.url),
        settings: {},
        vault: new OAuthVault(new KeyringSecretStore('switchboard-oauth-test')),
        clock: systemClock,
        log: () => {},
      });

    it('keeps tokens across sessions, hidden from the secrets list, until Sign out', async () => {
      const first = session();
      await first.signIn(followAuthorization, AbortSignal.timeout(10_000));
      const store = new KeyringSecretStore('switchboard-oauth-test');
      const names = (await store.list()).map((s) => s.name);
      expect(names).toContain(`oauth:token:web@${auth.issuer}`);
      expect((await secretListing(store, new Map())).secrets).toEqual([]);

      // A new engine run: a fresh session and store read the keyring, and nobody signs in again.
      const second = session();
      await second.load();
      expect(second.status()).toMatchObject({ signedIn: true, issuer: auth.issuer });
      const h = connectRemote('http', () => ({ url: mcp.url, headers: {}, auth: second }), {
        upstream: { pingIntervalMs: 0 },
      });
      await h.server.start();
      expect(h.server.state).toBe('ready');
      expect(auth.authorizations).toHaveLength(1);
      await h.server.stop();

      await second.signOut();
      expect((await store.list()).map((s) => s.name).filter((n) => n.startsWith('oauth:token:'))).toEqual([]);
      const third = session();
      await third.load();
      expect(third.status().signedIn).toBe(false);
    });
  },
);
