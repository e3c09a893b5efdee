import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeyringSecretStore } from '../../electron/engine/secrets/keyring-store.js';
import { secretListing } from '../../electron/engine/secrets/secret-listing.js';
import {
  keyringUnavailableReason,
  startKeyringSession,
  useInThisProcess,
  type KeyringSession,
} from '../helpers/keyring-session.js';

const unavailable = keyringUnavailableReason();

describe.skipIf(unavailable !== undefined)(
  `the OS keyring store${unavailable ? ` (skipped: ${unavailable})` : ''}`,
  () => {
    let session: KeyringSession;
    let restoreEnv: (() => void) | undefined;

    beforeAll(async () => {
      session = await startKeyringSession();
      restoreEnv = useInThisProcess(session);
    });

    afterAll(async () => {
      restoreEnv?.();
      await session?.stop();
    });

    it('sets, reads, lists with hints, and deletes secrets in the Secret Service', async () => {
      const store = new KeyringSecretStore('switchboard-test');
      expect((await secretListing(store, new Map())).store).toEqual({ kind: 'keyring', available: true });
      expect(await store.get('GITHUB_TOKEN')).toBeUndefined();
      await store.set('GITHUB_TOKEN', 'ghp_abcdefghijklmnopqrstuvwxyz0123456789');
      await store.set('PIN', '1234');
      expect(await store.get('GITHUB_TOKEN')).toBe('ghp_abcdefghijklmnopqrstuvwxyz0123456789');
      expect(await store.list()).toEqual([
        { name: 'GITHUB_TOKEN', hint: '…6789' },
        { name: 'PIN', hint: undefined },
      ]);
      await store.set('PIN', '98765');
      expect(await store.get('PIN')).toBe('98765');
      expect(await store.delete('PIN')).toBe(true);
      expect(await store.delete('PIN')).toBe(false);
      expect((await store.list()).map((s) => s.name)).toEqual(['GITHUB_TOKEN']);
      // Another service name is another namespace.
      expect(await new KeyringSecretStore('switchboard-other').get('GITHUB_TOKEN')).toBeUndefined();
    });
  },
);

describe.skipIf(process.platform !== 'linux')('the OS keyring store without a Secret Service', () => {
  it('says what is wrong and what to do, instead of falling back to a keyring that forgets', async () => {
    const saved = process.env.DBUS_SESSION_BUS_ADDRESS;
    process.env.DBUS_SESSION_BUS_ADDRESS = 'unix:path=/nonexistent/switchboard-test-bus';
    try {
      const store = new KeyringSecretStore('switchboard-test');
      const { store: status } = await secretListing(store, new Map([['X', ['a']]]));
      expect(status.available).toBe(false);
      expect(status.problem).toMatch(
        /Secret Service.*dbus-launch.*gnome-keyring-daemon --unlock --components=secrets --daemonize/s,
      );
      await expect(store.get('X')).rejects.toThrow(/OS keyring cannot be used/);
      await expect(store.set('X', 'value')).rejects.toMatchObject({ name: 'SecretStoreError' });
    } finally {
      if (saved === undefined) delete process.env.DBUS_SESSION_BUS_ADDRESS;
      else process.env.DBUS_SESSION_BUS_ADDRESS = saved;
    }
  });
});
