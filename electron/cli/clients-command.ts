import os from 'node:os';
import { parseArgs } from 'node:util';
import { CLIENT_IDS, type ClientId, type ImportChoice } from '../shared/clients.js';
import { formatProblems } from '../shared/config-errors.js';
import {
  ClientError,
  ClientManager,
  defaultBridge,
  EngineClient,
  KeyringSecretStore,
  loadConfigFile,
  readEngineInfo,
  resolveConfigPath,
  resolveHome,
  writeConfigFile,
  type SecretStore,
  type SwitchboardConfigAccess,
} from '../engine/index.js';
import path from 'node:path';
import { formatClients, formatImport, formatInstall } from './clients-format.js';
import { engineClientOperations, type ClientOperations } from './engine-clients.js';
import type { CliIo } from './main.js';
import { CliError, UsageError } from './usage-error.js';

export const CLIENTS_HELP = `Usage: switchboard clients [--project DIR] [--json]
       switchboard import CLIENT [--dry-run] [--on-conflict skip|rename|replace] [--keep-secrets]
       switchboard install CLIENT [--dry-run] [--aggregate] [--keep-secrets] [--on-conflict skip|rename|replace]
       switchboard uninstall CLIENT [--dry-run] [--force]

Brings the MCP servers configured in AI clients into Switchboard, and points the clients at it.

  clients     the clients found on this machine: config file, servers, installed or not
  import      adds the client's servers to Switchboard's config. Values that look like secrets
              (tokens, keys, passwords) move into the OS keyring as \${secret:NAME}; --keep-secrets
              leaves them in the config file. A server whose name Switchboard has already is
              skipped unless --on-conflict says rename (kept as NAME-CLIENT) or replace.
  install     rewrites the client's config so each server runs \`switchboard connect NAME\`
              (--aggregate: one entry, \`switchboard connect --all\`, for every server). Servers
              Switchboard lacks are imported first; an entry Switchboard has under another name
              (an earlier import with rename) reaches that one. One that clashes with a different
              server of its name stays as it is, unless --on-conflict says rename or replace (as
              for import). The original file is kept; the diff is shown.
  uninstall   undoes install: the client's file comes back byte for byte. --force restores it even
              when it changed after the install (the changed file is kept next to it).

Every command that writes takes --dry-run (show what would happen, write nothing), --json.
Where: --project DIR for project files (default: the current folder), --file PATH for a file in
another place. Restart the client (or reload its MCP servers) after install or uninstall.

CLIENT: ${CLIENT_IDS.join(', ')}.
`;

type Command = 'clients' | 'import' | 'install' | 'uninstall';

export interface ClientsDeps {
  secrets?: SecretStore;
  env?: Readonly<Record<string, string | undefined>>;
  homedir?: string;
  platform?: NodeJS.Platform;
}

/** `switchboard clients|import|install|uninstall`: works on the files, with or without a running engine. */
export async function clientsCommand(
  command: Command,
  argv: readonly string[],
  io: CliIo,
  deps: ClientsDeps = {},
): Promise<number> {
  const args = parseClientArgs(command, argv);
  if (args.help) {
    io.stdout.write(CLIENTS_HELP);
    return 0;
  }
  const env = deps.env ?? process.env;
  const inputs = { env, platform: deps.platform ?? process.platform, homedir: deps.homedir ?? os.homedir() };
  const home = resolveHome(inputs);
  const project = path.resolve(io.cwd, args.project ?? '.');
  // With an engine running, it does the work: its keyring is the one. Not for a --file of its own,
  // nor when a store is handed in (tests): then this process works on the files itself.
  const engine = deps.secrets || args.file ? undefined : await readEngineInfo(home);
  const manager: ClientOperations = engine
    ? engineClientOperations(new EngineClient(engine), project)
    : new ClientManager({
        paths: { ...inputs, project },
        backupDir: path.join(home, 'client-backups'),
        config: configFileAccess(resolveConfigPath(inputs)),
        secrets: deps.secrets ?? new KeyringSecretStore(),
        bridge: defaultBridge({ env, home }),
      });
  const target = {
    client: args.client!,
    ...(args.project ? { project: path.resolve(io.cwd, args.project) } : {}),
    ...(args.file ? { file: path.resolve(io.cwd, args.file) } : {}),
  };
  try {
    switch (command) {
      case 'clients': {
        const clients = await manager.list(target.project);
        io.stdout.write(args.json ? `${JSON.stringify(clients, null, 2)}\n` : formatClients(clients));
        return 0;
      }
      case 'import':
        return await runImport(manager, target, args, io, resolveConfigPath(inputs));
      case 'install': {
        const mode = args.aggregate ? ('aggregate' as const) : ('per-server' as const);
        const base = { ...target, mode, moveSecrets: !args.keepSecrets };
        const first = await manager.previewInstall(base);
        const input = { ...base, choices: conflictChoices(first.servers, args.onConflict) };
        const plan = args.dryRun ? await manager.previewInstall(input) : await manager.installClient(input);
        io.stdout.write(args.json ? `${JSON.stringify(plan, null, 2)}\n` : formatInstall(plan));
        return 0;
      }
      case 'uninstall': {
        const undone = await manager.uninstallClient({ ...target, force: args.force, dryRun: args.dryRun });
        if (args.json) io.stdout.write(`${JSON.stringify(undone, null, 2)}\n`);
        else if (args.dryRun) {
          io.stdout.write(
            undone.outcome === 'restored'
              ? `Would restore ${undone.file} as it was before the install.\n`
              : `Would delete ${undone.file}: there was no such file before the install.\n`,
          );
          if (undone.keptAs) io.stdout.write(`The file as it is now would be kept as ${undone.keptAs}.\n`);
          io.stdout.write('Nothing was changed (--dry-run).\n');
        } else {
          io.stdout.write(
            undone.outcome === 'restored'
              ? `Restored ${undone.file} as it was before the install.\n`
              : `Deleted ${undone.file}: there was no such file before the install.\n`,
          );
          if (undone.keptAs) io.stdout.write(`The file as it was just now is kept as ${undone.keptAs}.\n`);
          io.stdout.write('Restart the client (or reload its MCP servers) to pick it up.\n');
        }
        return 0;
      }
    }
  } catch (err) {
    if (err instanceof ClientError) throw new CliError(err.message);
    throw err;
  }
}

async function runImport(
  manager: ClientOperations,
  target: { client: ClientId; project?: string; file?: string },
  args: ClientArgs,
  io: CliIo,
  configFile: string,
): Promise<number> {
  const base = { ...target, moveSecrets: !args.keepSecrets };
  const first = await manager.previewImport({ ...base, choices: {} });
  const input = { ...base, choices: conflictChoices(first.servers, args.onConflict) };
  const plan = args.dryRun ? await manager.previewImport(input) : await manager.importClient(input);
  io.stdout.write(args.json ? `${JSON.stringify(plan, null, 2)}\n` : formatImport(plan));
  const inClear = plan.servers.flatMap((s) => s.inClear.map((at) => `${s.as}: ${at}`));
  if (!args.json && inClear.length > 0)
    io.stdout.write(`Values that look like secrets are in clear in ${configFile} (${inClear.join(', ')}).\n`);
  return 0;
}

/** `--on-conflict` for every server that clashes with a different one of its name (import and install alike). */
function conflictChoices(
  servers: readonly { name: string; conflict?: string | undefined }[],
  onConflict: ClientArgs['onConflict'],
): Record<string, ImportChoice> {
  const choices: Record<string, ImportChoice> = {};
  if (onConflict)
    for (const server of servers)
      if (server.conflict === 'different') choices[server.name] = { action: onConflict };
  return choices;
}

interface ClientArgs {
  help: boolean;
  client?: ClientId;
  project?: string;
  file?: string;
  json: boolean;
  dryRun: boolean;
  keepSecrets: boolean;
  aggregate: boolean;
  force: boolean;
  onConflict?: 'skip' | 'rename' | 'replace';
}

const OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  project: { type: 'string' },
  file: { type: 'string' },
  json: { type: 'boolean' },
  'dry-run': { type: 'boolean' },
  'keep-secrets': { type: 'boolean' },
  aggregate: { type: 'boolean' },
  force: { type: 'boolean' },
  'on-conflict': { type: 'string' },
} as const;

/** Which options each command takes: one that means nothing for it is an error, not silently ignored. */
const ALLOWED: Record<Command, readonly (keyof typeof OPTIONS)[]> = {
  clients: ['help', 'project', 'json'],
  import: ['help', 'project', 'file', 'json', 'dry-run', 'keep-secrets', 'on-conflict'],
  install: ['help', 'project', 'file', 'json', 'dry-run', 'aggregate', 'keep-secrets', 'on-conflict'],
  uninstall: ['help', 'project', 'file', 'json', 'force', 'dry-run'],
};

export function parseClientArgs(command: Command, argv: readonly string[]): ClientArgs {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError(`${(err as Error).message} (for \`switchboard ${command}\`)`);
  }
  const { values, positionals } = parsed;
  if (values.help)
    return { help: true, json: false, dryRun: false, keepSecrets: false, aggregate: false, force: false };
  for (const key of Object.keys(values)) {
    if (!ALLOWED[command].includes(key as keyof typeof OPTIONS)) {
      throw new UsageError(`--${key} does not apply to \`switchboard ${command}\``);
    }
  }
  const [client, ...extra] = positionals;
  if (command !== 'clients') {
    if (client === undefined)
      throw new UsageError(`name the client: switchboard ${command} CLIENT, one of ${CLIENT_IDS.join(', ')}`);
    if (!(CLIENT_IDS as readonly string[]).includes(client)) {
      throw new UsageError(`unknown client "${client}"; the clients are ${CLIENT_IDS.join(', ')}`);
    }
  }
  if (extra.length > 0 || (command === 'clients' && client !== undefined)) {
    throw new UsageError(`unexpected ${[...(command === 'clients' ? [client] : []), ...extra].join(' ')}`);
  }
  const onConflict = values['on-conflict'];
  if (onConflict !== undefined && !['skip', 'rename', 'replace'].includes(onConflict)) {
    throw new UsageError(`--on-conflict takes skip, rename or replace, not "${onConflict}"`);
  }
  return {
    help: false,
    ...(command !== 'clients' ? { client: client as ClientId } : {}),
    ...(values.project !== undefined ? { project: values.project } : {}),
    ...(values.file !== undefined ? { file: values.file } : {}),
    json: values.json ?? false,
    dryRun: values['dry-run'] ?? false,
    keepSecrets: values['keep-secrets'] ?? false,
    aggregate: values.aggregate ?? false,
    force: values.force ?? false,
    ...(onConflict ? { onConflict: onConflict as 'skip' | 'rename' | 'replace' } : {}),
  };
}

/** Switchboard's config file, read and written as the engine does (validated, atomic, with a backup). */
function configFileAccess(file: string): SwitchboardConfigAccess {
  const load = async () => {
    const loaded = await loadConfigFile(file);
    if (!loaded.ok) {
      throw new CliError(
        `Switchboard's config ${file} is invalid, so nothing was imported; fix it first:\n${formatProblems(loaded.problems)}`,
      );
    }
    return loaded.raw;
  };
  return {
    servers: async () => ((await load()).mcpServers ?? {}) as Record<string, unknown>,
    putServers: async (entries) => {
      const raw = await load();
      raw.mcpServers = { ...((raw.mcpServers ?? {}) as Record<string, unknown>), ...entries };
      await writeConfigFile(file, raw);
    },
  };
}
