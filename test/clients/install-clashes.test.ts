import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BRIDGE, managerIn, MemoryConfig } from './client-harness.js';

/**
 * A client entry whose name Switchboard has for another server (the first-hour walk: Claude
 * Desktop's `memory` next to Switchboard's own `memory`). Install never points the entry at the
 * other server: it leaves it unless asked, and finds it where an earlier import renamed it.
 */
const CLAUDES = { command: 'npx', args: ['-y', '@modelcontextprotocol/server-memory'] };
const SWITCHBOARDS = { command: 'node', args: ['/srv/my-memory.js'] };

let dir: string | undefined;
afterEach(async () => {
  if (dir) await fs.rm(dir, { recursive: true, force: true });
  dir = undefined;
});

async function setUp() {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'sb-clashes-'));
  const file = path.join(dir, 'claude_desktop_config.json');
  await fs.writeFile(file, JSON.stringify({ mcpServers: { memory: CLAUDES } }, null, 2));
  const config = new MemoryConfig({ memory: SWITCHBOARDS });
  const manager = managerIn(dir, config);
  const entry = async () =>
    (JSON.parse(await fs.readFile(file, 'utf8')) as { mcpServers: Record<string, unknown> }).mcpServers
      .memory;
  return { manager, config, entry, target: { client: 'claude-desktop' as const, file } };
}

describe('install with a clash', () => {
  it('leaves the entry as it is by default, and says why and what to choose', async () => {
    const { manager, entry, target } = await setUp();
    const plan = await manager.installClient({ ...target, mode: 'per-server', moveSecrets: true });
    expect(plan.servers).toEqual([
      {
        name: 'memory',
        action: 'keep',
        as: 'memory',
        conflict: 'different',
        note: expect.stringContaining('Switchboard has a different "memory": this entry stays as it is'),
      },
    ]);
    expect(await entry()).toEqual(CLAUDES);
  });

  it('after an import with rename, points the entry at the renamed server', async () => {
    const { manager, config, entry, target } = await setUp();
    await manager.importClient({ ...target, choices: { memory: { action: 'rename' } }, moveSecrets: true });
    expect(Object.keys(config.entries)).toEqual(['memory', 'memory-claude']);
    const again = await manager.previewImport({ ...target, choices: {}, moveSecrets: true });
    expect(again.servers[0]).toMatchObject({ as: 'memory-claude', action: 'skip', conflict: 'same' });
    expect(again.servers[0]!.notes).toContain('already in Switchboard as "memory-claude"');

    const plan = await manager.installClient({ ...target, mode: 'per-server', moveSecrets: true });
    expect(plan.servers[0]).toMatchObject({ action: 'bridge', as: 'memory-claude' });
    expect(await entry()).toEqual({ ...BRIDGE, args: [...BRIDGE.args, 'connect', 'memory-claude'] });
  });

  it('with rename chosen in the install itself, imports the entry renamed and points it there', async () => {
    const { manager, config, entry, target } = await setUp();
    const choices = { memory: { action: 'rename' as const } };
    const plan = await manager.installClient({ ...target, mode: 'per-server', moveSecrets: true, choices });
    expect(plan.servers[0]).toMatchObject({ action: 'import', as: 'memory-claude' });
    expect(config.entries['memory-claude']).toMatchObject(CLAUDES);
    expect(config.entries.memory).toEqual(SWITCHBOARDS);
    expect(await entry()).toEqual({ ...BRIDGE, args: [...BRIDGE.args, 'connect', 'memory-claude'] });
  });
});
