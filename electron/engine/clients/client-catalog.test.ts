import { describe, expect, it } from 'vitest';
import { CLIENT_IDS } from '../../shared/clients.js';
import { CLIENTS, clientSpec, isBridgeEntry } from './client-catalog.js';

describe('isBridgeEntry', () => {
  it.each([
    ['a posix path', { command: '/usr/local/bin/switchboard', args: ['connect', 'github'] }],
    [
      'a windows path',
      { command: 'C:\\Program Files\\Switchboard\\Switchboard.cmd', args: ['connect', 'x'] },
    ],
    [
      'node running the script',
      { command: '/usr/bin/node', args: ['/opt/sb/bin/switchboard.mjs', 'connect', 'x'] },
    ],
    [
      'node on windows',
      { command: 'C:\\node\\node.exe', args: ['C:\\sb\\bin\\switchboard.mjs', 'connect', 'y'] },
    ],
    ['npx switchboard connect --all', { command: 'npx', args: ['switchboard', 'connect', '--all'] }],
    [
      'a typed entry with env',
      { type: 'stdio', command: 'switchboard', args: ['connect', '--all'], env: { A: '1' } },
    ],
  ])('recognises %s', (_what, entry) => {
    expect(isBridgeEntry(entry)).toBe(true);
  });

  it.each([
    ['a server merely named switchboard-docs', { command: 'npx', args: ['-y', 'switchboard-docs'] }],
    ['switchboard-docs as the command', { command: '/usr/bin/switchboard-docs', args: ['serve'] }],
    ['switchboard without connect', { command: 'switchboard', args: ['serve'] }],
    ['connect without switchboard', { command: 'other', args: ['connect', '--all'] }],
    ['switchboard only in a folder name', { command: '/opt/switchboard/bin/tool', args: ['connect'] }],
    ['a remote entry', { url: 'http://127.0.0.1:7420/mcp/x' }],
    ['null', null],
    ['a string', 'switchboard connect'],
  ])('does not take %s for a bridge', (_what, entry) => {
    expect(isBridgeEntry(entry)).toBe(false);
  });
});

describe('client catalog', () => {
  it('has one spec per client id', () => {
    expect(CLIENTS.map((c) => c.id)).toEqual([...CLIENT_IDS]);
    for (const id of CLIENT_IDS) expect(clientSpec(id).id).toBe(id);
  });

  it('writes the bridge entry in each client’s spelling', () => {
    const bridge = { command: '/bin/sb', args: ['--x'], env: { SWITCHBOARD_HOME: '/h' } };
    expect(clientSpec('vscode').bridgeEntry(bridge, ['connect', 'a'])).toEqual({
      type: 'stdio',
      command: '/bin/sb',
      args: ['--x', 'connect', 'a'],
      env: { SWITCHBOARD_HOME: '/h' },
    });
    expect(clientSpec('cursor').bridgeEntry({ command: 'sb', args: [] }, ['connect', '--all'])).toEqual({
      command: 'sb',
      args: ['connect', '--all'],
    });
    expect(
      isBridgeEntry(clientSpec('codex').bridgeEntry({ command: 'switchboard', args: [] }, ['connect', 'a'])),
    ).toBe(true);
  });
});
