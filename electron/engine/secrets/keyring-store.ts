import { createRequire } from 'node:module';
import {
  howToSetSecret,
  SecretStoreError,
  secretHint,
  type SecretStore,
  type StoredSecret,
} from './secret-store.js';

/** The slice of `@napi-rs/keyring` used here (loaded lazily: a missing native binary is a clear error). */
interface KeyringModule {
  AsyncEntry: new (
    service: string,
    account: string,
    options?: { linux?: { store?: 'secret-service' | 'keyutils' } },
  ) => {
    getPassword(): Promise<string | null>;
    setPassword(value: string): Promise<void>;
    deleteCredential(): Promise<boolean>;
  };
  findCredentialsAsync(service: string): Promise<{ account: string; password: string }[]>;
}

export const KEYRING_SERVICE = 'switchboard';

/**
 * Secrets in the OS keyring through `@napi-rs/keyring` (macOS Keychain, Windows Credential Manager,
 * the Secret Service on Linux: GNOME Keyring, KWallet). One entry per secret under the service
 * "switchboard" (account = the secret's name). On Linux the Secret Service is required: the kernel
 * keyring, the library's fallback, forgets everything at reboot, which would lose secrets silently.
 */
export class KeyringSecretStore implements SecretStore {
  readonly kind = 'keyring';
  private module: KeyringModule | undefined;

  constructor(private readonly service = KEYRING_SERVICE) {}

  async get(name: string): Promise<string | undefined> {
    const value = await this.call(() => this.entry(name).getPassword());
    return value ?? undefined;
  }

  async set(name: string, value: string): Promise<void> {
    await this.call(() => this.entry(name).setPassword(value));
  }

  async delete(name: string): Promise<boolean> {
    return this.call(() => this.entry(name).deleteCredential());
  }

  async list(): Promise<StoredSecret[]> {
    const found = await this.call(() => this.keyring().findCredentialsAsync(this.service));
    return found
      .map(({ account, password }) => ({ name: account, hint: secretHint(password) }))
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  howToSet(name: string): string {
    return howToSetSecret(name);
  }

  private entry(name: string) {
    const { AsyncEntry } = this.keyring();
    return new AsyncEntry(this.service, name, { linux: { store: 'secret-service' } });
  }

  private keyring(): KeyringModule {
    if (!this.module) {
      try {
        this.module = createRequire(import.meta.url)('@napi-rs/keyring') as KeyringModule;
      } catch (err) {
        throw new SecretStoreError(
          `the OS keyring library could not be loaded (${(err as Error).message}); reinstall Switchboard`,
        );
      }
    }
    return this.module;
  }

  /** Runs a keyring call; an unreachable keyring becomes a SecretStoreError that says what to do. */
  private async call<T>(run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (err) {
      if (err instanceof SecretStoreError) throw err;
      throw new SecretStoreError(unreachable((err as Error).message));
    }
  }
}

function unreachable(detail: string): string {
  const what = `the OS keyring cannot be used (${detail})`;
  if (process.platform === 'linux')
    return (
      `${what}: Switchboard needs a Secret Service (GNOME Keyring or KWallet), unlocked. ` +
      'On a desktop, log in to it. Headless, run `eval "$(dbus-launch --sh-syntax)"` and ' +
      "`printf '%s' 'a-password' | gnome-keyring-daemon --unlock --components=secrets --daemonize` " +
      'in the shell that starts the engine (a non-empty password; README: "A keyring on a machine ' +
      'without a desktop"), or use ${env:NAME} references instead of ${secret:NAME}'
    );
  if (process.platform === 'darwin') return `${what}: unlock the login keychain (Keychain Access)`;
  return `${what}: check that Windows Credential Manager is available to this user`;
}
