/**
 * Where `${secret:NAME}` values and OAuth tokens live (DESIGN §7). The engine asks for a value only
 * at spawn/connect time; names and hints may travel (API, window, logs), values never do.
 */
export interface SecretStore {
  /** keyring: the OS keyring; memory: tests only; none: no store (values must come from env). */
  readonly kind: 'keyring' | 'memory' | 'none';
  /** The secret's value, or undefined when it is not set. Rejects with SecretStoreError when unreachable. */
  get(name: string): Promise<string | undefined>;
  set(name: string, value: string): Promise<void>;
  /** True when there was a value to delete. */
  delete(name: string): Promise<boolean>;
  /** Every name that has a value, with its hint (see secretHint). Rejects with SecretStoreError when unreachable. */
  list(): Promise<StoredSecret[]>;
  /** How a person sets a missing secret, for error messages. */
  howToSet(name: string): string;
}

export interface StoredSecret {
  name: string;
  hint?: string;
}

/** The store cannot be reached (locked keyring, no Secret Service): says what to do. */
export class SecretStoreError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretStoreError';
  }
}

/** "…" and the last 4 characters, for values long enough that 4 characters give little away. */
export function secretHint(value: string): string | undefined {
  const chars = [...value];
  return chars.length >= 12 ? `…${chars.slice(-4).join('')}` : undefined;
}

export function howToSetSecret(name: string): string {
  return `set it in the window (Secrets), or run: switchboard secret set ${name}`;
}

/** No store at all: every secret is missing, and setting one says why it cannot be kept. */
export class NoSecretStore implements SecretStore {
  readonly kind = 'none';

  constructor(private readonly why = 'this engine runs without a secret store') {}

  async get(): Promise<string | undefined> {
    return undefined;
  }

  async set(): Promise<void> {
    throw new SecretStoreError(`${this.why}; use \${env:NAME} references instead`);
  }

  async delete(): Promise<boolean> {
    return false;
  }

  async list(): Promise<StoredSecret[]> {
    throw new SecretStoreError(this.why);
  }

  howToSet(name: string): string {
    return `${this.why}; put the value in an environment variable and write \${env:${envName(name)}} instead of \${secret:${name}}`;
  }
}

/** An in-memory store, for tests only. */
export class MemorySecretStore implements SecretStore {
  readonly kind = 'memory';
  private readonly values: Map<string, string>;

  constructor(values: Record<string, string> = {}) {
    this.values = new Map(Object.entries(values));
  }

  async get(name: string): Promise<string | undefined> {
    return this.values.get(name);
  }

  async set(name: string, value: string): Promise<void> {
    this.values.set(name, value);
  }

  async delete(name: string): Promise<boolean> {
    return this.values.delete(name);
  }

  async list(): Promise<StoredSecret[]> {
    return [...this.values].map(([name, value]) => ({ name, hint: secretHint(value) }));
  }

  howToSet(name: string): string {
    return howToSetSecret(name);
  }
}

function envName(name: string): string {
  return name.toUpperCase().replace(/[^A-Z0-9]+/g, '_');
}
