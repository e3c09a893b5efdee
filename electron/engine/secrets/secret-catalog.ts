import type { CredentialDto, SecretInfoDto } from '../../shared/api.js';
import type { ServerConfig } from '../../shared/config.js';
import type { EngineEvent, ServerState } from '../../shared/events.js';
import { ApiError } from '../errors/api-error.js';
import { secretsUsedBy } from './secret-references.js';
import { secretListing, secretUsage, type SecretListing } from './secret-listing.js';
import { SecretStoreError, type SecretStore } from './secret-store.js';

export interface SecretCatalogDeps {
  store: SecretStore;
  /** Every configured server, with its config and current state. */
  servers(): { name: string; config: ServerConfig; state: ServerState }[];
  start(server: string): Promise<void>;
  restart(server: string): Promise<void>;
  emit(event: EngineEvent): void;
  now(): number;
  log(message: string): void;
  /** A value just set, so logs mask it from now on. */
  remember?(value: string): void;
}

/** States in which a server took (or tried) its secrets already: a new value means a new start. */
const RESTART_ON_CHANGE: ReadonlySet<ServerState> = new Set(['ready', 'backoff', 'failed']);

/**
 * The secrets as the API, the window and the CLI see them (names, hints, which servers use them),
 * never values. Setting one starts the servers that wait for it and restarts those that use it.
 */
export class SecretCatalog {
  constructor(private readonly deps: SecretCatalogDeps) {}

  list(): Promise<SecretListing> {
    return secretListing(this.deps.store, this.usage());
  }

  async set(name: string, value: string): Promise<SecretInfoDto> {
    await this.guard(() => this.deps.store.set(name, value));
    this.deps.remember?.(value);
    this.changed([name]);
    const users = this.usage().get(name) ?? [];
    for (const server of this.deps.servers()) {
      if (!users.includes(server.name)) continue;
      // Not awaited: a start may take the whole startup timeout; the window follows the states.
      if (server.state === 'needs-secret') void this.deps.start(server.name).catch(this.report(server.name));
      else if (RESTART_ON_CHANGE.has(server.state))
        void this.deps.restart(server.name).catch(this.report(server.name));
    }
    return this.info(name);
  }

  async delete(name: string): Promise<{ name: string; removed: boolean }> {
    const removed = await this.guard(() => this.deps.store.delete(name));
    if (removed) this.changed([name]);
    return { name, removed };
  }

  async credentialsOf(server: string): Promise<CredentialDto[]> {
    const entry = this.deps.servers().find((s) => s.name === server);
    if (!entry) throw new ApiError(404, `no server named "${server}"`);
    const used = secretsUsedBy(entry.config);
    // A server that uses no secret has nothing to say about the keyring, reachable or not.
    if (used.length === 0) return [];
    const stored = await this.guard(() => this.deps.store.list());
    return used.map((name) => {
      const field = entry.config.credentials?.[name];
      const found = stored.find((s) => s.name === name);
      return {
        name,
        label: field?.label ?? name,
        ...(field?.description !== undefined ? { description: field.description } : {}),
        required: field?.required !== false,
        set: found !== undefined,
        ...(found?.hint !== undefined ? { hint: found.hint } : {}),
      };
    });
  }

  private async info(name: string): Promise<SecretInfoDto> {
    const { secrets } = await this.list();
    return secrets.find((s) => s.name === name) ?? { name, set: false, usedBy: [] };
  }

  /** Secret name → servers that use it, in config order. */
  private usage(): Map<string, string[]> {
    return secretUsage(this.deps.servers().map((s) => [s.name, s.config] as const));
  }

  private changed(names: string[]): void {
    this.deps.emit({ type: 'secrets.changed', names, at: this.deps.now() });
  }

  private report(server: string): (err: unknown) => void {
    return (err) => this.deps.log(`${server}: could not start after its secret was set: ${String(err)}`);
  }

  /** A store that cannot be reached is a 503 whose message says what to do. */
  private async guard<T>(run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (err) {
      if (err instanceof SecretStoreError) throw new ApiError(503, err.message);
      throw err;
    }
  }
}
