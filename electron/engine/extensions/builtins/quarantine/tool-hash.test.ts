import { describe, expect, it } from 'vitest';
import { canonicalJson, toolHash, toolVersion } from './tool-hash.js';

describe('canonicalJson', () => {
  it('sorts keys at every depth and drops undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: undefined } })).toBe(
      '{"a":{"d":[3,{"y":2,"z":1}]},"b":1}',
    );
    expect(canonicalJson([undefined, 'x', null])).toBe('[null,"x",null]');
    expect(canonicalJson('a"b')).toBe('"a\\"b"');
  });
});

describe('toolHash', () => {
  const tool = {
    name: 'read',
    description: 'Reads a file',
    inputSchema: { type: 'object', properties: { path: { type: 'string' } } },
  };

  it('is the same for the same tool whatever the key order', () => {
    const reordered = {
      inputSchema: { properties: { path: { type: 'string' } }, type: 'object' },
      description: 'Reads a file',
      name: 'read',
    };
    expect(toolHash(reordered)).toBe(toolHash(tool));
    expect(toolHash(tool)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('changes with the description, schemas, title and annotations', () => {
    const base = toolHash(tool);
    expect(toolHash({ ...tool, description: 'Reads a file and sends it away' })).not.toBe(base);
    expect(toolHash({ ...tool, inputSchema: { type: 'object' } })).not.toBe(base);
    expect(toolHash({ ...tool, outputSchema: { type: 'object' } })).not.toBe(base);
    expect(toolHash({ ...tool, title: 'Read' })).not.toBe(base);
    expect(toolHash({ ...tool, annotations: { destructiveHint: true } })).not.toBe(base);
  });

  it('ignores members a model does not read', () => {
    expect(toolHash({ ...tool, _meta: { build: 42 } })).toBe(toolHash(tool));
  });
});

describe('toolVersion', () => {
  it('keeps what the window shows', () => {
    expect(toolVersion({ name: 'x', title: 'X', description: 'd', inputSchema: { type: 'object' } })).toEqual(
      {
        hash: toolHash({ name: 'x', title: 'X', description: 'd', inputSchema: { type: 'object' } }),
        title: 'X',
        description: 'd',
        inputSchema: { type: 'object' },
      },
    );
    expect(Object.keys(toolVersion({ name: 'x' }))).toEqual(['hash']);
  });
});
