import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ClientId } from '../../electron/shared/clients.js';
import { ClientManager, type SwitchboardConfigAccess } from '../../electron/engine/clients/client-manager.js';
import { MemorySecretStore } from '../../electron/engine/secrets/secret-store.js';

export const FIXTURES = path.resolve('test/fixtures/clients');

export interface FixtureCase {
  client: ClientId;
  file: string;
  about: string;
  invalid?: boolean;
  servers?: Record<string, Record<string, unknown>>;
  bridges?: string[];
  secrets?: { server: string; at: string }[];
}

export async function fixtureCases(): Promise<FixtureCase[]> {
  return JSON.parse(await fs.readFile(path.join(FIXTURES, 'fixtures.json'), 'utf8')) as FixtureCase[];
}

/** Switchboard's config held in memory, recording each write. */
export class MemoryConfig implements SwitchboardConfigAccess {
  writes: Record<string, Record<string, unknown>>[] = [];
  constructor(public entries: Record<string, unknown> = {}) {}
  async servers(): Promise<Record<string, unknown>> {
    return structuredClone(this.entries);
  }
  async putServers(entries: Readonly<Record<string, Record<string, unknown>>>): Promise<void> {
    this.writes.push(structuredClone({ ...entries }));
    Object.assign(this.entries, structuredClone(entries));
  }
}

export const BRIDGE = { command: '/opt/node/bin/node', args: ['/opt/switchboard/bin/switchboard.mjs'] };
export const HOME = '/home/ada';

/** A manager over a copy of a fixture's folder in a temp dir (so writes never touch the repo). */
export async function managerFor(fixture: FixtureCase, config = new MemoryConfig()) {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'sb-clients-'));
  await fs.cp(path.join(FIXTURES, path.dirname(fixture.file)), dir, { recursive: true });
  const file = path.join(dir, path.basename(fixture.file));
  const secrets = new MemorySecretStore();
  const manager = managerIn(dir, config, secrets);
  return { manager, file, dir, config, secrets, target: { client: fixture.client, file } };
}

/** A manager whose project folder and backups are in `dir`, on Linux under HOME, bridging to BRIDGE. */
export function managerIn(
  dir: string,
  config: MemoryConfig,
  secrets = new MemorySecretStore(),
): ClientManager {
  return new ClientManager({
    paths: { platform: 'linux', homedir: HOME, env: {}, project: dir },
    backupDir: path.join(dir, '.switchboard-backups'),
    config,
    secrets,
    bridge: BRIDGE,
  });
}

/** The fixture's `{{home}}` and `{{project}}` placeholders filled in. */
export function expand<T>(value: T, project: string): T {
  return JSON.parse(
    JSON.stringify(value)
      .replaceAll('{{home}}', HOME)
      .replaceAll('{{project}}', project.replaceAll('\\', '\\\\')),
  ) as T;
}
