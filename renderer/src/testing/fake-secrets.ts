import type { CredentialDto, SecretStoreStatusDto } from '../../../electron/shared/api.js';
import type { FakeBridge } from './fake-bridge.js';

export interface FakeCredential {
  name: string;
  label?: string;
  description?: string;
  required?: boolean;
}

/**
 * A keyring behind a FakeBridge, answering the secrets operations the way the engine does: names,
 * `set` and hints ("…" + last 4 characters, for values of 12 or more) out, values never. The test
 * reads `values` to see what was stored.
 */
export class FakeSecrets {
  readonly values = new Map<string, string>();
  store: SecretStoreStatusDto = { kind: 'keyring', available: true };

  /** `servers`: each server's credentials, as its config declares or uses them. */
  constructor(readonly servers: Record<string, FakeCredential[]> = {}) {}

  install(bridge: FakeBridge): FakeBridge {
    return bridge
      .answer('listSecrets', () => {
        const usedBy = new Map<string, string[]>();
        for (const [server, fields] of Object.entries(this.servers))
          for (const f of fields) usedBy.set(f.name, [...(usedBy.get(f.name) ?? []), server]);
        const stored = this.store.available ? [...this.values.keys()] : [];
        const names = [...new Set([...stored, ...usedBy.keys()])].sort();
        return { store: this.store, secrets: names.map((name) => this.info(name, usedBy.get(name) ?? [])) };
      })
      .answer('setSecret', ({ name, value }) => {
        this.values.set(name, value);
        return this.info(name, this.users(name));
      })
      .answer('deleteSecret', ({ name }) => ({ name, removed: this.values.delete(name) }))
      .answer('getServerCredentials', ({ server }) => ({
        server,
        credentials: (this.servers[server] ?? []).map((f): CredentialDto => ({
          name: f.name,
          label: f.label ?? f.name,
          ...(f.description ? { description: f.description } : {}),
          required: f.required !== false,
          ...this.state(f.name),
        })),
      }));
  }

  private users(name: string): string[] {
    return Object.entries(this.servers)
      .filter(([, fields]) => fields.some((f) => f.name === name))
      .map(([server]) => server);
  }

  private info(name: string, usedBy: string[]) {
    return { name, ...this.state(name), usedBy };
  }

  private state(name: string): { set: boolean; hint?: string } {
    const value = this.values.get(name);
    const hint = value !== undefined && value.length >= 12 ? `…${value.slice(-4)}` : undefined;
    return { set: value !== undefined, ...(hint ? { hint } : {}) };
  }
}
