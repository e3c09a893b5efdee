import type { ApiInput } from '../../../electron/shared/api.js';
import type {
  ClientId,
  ClientInfoDto,
  ImportPlanDto,
  ImportServerPlanDto,
  InstallMode,
  InstallPlanDto,
} from '../../../electron/shared/clients.js';
import { BridgeError } from '../bridge/bridge.js';
import type { FakeBridge } from './fake-bridge.js';

export interface FakeClientServer {
  name: string;
  /** As it would be written to Switchboard (default: an npx command). */
  config?: Record<string, unknown>;
  /** Secret-looking values in it: moved to the keyring when `moveSecrets` is on. */
  secrets?: { at: string; secret: string; hint: string }[];
  notes?: string[];
}

export interface FakeClient {
  id: ClientId;
  name: string;
  scope: 'user' | 'project';
  /** The file; for a project client, relative to the project folder. */
  file: string;
  exists: boolean;
  servers: FakeClientServer[];
  bridges: string[];
  problem?: string;
  installed?: ClientInfoDto['installed'];
  /** There was no file before the install (undo deletes it). */
  createdByInstall?: boolean;
}

/** The folder project clients use when no project is given (the engine's own). */
export const ENGINE_FOLDER = '/home/me/work';

/**
 * The engine's client import / install behind a FakeBridge, in memory. Previews and applies follow the
 * engine's rules closely enough for the window: a name Switchboard has already is a conflict (`same` or
 * `different` per `switchboard`), skipped unless chosen otherwise; install diffs the client's entries;
 * undo refuses when the file changed since the install unless forced. The FakeBridge records the inputs.
 */
export class FakeClients {
  /** Switchboard's servers by name: whether each has the same config as the client's of that name. */
  readonly switchboard = new Map<string, 'same' | 'different'>();
  readonly clients: FakeClient[];
  now = 1_700_000_000_000;

  constructor(clients: FakeClient[], switchboard: Record<string, 'same' | 'different'> = {}) {
    this.clients = clients;
    for (const [name, kind] of Object.entries(switchboard)) this.switchboard.set(name, kind);
  }

  install(bridge: FakeBridge): FakeBridge {
    return bridge
      .answer('listClients', ({ project }) => ({ clients: this.clients.map((c) => this.info(c, project)) }))
      .answer('getConnectInfo', ({ server }) => fakeConnectInfo(server))
      .answer('previewImport', (input) => this.importPlan(input, false))
      .answer('importClient', (input) => {
        const plan = this.importPlan(input, true);
        for (const s of plan.servers) if (s.action !== 'skip') this.switchboard.set(s.as, 'same');
        return plan;
      })
      .answer('previewInstall', (input) => this.installPlan(input, false))
      .answer('installClient', (input) => {
        const plan = this.installPlan(input, true);
        const client = this.client(input.client);
        if (plan.diff !== '') {
          client.createdByInstall = !client.exists;
          client.exists = true;
          client.installed = { mode: plan.mode, at: this.now, changedSince: false };
        }
        return plan;
      })
      .answer('uninstallClient', ({ client: id, project, force }) => {
        const client = this.client(id);
        const file = this.fileOf(client, project);
        if (!client.installed)
          throw new BridgeError(409, { error: `Switchboard is not installed in ${file}` });
        const changed = client.installed.changedSince;
        if (changed && force !== true)
          throw new BridgeError(409, {
            error: `${file} was changed since the install; undoing would drop those changes (restore anyway with force: the current file is kept aside)`,
          });
        client.installed = undefined;
        const outcome = client.createdByInstall ? 'deleted' : 'restored';
        if (outcome === 'deleted') client.exists = false;
        return { client: id, file, outcome, ...(changed ? { keptAs: `${file}.switchboard-kept` } : {}) };
      });
  }

  client(id: ClientId): FakeClient {
    const client = this.clients.find((c) => c.id === id);
    if (!client) throw new BridgeError(404, { error: `no client ${id}` });
    return client;
  }

  fileOf(client: FakeClient, project: string | undefined): string {
    return client.scope === 'project' ? `${project ?? ENGINE_FOLDER}/${client.file}` : client.file;
  }

  private info(c: FakeClient, project: string | undefined): ClientInfoDto {
    return {
      id: c.id,
      name: c.name,
      scope: c.scope,
      file: this.fileOf(c, project),
      exists: c.exists,
      servers: c.servers.map((s) => s.name),
      bridges: [...c.bridges],
      ...(c.problem ? { problem: c.problem } : {}),
      ...(c.installed ? { installed: { ...c.installed } } : {}),
    };
  }

  private importPlan(input: ApiInput<'previewImport'>, applied: boolean): ImportPlanDto {
    const client = this.client(input.client);
    if (client.problem) throw new BridgeError(422, { error: client.problem });
    const moveSecrets = input.moveSecrets ?? true;
    const taken = new Set(this.switchboard.keys());
    const servers = client.servers.map((server): ImportServerPlanDto => {
      const conflict = this.switchboard.get(server.name) ?? 'none';
      const choice = input.choices?.[server.name];
      const action = choice?.action ?? (conflict === 'none' ? 'add' : 'skip');
      const as = action === 'rename' ? (choice?.as ?? freeName(server.name, taken)) : server.name;
      if (action === 'rename' && this.switchboard.has(as))
        throw new BridgeError(409, { error: `a server named "${as}" exists already; pick another name` });
      taken.add(as);
      const secrets = moveSecrets ? (server.secrets ?? []) : [];
      const kept = !moveSecrets && (server.secrets ?? []).length > 0;
      return {
        name: server.name,
        as,
        action,
        conflict,
        config: server.config ?? { command: 'npx', args: ['-y', `@example/${server.name}`] },
        secrets,
        inClear: kept && action !== 'skip' ? (server.secrets ?? []).map((s) => s.at) : [],
        notes: [
          ...(server.notes ?? []),
          ...(kept ? ['its secret values stay in the config file as they are'] : []),
        ],
      };
    });
    return {
      client: client.id,
      file: this.fileOf(client, input.project),
      servers,
      bridges: [...client.bridges],
      moveSecrets,
      applied,
    };
  }

  private installPlan(input: ApiInput<'previewInstall'>, applied: boolean): InstallPlanDto {
    const client = this.client(input.client);
    if (client.problem) throw new BridgeError(422, { error: client.problem });
    const mode: InstallMode = input.mode ?? 'per-server';
    const file = this.fileOf(client, input.project);
    const unchanged = client.installed?.mode === mode;
    const servers: InstallPlanDto['servers'] = [
      ...client.servers.map((s): InstallPlanDto['servers'][number] => {
        const clash = this.switchboard.get(s.name) === 'different';
        const choice = input.choices?.[s.name]?.action ?? 'skip';
        const conflict = clash ? ('different' as const) : undefined;
        if (clash && choice === 'skip') return { name: s.name, action: 'keep', as: s.name, conflict };
        const as = clash && choice === 'rename' ? `${s.name}-claude` : s.name;
        const action =
          mode === 'aggregate'
            ? ('aggregate' as const)
            : this.switchboard.has(s.name) && !clash
              ? ('bridge' as const)
              : ('import' as const);
        return { name: s.name, action, as, ...(conflict ? { conflict } : {}) };
      }),
      ...client.bridges.map((name) => ({ name, action: 'already' as const })),
    ];
    return {
      client: client.id,
      file,
      mode,
      createsFile: !client.exists,
      diff: unchanged ? '' : installDiff(file, client, mode),
      servers,
      warnings: client.installed?.changedSince ? [`${file} was changed since the last install`] : [],
      applied,
    };
  }
}

function freeName(name: string, taken: ReadonlySet<string>): string {
  for (let n = 2; n < 1000; n++) if (!taken.has(`${name}-${n}`)) return `${name}-${n}`;
  return `${name}-imported`;
}

/** A unified diff shaped like the engine's: each entry replaced by a `switchboard connect` one. */
function installDiff(file: string, client: FakeClient, mode: InstallMode): string {
  const removed = client.servers.map((s) => `-    "${s.name}": { "command": "npx", "args": ["${s.name}"] },`);
  const added =
    mode === 'aggregate'
      ? ['+    "switchboard": { "command": "switchboard", "args": ["connect"] },']
      : client.servers.map(
          (s) => `+    "${s.name}": { "command": "switchboard", "args": ["connect", "${s.name}"] },`,
        );
  return [
    `--- ${file}`,
    `+++ ${file}`,
    `@@ -1,${removed.length + 2} +1,${added.length + 2} @@`,
    ' {',
    '   "mcpServers": {',
    ...removed,
    ...added,
    '   }',
    ' }',
    '',
  ].join('\n');
}

/** What the engine answers for getConnectInfo, shaped as connect-info.ts makes it. */
export function fakeConnectInfo(server: string | undefined) {
  const args = server === undefined ? ['connect', '--all'] : ['connect', server];
  const entry = { command: '/usr/bin/node', args: ['/opt/sb/bin/switchboard.mjs', ...args] };
  return {
    http: `http://127.0.0.1:7420/mcp${server === undefined ? '' : `/${server}`}`,
    command: [entry.command, ...entry.args],
    snippets: [
      {
        client: 'claude-desktop' as const,
        name: 'Claude Desktop',
        file: '/home/me/.config/Claude/claude_desktop_config.json',
        text: JSON.stringify({ mcpServers: { [server ?? 'switchboard']: entry } }, null, 2),
      },
    ],
  };
}
