import { describe, expect, it } from 'vitest';
import { parsePaste } from './paste-model.js';

describe('pasted server JSON', () => {
  it('reads a Claude Desktop / Cursor mcpServers block', () => {
    const result = parsePaste(
      JSON.stringify({
        mcpServers: {
          memory: { command: 'npx', args: ['-y', 'server-memory'] },
          remote: { url: 'https://mcp.example.com/mcp' },
        },
      }),
      '',
    );
    expect(result).toMatchObject({
      kind: 'servers',
      bare: false,
      servers: [
        { name: 'memory', type: 'stdio', target: 'npx -y server-memory', problems: [] },
        { name: 'remote', type: 'http', target: 'https://mcp.example.com/mcp', problems: [] },
      ],
    });
  });

  it('reads a map of name → entry, and checks each with the schema', () => {
    const result = parsePaste(
      '{"a": {"command": "node"}, "b": {"type": "http", "url": "ftp://x"}, "c d": {"command": "x"}}',
      '',
    );
    if (result.kind !== 'servers') throw new Error(result.kind);
    expect(result.servers.map((s) => [s.name, s.problems])).toEqual([
      ['a', []],
      ['b', ['url: must be an http(s) URL such as https://mcp.example.com/mcp']],
      ['c d', [expect.stringMatching(/the name must use letters/)]],
    ]);
  });

  it('reads one bare entry, which needs a name', () => {
    const unnamed = parsePaste('{"command": "uvx", "args": ["mcp-server-git"]}', '');
    expect(unnamed).toMatchObject({
      kind: 'servers',
      bare: true,
      servers: [{ name: '', problems: [expect.stringMatching(/needs a name/)] }],
    });
    const named = parsePaste('{"command": "uvx", "args": ["mcp-server-git"]}', 'git');
    expect(named).toMatchObject({
      kind: 'servers',
      bare: true,
      servers: [{ name: 'git', type: 'stdio', problems: [] }],
    });
  });

  it('says where the JSON is broken', () => {
    const result = parsePaste('{\n  "a": {"command": "x",}\n}', '');
    expect(result.kind).toBe('error');
    if (result.kind === 'error') expect(result.message).toMatch(/line 2/);
    expect(parsePaste('[1]', '')).toMatchObject({
      kind: 'error',
      message: expect.stringMatching(/JSON object/),
    });
    expect(parsePaste('   ', '')).toEqual({ kind: 'empty' });
  });
});
