import { describe, expect, it } from 'vitest';
import { connectInfo } from './connect-info.js';

const bridge = { command: '/usr/bin/node', args: ['/opt/sb/bin/switchboard.mjs'] };
const fileOf = (client: string) => `/home/ada/${client}.json`;

describe('connectInfo', () => {
  it('gives one server’s endpoint, command and the entry install would write, per client', () => {
    const info = connectInfo({ bridge, engineUrl: 'http://127.0.0.1:7420', server: 'my notes', fileOf });
    expect(info.http).toBe('http://127.0.0.1:7420/mcp/my%20notes');
    expect(info.command).toEqual(['/usr/bin/node', '/opt/sb/bin/switchboard.mjs', 'connect', 'my notes']);
    expect(info.snippets.map((s) => s.client)).toEqual(['claude-desktop', 'claude-code', 'cursor', 'vscode']);
    const desktop = JSON.parse(info.snippets[0]!.text) as unknown;
    expect(desktop).toEqual({
      mcpServers: {
        'my notes': {
          command: '/usr/bin/node',
          args: ['/opt/sb/bin/switchboard.mjs', 'connect', 'my notes'],
        },
      },
    });
    expect(info.snippets[0]!.file).toBe('/home/ada/claude-desktop.json');
    // VS Code keeps its servers under `servers`, each with a type.
    const vscode = JSON.parse(info.snippets[3]!.text) as { servers: Record<string, { type: string }> };
    expect(vscode.servers['my notes']!.type).toBe('stdio');
  });

  it('gives every server at once without a name, and carries a non-default home', () => {
    const info = connectInfo({
      bridge: { ...bridge, env: { SWITCHBOARD_HOME: '/srv/sb' } },
      engineUrl: '',
      fileOf,
    });
    expect(info.http).toBeUndefined(); // the engine does not listen on HTTP
    expect(info.command).toEqual([
      'SWITCHBOARD_HOME=/srv/sb',
      '/usr/bin/node',
      '/opt/sb/bin/switchboard.mjs',
      'connect',
      '--all',
    ]);
    const entry = (JSON.parse(info.snippets[0]!.text) as { mcpServers: Record<string, unknown> }).mcpServers;
    expect(entry.switchboard).toMatchObject({ env: { SWITCHBOARD_HOME: '/srv/sb' } });
  });
});
