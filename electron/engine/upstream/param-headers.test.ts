import { describe, expect, it } from 'vitest';
import type { JsonRpcMessage } from '../jsonrpc/messages.js';
import { headerDeclarations, paramHeaders, withoutInvalidTools } from './param-headers.js';

const schema = (properties: Record<string, unknown>) => ({ type: 'object', properties });
const tool = (name: string, properties: Record<string, unknown>) => ({
  name,
  inputSchema: schema(properties),
});

describe('x-mcp-header declarations (SEP-2243)', () => {
  it('finds them at any depth, and only where a parameter declares one', () => {
    const found = headerDeclarations(
      schema({
        region: { type: 'string', 'x-mcp-header': 'Region' },
        query: { type: 'string' },
        target: {
          type: 'object',
          properties: { zone: { type: ['integer', 'null'], 'x-mcp-header': 'Zone' } },
        },
      }),
    );
    expect(found).toEqual({
      declarations: [
        { path: ['region'], header: 'Region' },
        { path: ['target', 'zone'], header: 'Zone' },
      ],
    });
    expect(headerDeclarations(undefined)).toEqual({ declarations: [] });
  });

  it('says why a declaration is invalid: not a token, not a primitive, or declared twice', () => {
    const invalid = (property: Record<string, unknown>, other?: Record<string, unknown>) =>
      (headerDeclarations(schema({ a: property, ...(other ? { b: other } : {}) })) as { invalid?: string })
        .invalid;
    for (const name of ['', 'My Region', 'Region:Primary', 'Région', 'Region\t1', 'A\r\nB'])
      expect(invalid({ type: 'string', 'x-mcp-header': name })).toMatch(/is not a header name/);
    expect(invalid({ type: 'string', 'x-mcp-header': 7 })).toMatch(/is not a header name/);
    for (const type of ['number', 'object', 'array', 'null', undefined])
      expect(invalid({ type, 'x-mcp-header': 'H' })).toMatch(/cannot be a header/);
    expect(
      invalid({ type: 'string', 'x-mcp-header': 'Id' }, { type: 'integer', 'x-mcp-header': 'ID' }),
    ).toMatch(/ID is declared twice/);
    expect(invalid({ type: 'boolean', 'x-mcp-header': "x!#$%&'*+.^_`|~-9" })).toBeUndefined();
  });

  it("never follows a $ref: a declaration behind one is not the tool's", () => {
    const found = headerDeclarations({
      type: 'object',
      $defs: { id: { type: 'number', 'x-mcp-header': 'Id' } },
      properties: { id: { $ref: '#/$defs/id' }, profile: { $ref: 'https://example.com/profile.json' } },
    });
    expect(found).toEqual({ declarations: [] });
  });

  it('leaves the tools with invalid declarations out of a tools/list answer', () => {
    const logs: string[] = [];
    const answer: JsonRpcMessage = {
      jsonrpc: '2.0',
      id: 3,
      result: {
        tools: [
          tool('valid', { region: { type: 'string', 'x-mcp-header': 'Region' } }),
          tool('bad', { score: { type: 'number', 'x-mcp-header': 'Score' } }),
          { name: 'plain', inputSchema: { type: 'object' } },
        ],
        nextCursor: 'c',
      },
    };
    const kept = withoutInvalidTools(answer, (line) => logs.push(line));
    expect((kept.result as { tools: { name: string }[] }).tools.map((t) => t.name)).toEqual([
      'valid',
      'plain',
    ]);
    expect(kept.result).toMatchObject({ nextCursor: 'c' });
    expect(logs).toEqual(['left out tool "bad": parameter score: a "number" parameter cannot be a header']);
    // Nothing to leave out, or an error: the answer as it came.
    const clean: JsonRpcMessage = { jsonrpc: '2.0', id: 4, result: { tools: [tool('valid', {})] } };
    expect(withoutInvalidTools(clean, () => undefined)).toBe(clean);
    const refused: JsonRpcMessage = { jsonrpc: '2.0', id: 5, error: { code: -32601, message: 'no' } };
    expect(withoutInvalidTools(refused, () => undefined)).toBe(refused);
  });
});

describe('Mcp-Param-* headers of a tools/call', () => {
  const tools = [
    tool('t', {
      region: { type: 'string', 'x-mcp-header': 'Region' },
      priority: { type: 'integer', 'x-mcp-header': 'Priority' },
      verbose: { type: 'boolean', 'x-mcp-header': 'Verbose' },
      text: { type: 'string', 'x-mcp-header': 'Text' },
      nested: { type: 'object', properties: { zone: { type: 'string', 'x-mcp-header': 'Zone' } } },
      query: { type: 'string' },
    }),
  ];

  it('mirrors the declared arguments, plain ASCII as is and anything else base64-wrapped', () => {
    const args = {
      region: 'us west 1',
      priority: 42,
      verbose: false,
      text: ' Hello, 世界',
      query: 'x',
      nested: { zone: 'a' },
    };
    expect(paramHeaders(tools, 't', args)).toEqual({
      'mcp-param-region': 'us west 1',
      'mcp-param-priority': '42',
      'mcp-param-verbose': 'false',
      'mcp-param-text': `=?base64?${Buffer.from(' Hello, 世界').toString('base64')}?=`,
      'mcp-param-zone': 'a',
    });
    for (const value of ['', 'line1\nline2', '\tindented', 'trailing ', '=?base64?x?='])
      expect(paramHeaders(tools, 't', { text: value })['mcp-param-text']).toBe(
        `=?base64?${Buffer.from(value).toString('base64')}?=`,
      );
  });

  it('sends no header for a null, absent or non-primitive argument, nor for a tool it does not know', () => {
    expect(paramHeaders(tools, 't', { region: null, priority: { n: 1 }, verbose: [true] })).toEqual({});
    expect(paramHeaders(tools, 'other', { region: 'x' })).toEqual({});
    expect(paramHeaders(undefined, 't', { region: 'x' })).toEqual({});
    const invalid = [tool('t', { region: { type: 'number', 'x-mcp-header': 'Region' } })];
    expect(paramHeaders(invalid, 't', { region: 1 })).toEqual({});
  });
});
