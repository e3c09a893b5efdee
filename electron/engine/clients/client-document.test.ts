import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'smol-toml';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ClientId } from '../../shared/clients.js';
import { clientSpec } from './client-catalog.js';
import { editServers, readClientDocument, type ClientDocument } from './client-document.js';
import { ClientError } from './client-error.js';
import { parseJsonc } from './jsonc-text.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'sb-client-doc-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function docOf(id: ClientId, text: string | undefined): Promise<ClientDocument> {
  const spec = clientSpec(id);
  const file = path.join(dir, spec.format === 'toml' ? 'config.toml' : 'mcp.json');
  if (text !== undefined) writeFileSync(file, text);
  return readClientDocument(spec, file);
}

type Edits = Map<string, Record<string, unknown> | undefined>;

function cannotEdit(doc: ClientDocument, edits: Edits): ClientError {
  let error: unknown;
  let result: string | undefined;
  try {
    result = editServers(doc, edits);
  } catch (err) {
    error = err;
  }
  expect(result).toBeUndefined();
  expect(error).toBeInstanceOf(ClientError);
  expect((error as ClientError).kind).toBe('cannot-edit');
  expect((error as ClientError).message).toContain(doc.file);
  return error as ClientError;
}

describe('readClientDocument', () => {
  it('reads a missing file as empty', async () => {
    const doc = await docOf('cursor', undefined);
    expect(doc).toMatchObject({ exists: false, text: '', value: {}, servers: {} });
    expect(doc.bytes.length).toBe(0);
  });

  it('refuses a servers block that is not an object', async () => {
    await expect(docOf('cursor', '{"mcpServers": []}')).rejects.toMatchObject({ kind: 'unreadable' });
    await expect(docOf('codex', 'mcp_servers = "x"\n')).rejects.toMatchObject({ kind: 'unreadable' });
  });

  it('refuses a file that does not parse', async () => {
    await expect(docOf('cursor', '{"mcpServers": {')).rejects.toMatchObject({ kind: 'unreadable' });
    await expect(docOf('codex', '[mcp_servers.a]\n[mcp_servers.a]\n')).rejects.toMatchObject({
      kind: 'unreadable',
    });
  });
});

describe('editServers on JSON', () => {
  const text =
    '{\n  // mine\n  "mcpServers": {\n    "a": { "command": "a" },\n    "b": {\n      "command": "b"\n    }\n  },\n  "theme": "dark"\n}\n';

  it('replaces, adds and removes servers, keeping the rest of the file', async () => {
    const doc = await docOf('cursor', text);
    const out = editServers(
      doc,
      new Map([
        ['b', { command: 'B' }],
        ['a', undefined],
        ['c', { command: 'c', args: ['1'] }],
      ]),
    );
    expect(out.startsWith('{\n  // mine\n  "mcpServers": {\n')).toBe(true);
    expect(out.endsWith('  },\n  "theme": "dark"\n}\n')).toBe(true);
    expect(JSON.parse(out.replace('// mine', ''))).toEqual({
      mcpServers: { b: { command: 'B' }, c: { command: 'c', args: ['1'] } },
      theme: 'dark',
    });
  });

  it('keeps an empty servers object when the last server goes', async () => {
    const doc = await docOf('claude-desktop', '{"mcpServers": {"a": {"command": "a"}}, "x": 1}');
    expect(JSON.parse(editServers(doc, new Map([['a', undefined]])))).toEqual({ mcpServers: {}, x: 1 });
  });

  it('creates the servers block in a new file', async () => {
    const doc = await docOf('vscode', undefined);
    expect(JSON.parse(editServers(doc, new Map([['x', { type: 'stdio', command: 'x' }]])))).toEqual({
      servers: { x: { type: 'stdio', command: 'x' } },
    });
  });

  it('refuses when a duplicate key would keep the old entry in force', async () => {
    const doc = await docOf(
      'cursor',
      '{"mcpServers": {"a": {"command": "first"}, "a": {"command": "second"}}}',
    );
    cannotEdit(doc, new Map([['a', { command: 'new' }]]));
  });

  it('swaps the only server for the aggregate entry in a file with a trailing comma', async () => {
    const doc = await docOf(
      'vscode',
      '{\n  "servers": {\n    "gh": {\n      "command": "gh"\n    },\n  }\n}\n',
    );
    const out = editServers(
      doc,
      new Map([
        ['gh', undefined],
        ['switchboard', { type: 'stdio', command: 'sb', args: ['connect', '--all'] }],
      ]),
    );
    expect(parseJsonc(out, 'f')).toEqual({
      ok: true,
      value: { servers: { switchboard: { type: 'stdio', command: 'sb', args: ['connect', '--all'] } } },
    });
  });
});

describe('editServers on TOML (Codex)', () => {
  const text = [
    'model = "o3" # the model',
    '',
    '[mcp_servers.a]',
    'command = "a"',
    '',
    '[mcp_servers.a.env]',
    'K = "v"',
    '',
    '# b',
    '[mcp_servers.b]',
    'command = "b"',
    '',
  ].join('\n');

  it('replaces a table and its subtables, keeping comments and other keys', async () => {
    const doc = await docOf('codex', text);
    const out = editServers(doc, new Map([['a', { command: 'A', args: ['x'], env: { K: 'w' } }]]));
    expect(out).toBe(
      [
        'model = "o3" # the model',
        '',
        '[mcp_servers.a]',
        'command = "A"',
        'args = ["x"]',
        'env = { K = "w" }',
        '',
        '',
        '# b',
        '[mcp_servers.b]',
        'command = "b"',
        '',
      ].join('\n'),
    );
  });

  it('drops [mcp_servers] altogether when its last table goes', async () => {
    const doc = await docOf('codex', text);
    const out = editServers(
      doc,
      new Map([
        ['a', undefined],
        ['b', undefined],
      ]),
    );
    expect(parse(out)).toEqual({ model: 'o3' });
    expect(out).toContain('model = "o3" # the model');
  });

  it('appends a new server to a file without one', async () => {
    const doc = await docOf('codex', 'model = "o3"\n');
    const out = editServers(doc, new Map([['new one', { command: 'n' }]]));
    expect(out).toBe('model = "o3"\n\n[mcp_servers."new one"]\ncommand = "n"\n');
  });

  it('refuses a server written as an inline table under [mcp_servers]', async () => {
    const doc = await docOf('codex', '[mcp_servers]\nname = { command = "x" }\n');
    expect(doc.servers).toEqual({ name: { command: 'x' } });
    cannotEdit(doc, new Map([['name', { command: 'y' }]]));
    cannotEdit(doc, new Map([['name', undefined]]));
  });

  it('refuses a server written with dotted keys', async () => {
    const doc = await docOf('codex', '[mcp_servers]\nb.command = "x"\nb.args = ["1"]\n');
    cannotEdit(doc, new Map([['b', { command: 'y' }]]));
  });

  it('refuses a server written as mcp_servers.NAME.key at the top', async () => {
    const doc = await docOf('codex', 'mcp_servers.a.command = "x"\n');
    expect(doc.servers).toEqual({ a: { command: 'x' } });
    cannotEdit(doc, new Map([['a', undefined]]));
  });
});
