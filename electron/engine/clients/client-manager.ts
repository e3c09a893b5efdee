import path from 'node:path';
import type {
  ClientId,
  ClientInfoDto,
  ImportInput,
  ImportPlanDto,
  InstallInput,
  InstallPlanDto,
  UninstallInput,
  ConnectInfoDto,
  UninstallResultDto,
} from '../../shared/clients.js';
import type { SecretStore } from '../secrets/secret-store.js';
import { connectInfo } from './connect-info.js';
import { CLIENTS, clientSpec, isBridgeEntry, type BridgeCommand } from './client-catalog.js';
import { readClientDocument, type ClientDocument } from './client-document.js';
import { ClientError } from './client-error.js';
import { clientConfigPath, type ClientPathInputs } from './client-paths.js';
import { readEnvFile } from './env-file.js';
import type { TranslateContext } from './entry-translate.js';
import { planImport, type ImportWrites } from './import-plan.js';
import { InstallBackups } from './install-backups.js';
import { planInstall } from './install-plan.js';

/** Switchboard's own config, as the engine (ConfigService) or the CLI (the file) edits it. */
export interface SwitchboardConfigAccess {
  /** The config's `mcpServers` as written (raw JSON). */
  servers(): Promise<Record<string, unknown>>;
  /** Adds or replaces entries in one atomic write. */
  putServers(entries: Readonly<Record<string, Record<string, unknown>>>): Promise<void>;
}

export interface ClientManagerOptions {
  /** Where client files are, except the project, which each call may name (default `project` here). */
  paths: ClientPathInputs;
  /** Where originals of rewritten files are kept (`<home>/client-backups`). */
  backupDir: string;
  config: SwitchboardConfigAccess;
  secrets: Pick<SecretStore, 'get' | 'set'>;
  /** The command clients run to reach Switchboard. */
  bridge: BridgeCommand;
}

/** Names a client file: the client, and optionally its project folder or an exact file (the CLI's --file). */
export interface ClientTarget {
  client: ClientId;
  project?: string | undefined;
  file?: string | undefined;
}

/**
 * Import from and install into AI clients' config files: the previews and the writes behind the
 * CLI's `import`/`install`/`uninstall` and the window's Clients page.
 */
export class ClientManager {
  private readonly backups: InstallBackups;

  constructor(private readonly options: ClientManagerOptions) {
    this.backups = new InstallBackups(options.backupDir);
  }

  /** Every known client and what its file holds now; a file that cannot be read shows its problem. */
  async list(project?: string): Promise<ClientInfoDto[]> {
    return Promise.all(
      CLIENTS.map(async (spec): Promise<ClientInfoDto> => {
        const file = this.fileOf({ client: spec.id, project });
        const info: ClientInfoDto = {
          id: spec.id,
          name: spec.name,
          scope: spec.scope,
          file,
          exists: false,
          servers: [],
          bridges: [],
        };
        try {
          const doc = await readClientDocument(spec, file);
          info.exists = doc.exists;
          for (const [name, entry] of Object.entries(doc.servers))
            (isBridgeEntry(entry) ? info.bridges : info.servers).push(name);
        } catch (err) {
          info.exists = true;
          info.problem = (err as Error).message;
        }
        const installed = await this.backups.status(file).catch(() => undefined);
        if (installed) info.installed = installed;
        return info;
      }),
    );
  }

  previewImport(input: ImportInput & ClientTarget): Promise<ImportPlanDto> {
    return this.planImport(input).then((plan) => plan.dto);
  }

  async importClient(input: ImportInput & ClientTarget): Promise<ImportPlanDto> {
    const plan = await this.planImport(input);
    refuseSecretsInClear(plan.writes);
    await this.write(plan.writes);
    return { ...plan.dto, applied: true };
  }

  previewInstall(input: InstallInput & ClientTarget): Promise<InstallPlanDto> {
    return this.planInstall(input).then((plan) => plan.dto);
  }

  /** Imports what Switchboard lacks, then rewrites the client's file (the original kept for undo). */
  async installClient(input: InstallInput & ClientTarget): Promise<InstallPlanDto> {
    const { plan, doc } = await this.planInstallWithDoc(input);
    if (plan.next === doc.text) return { ...plan.dto, applied: true };
    refuseSecretsInClear(plan.imports);
    await this.write(plan.imports);
    await this.backups.install(
      doc.spec.id,
      doc.file,
      doc.exists ? doc.bytes : undefined,
      plan.next,
      input.mode,
    );
    return { ...plan.dto, applied: true };
  }

  async uninstallClient(input: UninstallInput & ClientTarget): Promise<UninstallResultDto> {
    const file = this.fileOf(input);
    const undone = await this.backups.undo(file, input.force, input.dryRun);
    return { client: input.client, file, ...undone, ...(input.dryRun ? { dryRun: true } : {}) };
  }

  /** How a client reaches `server` (or all servers) through the engine at `engineUrl`. */
  connectInfo(server: string | undefined, engineUrl: string): ConnectInfoDto {
    return connectInfo({
      bridge: this.options.bridge,
      engineUrl,
      server,
      fileOf: (client) => this.fileOf({ client }),
    });
  }

  /** Where a client's file is: `file` if given, else its platform's place (project files under `project`). */
  fileOf(target: ClientTarget): string {
    if (target.file) return path.resolve(target.file);
    const project = target.project ? path.resolve(target.project) : this.options.paths.project;
    return clientConfigPath(target.client, { ...this.options.paths, project });
  }

  private async planImport(input: ImportInput & ClientTarget) {
    const doc = await this.read(input);
    return planImport(doc, this.context(input, doc), await this.options.config.servers(), input, (name) =>
      this.options.secrets.get(name),
    );
  }

  private async planInstall(input: InstallInput & ClientTarget) {
    return (await this.planInstallWithDoc(input)).plan;
  }

  private async planInstallWithDoc(input: InstallInput & ClientTarget) {
    const doc = await this.read(input);
    const plan = await planInstall(
      doc,
      this.context(input, doc),
      await this.options.config.servers(),
      input,
      this.options.bridge,
      (name) => this.options.secrets.get(name),
    );
    return { plan, doc };
  }

  private read(target: ClientTarget): Promise<ClientDocument> {
    return readClientDocument(clientSpec(target.client), this.fileOf(target));
  }

  /** Project files resolve `${workspaceFolder}` and relative envFiles against their project folder. */
  private context(target: ClientTarget, doc: ClientDocument): TranslateContext {
    const project =
      doc.spec.scope === 'project'
        ? target.file
          ? projectOfFile(doc.file)
          : (target.project ?? this.options.paths.project)
        : target.project;
    return {
      home: this.options.paths.homedir,
      ...(project ? { project: path.resolve(project) } : {}),
      readEnvFile,
    };
  }

  /** Secrets first: a config entry must never name a secret that is not there yet. */
  private async write(writes: ImportWrites): Promise<void> {
    for (const [name, value] of writes.secrets) {
      try {
        await this.options.secrets.set(name, value);
      } catch (err) {
        throw new ClientError(
          'keyring',
          `the secret "${name}" could not be stored in the keyring (${(err as Error).message}); nothing was imported. Fix the keyring, or import without moving secrets (--keep-secrets)`,
        );
      }
    }
    if (Object.keys(writes.servers).length > 0) await this.options.config.putServers(writes.servers);
  }
}

/** A project file sits in `<project>/.mcp.json` or `<project>/.cursor/mcp.json`: its project folder. */
function projectOfFile(file: string): string {
  const dir = path.dirname(file);
  return /^\.(cursor|vscode|gemini)$/.test(path.basename(dir)) ? path.dirname(dir) : dir;
}

/**
 * Secrets the person asked to move that cannot (no keyring) are not written in clear behind their
 * back: the import stops, saying where they are and the two ways on.
 */
function refuseSecretsInClear(writes: ImportWrites): void {
  if (writes.unmoved.length === 0) return;
  throw new ClientError(
    'keyring',
    `the OS keyring cannot be reached (${writes.keyringProblem ?? 'unknown reason'}), so ${writes.unmoved.length === 1 ? 'this value that looks like a secret' : 'these values that look like secrets'} would be written to Switchboard's config file in clear: ${writes.unmoved.join(', ')}. Nothing was imported. Make the keyring reachable (headless: README, "A keyring on a machine without a desktop"), or keep them in the config file on purpose (--keep-secrets; in the window, untick "Move secret values to the OS keyring")`,
  );
}
