import type { SecretInfoDto, SecretStoreStatusDto } from '../../shared/api.js';
import { SECRET_NAME_PATTERN, type ServerConfig } from '../../shared/config.js';
import { secretsUsedBy } from './secret-references.js';
import { SecretStoreError, type SecretStore, type StoredSecret } from './secret-store.js';

export interface SecretListing {
  store: SecretStoreStatusDto;
  secrets: SecretInfoDto[];
}

/** Secret name → the servers whose config uses it, in config order. */
export function secretUsage(servers: Iterable<readonly [string, ServerConfig]>): Map<string, string[]> {
  const usedBy = new Map<string, string[]>();
  for (const [server, config] of servers)
    for (const name of secretsUsedBy(config)) usedBy.set(name, [...(usedBy.get(name) ?? []), server]);
  return usedBy;
}

/**
 * The store's status and every secret that is set or used (names, hints, users; never values), from
 * one read of the store: a store that cannot be read is reported, not thrown.
 */
export async function secretListing(
  store: SecretStore,
  usedBy: Map<string, string[]>,
): Promise<SecretListing> {
  let stored: StoredSecret[] = [];
  let problem: string | undefined;
  try {
    // OAuth tokens share the store under names no secret can have (`oauth:…`): they are not secrets
    // a person sets, and Sign out is how they go.
    stored = (await store.list()).filter((secret) => SECRET_NAME_PATTERN.test(secret.name));
  } catch (err) {
    if (!(err instanceof SecretStoreError)) throw err;
    problem = err.message;
  }
  const hints = new Map(stored.map((s) => [s.name, s.hint]));
  const names = new Set([...hints.keys(), ...usedBy.keys()]);
  const secrets = [...names].sort().map((name) => {
    const hint = hints.get(name);
    return {
      name,
      set: hints.has(name),
      ...(hint !== undefined ? { hint } : {}),
      usedBy: usedBy.get(name) ?? [],
    };
  });
  return {
    store: { kind: store.kind, available: problem === undefined, ...(problem ? { problem } : {}) },
    secrets,
  };
}
