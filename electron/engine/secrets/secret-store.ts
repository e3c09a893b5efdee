/**
 * Where `${secret:NAME}` values come from. The OS keyring store lands with the secrets issue;
 * until then the engine runs with a store that has none, and says so per server.
 */
export interface SecretStore {
  /** The secret's value, or undefined when it is not set. */
  get(name: string): Promise<string | undefined>;
  /** How a person sets a missing secret, for error messages. */
  readonly howToSet: (name: string) => string;
}

export class NoSecretStore implements SecretStore {
  async get(): Promise<string | undefined> {
    return undefined;
  }

  readonly howToSet = (name: string) =>
    `this version has no secret store yet; put the value in an environment variable and write \${env:${envName(name)}} instead of \${secret:${name}}`;
}

/** An in-memory store, for tests only. */
export class MemorySecretStore implements SecretStore {
  constructor(private readonly values: Record<string, string> = {}) {}

  async get(name: string): Promise<string | undefined> {
    return this.values[name];
  }

  readonly howToSet = (name: string) => `set the secret "${name}" in the test store`;
}

function envName(name: string): string {
  return name.toUpperCase().replace(/[^A-Z0-9]+/g, '_');
}
