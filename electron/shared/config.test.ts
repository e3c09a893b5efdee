import { describe, expect, it } from 'vitest';
import { configSchema } from './config.js';
import { describeIssues, formatProblems, PARSE_OPTIONS } from './config-errors.js';

const problems = (value: unknown) => {
  const result = configSchema.safeParse(value, PARSE_OPTIONS);
  if (result.success) throw new Error('expected the config to be invalid');
  return formatProblems(describeIssues(result.error.issues));
};

describe('config schema', () => {
  it('takes a Claude Desktop mcpServers block as it is, inferring the type', () => {
    const config = configSchema.parse({
      mcpServers: {
        notes: { command: 'node', args: ['server.js'], env: { KEY: '${secret:notes-key}' } },
        linear: { url: 'https://mcp.example.com/mcp' },
        legacy: { type: 'sse', url: 'http://127.0.0.1:9000/sse' },
        vscode: { type: 'streamable-http', url: 'https://x.example/mcp' },
      },
    });
    expect(config.mcpServers.notes).toMatchObject({ type: 'stdio', enabled: true, autoStart: true });
    expect(config.mcpServers.linear).toMatchObject({ type: 'http', headers: {} });
    expect(config.mcpServers.legacy?.type).toBe('sse');
    expect(config.mcpServers.vscode?.type).toBe('http');
    expect(config.settings.port).toBe(7420);
  });

  it('keeps keys it does not know, so a pasted config loses nothing', () => {
    const config = configSchema.parse({
      mcpServers: { a: { command: 'x', disabled: false } },
      globalShortcut: 'X',
    });
    expect(config.mcpServers.a).toMatchObject({ disabled: false });
    expect((config as Record<string, unknown>).globalShortcut).toBe('X');
  });

  it('names the path and the fix', () => {
    expect(problems({ mcpServers: { notes: { args: ['a.js'] } } })).toBe(
      'mcpServers.notes: needs "command" (a local server) or "url" (a remote one); "type" may be stdio, http or sse',
    );
    expect(problems({ mcpServers: { notes: { command: '' } } })).toBe(
      'mcpServers.notes.command: must not be empty',
    );
    expect(problems({ mcpServers: { n: { command: 'x', args: 'a.js' } } })).toBe(
      'mcpServers.n.args: must be an array, not a string',
    );
    expect(problems({ mcpServers: { r: { url: 'ftp://x' } } })).toMatch(
      /^mcpServers\.r\.url: must be an http\(s\) URL/,
    );
    expect(problems({ mcpServers: { 'bad name!': { command: 'x' } } })).toMatch(
      /^mcpServers\["bad name!"\]: server names use/,
    );
    expect(problems({ mcpServers: [] })).toBe('mcpServers: must be an object, not an array');
    expect(problems({ settings: { port: 70000 } })).toBe('settings.port: must be at most 65535');
    expect(problems({ mcpServers: { a: { command: 'x', debounceMs: -1 } } })).toBe(
      'mcpServers.a.debounceMs: must be at least 0',
    );
  });
});
