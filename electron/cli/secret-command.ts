import os from 'node:os';
import type { ApiOutput, SecretInfoDto } from '../shared/api.js';
import { SECRET_NAME_PATTERN, SECRET_NAME_RULE } from '../shared/config.js';
import type { ConfigProblem } from '../shared/config-errors.js';
import {
  EngineClient,
  EngineClientError,
  KeyringSecretStore,
  loadConfigFile,
  readEngineInfo,
  resolveConfigPath,
  resolveHome,
  secretHint,
  secretListing,
  SecretStoreError,
  secretUsage,
  type SecretStore,
} from '../engine/index.js';
import type { CliIo } from './main.js';
import { readSecretValue, type SecretInput } from './read-secret-value.js';
import { CliError, UsageError } from './usage-error.js';

export const SECRET_HELP = `Usage: switchboard secret set NAME
       switchboard secret list [--json]
       switchboard secret rm NAME

The values of \${secret:NAME} references in the config file. They live in the OS keyring (macOS
Keychain, Windows Credential Manager, the Secret Service on Linux), never in the config file.

Commands:
  set NAME        store a value: typed without echo at a terminal, else read from stdin, e.g.
                  printf '%s' "$TOKEN" | switchboard secret set NAME  (one trailing newline is dropped)
  list [--json]   every secret that is set or used by a server: set or not, a hint (the last 4
                  characters of values of 12 or more), and the servers using it. Never values.
  rm NAME         remove a secret

With an engine running for this home (\`switchboard serve\` or the app), the command goes through it:
servers waiting for a secret start, servers using a changed one restart. Otherwise it uses the OS
keyring directly, and servers get the value when the engine starts.

NAME: ${SECRET_NAME_RULE}.
`;

export type SecretArgs =
  | { action: 'help' }
  | { action: 'set'; name: string }
  | { action: 'list'; json: boolean }
  | { action: 'rm'; name: string };

export function parseSecretArgs(argv: readonly string[]): SecretArgs {
  const [action, ...rest] = argv;
  if (action === undefined || action === 'help' || isHelp(action) || rest.some(isHelp))
    return { action: 'help' };
  switch (action) {
    case 'set':
    case 'rm': {
      const [name, ...extra] = rest;
      if (name === undefined) throw new UsageError(`usage: switchboard secret ${action} NAME`);
      if (name.startsWith('-'))
        throw new UsageError(`unknown option ${name} for \`switchboard secret ${action}\``);
      if (extra.length > 0) {
        throw new UsageError(
          action === 'set'
            ? 'switchboard secret set takes only NAME: the value is typed at the prompt or piped in, ' +
                'never given as an argument (it would stay in the shell history)'
            : `switchboard secret rm takes one NAME, got also: ${extra.join(' ')}`,
        );
      }
      if (!SECRET_NAME_PATTERN.test(name))
        throw new UsageError(`"${name}" is not a secret name: ${SECRET_NAME_RULE}`);
      return { action, name };
    }
    case 'list': {
      const unknown = rest.find((a) => a !== '--json');
      if (unknown) throw new UsageError(`unknown option ${unknown} for \`switchboard secret list\``);
      return { action, json: rest.includes('--json') };
    }
    default:
      throw new UsageError(`unknown secret command "${action}": use set, list or rm`);
  }
}

function isHelp(arg: string): boolean {
  return arg === '-h' || arg === '--help';
}

/** The listing: the API's output, plus why `usedBy` is unknown when the config file cannot be read. */
export type SecretListing = ApiOutput<'listSecrets'> & { configProblems?: ConfigProblem[] };

/** Where the secrets are handled: the running engine's API, or the store itself when none runs. */
export interface SecretBackend {
  /** Said after what was done when no engine runs, e.g. " in the OS keyring (no engine is running)". */
  readonly where: string;
  list(): Promise<SecretListing>;
  set(name: string, value: string): Promise<SecretInfoDto & { configProblems?: ConfigProblem[] }>;
  delete(name: string): Promise<{ removed: boolean }>;
}

/** Through the engine, so servers waiting in needs-secret start (and the window hears of it). */
export function engineBackend(client: Pick<EngineClient, 'call'>): SecretBackend {
  return {
    where: '',
    list: () => client.call('listSecrets', {}),
    set: (name, value) => client.call('setSecret', { name, value }),
    delete: (name) => client.call('deleteSecret', { name }),
  };
}

/** No engine: the store directly, and which servers use a secret from the config file. */
export function storeBackend(store: SecretStore, configFile: string): SecretBackend {
  const where =
    store.kind === 'keyring' ? ' in the OS keyring (no engine is running)' : ' (no engine is running)';
  return {
    where,
    async list() {
      const usage = await configUsage(configFile);
      const listing = await secretListing(store, usage.usedBy);
      return { ...listing, ...(usage.problems ? { configProblems: usage.problems } : {}) };
    },
    async set(name, value) {
      await store.set(name, value);
      const usage = await configUsage(configFile);
      const hint = secretHint(value);
      return {
        name,
        set: true,
        ...(hint !== undefined ? { hint } : {}),
        usedBy: usage.usedBy.get(name) ?? [],
        ...(usage.problems ? { configProblems: usage.problems } : {}),
      };
    },
    async delete(name) {
      return { removed: await store.delete(name) };
    },
  };
}

/** Secret name → servers whose config uses it, as the engine would see them. */
async function configUsage(
  file: string,
): Promise<{ usedBy: Map<string, string[]>; problems?: ConfigProblem[] }> {
  const loaded = await loadConfigFile(file);
  if (!loaded.ok) return { usedBy: new Map(), problems: loaded.problems };
  return { usedBy: secretUsage(Object.entries(loaded.config.mcpServers)) };
}

/** The running engine of this home, else the OS keyring and the config file. */
async function defaultBackend(): Promise<SecretBackend> {
  const inputs = { env: process.env, platform: process.platform, homedir: os.homedir() };
  const engine = await readEngineInfo(resolveHome(inputs));
  if (engine) return engineBackend(new EngineClient(engine));
  return storeBackend(new KeyringSecretStore(), resolveConfigPath(inputs));
}

/** `switchboard secret set|list|rm`: never prints a value, not even in errors. */
export async function secretCommand(
  argv: readonly string[],
  io: CliIo,
  backend: () => Promise<SecretBackend> = defaultBackend,
): Promise<number> {
  try {
    const args = parseSecretArgs(argv);
    switch (args.action) {
      case 'help':
        io.stdout.write(SECRET_HELP);
        return 0;
      case 'set':
        return await set(await backend(), args.name, io);
      case 'list':
        return await list(await backend(), args.json, io);
      case 'rm':
        return await remove(await backend(), args.name, io);
    }
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr.write(`switchboard: ${err.message}\nSee \`switchboard secret --help\`.\n`);
      return 2;
    }
    // The store's own message says what to do (unlock the keyring, start a Secret Service...).
    if (err instanceof CliError || err instanceof EngineClientError || err instanceof SecretStoreError) {
      io.stderr.write(`switchboard: ${err.message}\n`);
      return 1;
    }
    throw err;
  }
}

async function set(backend: SecretBackend, name: string, io: CliIo): Promise<number> {
  // Before asking for the value: nobody should type a token only to learn it cannot be kept.
  const { store } = await backend.list();
  if (!store.available) throw new CliError(store.problem ?? 'the secret store cannot be used');
  const value = await readSecretValue(`Value for ${name}: `, io.stdin as SecretInput, io.stderr);
  if (value === undefined) {
    io.stderr.write(`switchboard: cancelled; secret ${name} was not changed\n`);
    return 130;
  }
  if (value === '') {
    throw new CliError(
      `the value for ${name} is empty, so nothing was stored. Type it at the prompt, or pipe it in: ` +
        `printf '%s' "$VALUE" | switchboard secret set ${name}`,
    );
  }
  const info = await backend.set(name, value);
  const hint = info.hint ? ` (${info.hint})` : '';
  const users = info.configProblems
    ? `which servers use it is unknown: the config file cannot be read (${info.configProblems[0]?.message})`
    : info.usedBy.length > 0
      ? `servers using it: ${info.usedBy.join(', ')}`
      : 'no server uses it yet (write ${secret:' + name + '} in a server entry of the config file)';
  io.stdout.write(`secret ${name} set${hint}${backend.where}; ${users}\n`);
  return 0;
}

async function remove(backend: SecretBackend, name: string, io: CliIo): Promise<number> {
  const { removed } = await backend.delete(name);
  io.stdout.write(
    removed ? `secret ${name} removed${backend.where}\n` : `no secret ${name} was set; nothing removed\n`,
  );
  return 0;
}

async function list(backend: SecretBackend, json: boolean, io: CliIo): Promise<number> {
  const listing = await backend.list();
  const { store, secrets, configProblems } = listing;
  if (json) {
    io.stdout.write(`${JSON.stringify(listing, null, 2)}\n`);
  } else if (secrets.length === 0) {
    io.stdout.write(
      'no secret is set or used by a server. Set one with `switchboard secret set NAME`, ' +
        'then write ${secret:NAME} in a server entry of the config file.\n',
    );
  } else {
    // `?` where it is not known: the store cannot be read, or the config file cannot.
    const rows = secrets.map((s) => [
      s.name,
      store.available ? (s.set ? 'yes' : 'no') : '?',
      s.hint ?? '-',
      configProblems ? '?' : s.usedBy.join(', ') || '-',
    ]);
    const header = ['SECRET', 'SET', 'HINT', 'USED BY'];
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
    for (const row of [header, ...rows]) {
      io.stdout.write(
        `${row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ')}\n`,
      );
    }
  }
  if (configProblems && !json) {
    io.stdout.write(`\nthe config file cannot be read, so which servers use each secret is unknown:\n`);
    for (const p of configProblems) io.stdout.write(`  ${p.path ? `${p.path}: ` : ''}${p.message}\n`);
  }
  if (!store.available) {
    io.stderr.write(`switchboard: ${store.problem ?? 'the secret store cannot be used'}\n`);
    return 1;
  }
  return 0;
}
