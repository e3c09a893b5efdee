import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { MemorySecretStore } from '../../electron/engine/index.js';
import { managerIn, MemoryConfig } from './client-harness.js';

let dir: string | undefined;
afterEach(async () => {
  if (dir) await fs.rm(dir, { recursive: true, force: true });
  dir = undefined;
});

it("moves a URL argument's password into the keyring on import, and masks it in the install diff", async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'sb-url-password-'));
  const file = path.join(dir, 'claude_desktop_config.json');
  const url = 'postgresql://app:pw-Kq82xV@db.local/app';
  const entry = { command: 'npx', args: ['-y', '@modelcontextprotocol/server-postgres', url] };
  await fs.writeFile(file, JSON.stringify({ mcpServers: { db: entry } }, null, 2));
  const config = new MemoryConfig();
  const secrets = new MemorySecretStore();
  const manager = managerIn(dir, config, secrets);
  const target = { client: 'claude-desktop' as const, file };

  const preview = await manager.previewInstall({ ...target, mode: 'per-server', moveSecrets: true });
  expect(preview.diff).not.toContain('pw-Kq82xV');
  expect(preview.diff).toContain('postgresql://app:••••');

  const plan = await manager.importClient({ ...target, choices: {}, moveSecrets: true });
  expect(plan.servers[0]!.secrets).toEqual([
    { at: 'args[2]', secret: 'db-password', hint: expect.any(String) },
  ]);
  expect(JSON.stringify(config.entries)).not.toContain('pw-Kq82xV');
  expect((config.entries.db as { args: string[] }).args[2]).toBe(
    'postgresql://app:${secret:db-password}@db.local/app',
  );
  expect(await secrets.get('db-password')).toBe('pw-Kq82xV');
});
