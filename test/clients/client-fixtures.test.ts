import { promises as fs } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ClientError } from '../../electron/engine/clients/client-error.js';
import { isBridgeEntry } from '../../electron/engine/clients/client-catalog.js';
import { BRIDGE, expand, fixtureCases, managerFor } from './client-harness.js';

/**
 * Every fixture in test/fixtures/clients (real formats: comments, BOMs, CRLF, unknown keys, Windows
 * paths, secrets): import gives the expected entries and secrets, install rewrites only the servers,
 * and undo brings back the exact bytes.
 */
const cases = await fixtureCases();

describe.each(cases.map((c) => [c.file, c] as const))('%s', (_file, fixture) => {
  if (fixture.invalid) {
    it('is refused with where the problem is, and nothing is written', async () => {
      const { manager, file, target, config } = await managerFor(fixture);
      const before = await fs.readFile(file);
      const preview = manager.previewImport({ ...target, choices: {}, moveSecrets: true });
      await expect(preview).rejects.toBeInstanceOf(ClientError);
      await expect(preview).rejects.toThrow(file);
      await expect(
        manager.installClient({ ...target, mode: 'per-server', moveSecrets: true }),
      ).rejects.toThrow(/fix it/);
      expect(await fs.readFile(file)).toEqual(before);
      expect(config.writes).toEqual([]);
    });
    return;
  }

  it('imports the expected entries, bridges and secrets', async () => {
    const { manager, target, config, dir } = await managerFor(fixture);
    const moving = await manager.previewImport({ ...target, choices: {}, moveSecrets: true });
    const plan = await manager.importClient({ ...target, choices: {}, moveSecrets: false });
    expect(plan.bridges.sort()).toEqual([...(fixture.bridges ?? [])].sort());
    expect(config.entries).toEqual(expand(fixture.servers, dir));
    const found = moving.servers.flatMap((s) => s.secrets.map((secret) => ({ server: s.as, at: secret.at })));
    const byKey = (a: { server: string; at: string }, b: { server: string; at: string }) =>
      `${a.server} ${a.at}`.localeCompare(`${b.server} ${b.at}`);
    expect(found.sort(byKey)).toEqual([...(fixture.secrets ?? [])].sort(byKey));
  });

  it('moves secrets into the keyring and leaves only references in the entries', async () => {
    const { manager, target, config, secrets } = await managerFor(fixture);
    const plan = await manager.importClient({ ...target, choices: {}, moveSecrets: true });
    const text = JSON.stringify(config.entries);
    for (const server of plan.servers) {
      for (const moved of server.secrets) {
        const value = await secrets.get(moved.secret);
        expect(value, `${server.name} ${moved.at}`).toBeDefined();
        expect(text).not.toContain(value);
        expect(text).toContain(`\${secret:${moved.secret}}`);
      }
    }
    expect(JSON.stringify(plan)).not.toMatch(/ghp_[A-Za-z0-9]{30}|glpat-[A-Za-z0-9_-]{16}|xoxb-\d/);
  });

  for (const mode of ['per-server', 'aggregate'] as const) {
    it(`installs ${mode}, leaves the rest of the file alone, and undo restores it byte for byte`, async () => {
      const { manager, target, file, config } = await managerFor(fixture);
      const original = await fs.readFile(file);
      const preview = await manager.previewInstall({ ...target, mode, moveSecrets: true });
      expect(await fs.readFile(file)).toEqual(original); // a preview writes nothing
      const installed = await manager.installClient({ ...target, mode, moveSecrets: true });
      expect(installed.diff).toBe(preview.diff);
      const after = await manager.list();
      const info = after.find((c) => c.id === fixture.client)!;
      expect(info).toBeDefined();

      const importable = Object.keys(fixture.servers ?? {}).length;
      const reread = await manager.previewImport({ ...target, choices: {}, moveSecrets: true });
      // Every importable server now goes through Switchboard: nothing is left to import.
      expect(reread.servers.filter((s) => s.action !== 'skip')).toEqual([]);
      if (mode === 'aggregate') expect(reread.bridges).toContain('switchboard');
      if (importable === 0 && mode === 'per-server') {
        expect(installed.diff).toBe('');
      } else {
        expect(installed.diff).toContain('connect');
        // Whatever the client had is in Switchboard now, under the name the bridge connects to.
        for (const name of Object.keys(expand(fixture.servers ?? {}, '')))
          expect(config.entries[name]).toBeDefined();
      }
      if (installed.diff === '') return;
      expect((await fs.readFile(file)).equals(original)).toBe(false);
      // A plain JSON file (Claude Desktop, Claude Code, Cline read nothing else) stays plain JSON.
      if (strictJson(original.toString('utf8')))
        expect(strictJson(await fs.readFile(file, 'utf8'))).toBe(true);
      const undone = await manager.uninstallClient({ ...target, force: false });
      expect(undone.outcome).toBe('restored');
      expect((await fs.readFile(file)).equals(original)).toBe(true);
    });
  }

  it('writes bridge entries that run the configured command', async () => {
    const { manager, target, file } = await managerFor(fixture);
    const installed = await manager.installClient({ ...target, mode: 'per-server', moveSecrets: true });
    if (installed.diff === '') return;
    const reread = await manager.previewImport({ ...target, choices: {}, moveSecrets: false });
    expect(reread.bridges.length).toBeGreaterThan(0);
    const text = await fs.readFile(file, 'utf8');
    expect(text).toContain(`"${BRIDGE.command}"`);
    expect(text).toContain(`"${BRIDGE.args[0]}"`);
    expect(isBridgeEntry({ command: BRIDGE.command, args: [...BRIDGE.args, 'connect', 'x'] })).toBe(true);
  });
});

function strictJson(text: string): boolean {
  try {
    JSON.parse(text.replace(/^\uFEFF/, ''));
    return true;
  } catch {
    return false;
  }
}
