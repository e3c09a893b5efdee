import { describe, expect, it } from 'vitest';
import { jsonLayout, parseJsonc, setJsonValue } from './jsonc-text.js';

const BOM = '\uFEFF';

describe('parseJsonc', () => {
  it('reads comments and trailing commas', () => {
    const text = '{\n  // line\n  "a": 1, /* block */\n  "b": [1, 2,],\n}\n';
    expect(parseJsonc(text, 'f.json')).toEqual({ ok: true, value: { a: 1, b: [1, 2] } });
  });

  it('skips a byte-order mark', () => {
    expect(parseJsonc(`${BOM}{"a":1}`, 'f.json')).toEqual({ ok: true, value: { a: 1 } });
  });

  it('reads an empty (or blank, or BOM-only) file as an empty object', () => {
    for (const text of ['', '  \n\t\r\n', BOM])
      expect(parseJsonc(text, 'f.json')).toEqual({ ok: true, value: {} });
  });

  it('points at a syntax error by line and column, naming the file', () => {
    const result = parseJsonc('{\n  "a": 1,\n  "b" 2\n}\n', '/x/mcp.json');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problem).toMatch(/^\/x\/mcp\.json is not valid JSON at line 3, column 7 \(ColonExpected\)/);
  });

  it('counts lines and columns after a BOM and CRLF the same way', () => {
    const result = parseJsonc(`${BOM}{\r\n  "a": 1,\r\n  "b" 2\r\n}\r\n`, 'f.json');
    expect(!result.ok && result.problem).toMatch(/at line 3, column 7 /);
  });

  it.each([
    ['[1, 2]', 'an array'],
    ['"text"', 'a string'],
    ['42', 'a number'],
    ['null', 'null'],
  ])('refuses %s at the top', (text, what) => {
    const result = parseJsonc(text, 'f.json');
    expect(result.ok).toBe(false);
    expect(!result.ok && result.problem).toContain(`must hold a JSON object ({...}) at the top, not ${what}`);
  });
});

describe('jsonLayout', () => {
  it('finds tab indentation', () => {
    expect(jsonLayout('{\n\t"a": {\n\t\t"b": 1\n\t}\n}\n')).toEqual({
      bom: false,
      eol: '\n',
      insertSpaces: false,
      tabSize: 2,
    });
  });

  it('finds 4-space indentation, CRLF and a BOM', () => {
    expect(jsonLayout(`${BOM}{\r\n    "a": {\r\n        "b": 1\r\n    }\r\n}\r\n`)).toEqual({
      bom: true,
      eol: '\r\n',
      insertSpaces: true,
      tabSize: 4,
    });
  });

  it('defaults to 2 spaces and LF for a one-line file', () => {
    expect(jsonLayout('{"a":1}')).toEqual({ bom: false, eol: '\n', insertSpaces: true, tabSize: 2 });
  });
});

describe('setJsonValue', () => {
  const file = [
    '{',
    '  // my servers',
    '  "mcpServers": {',
    '    "a": {',
    '      "command": "a" // run a',
    '    }',
    '  },',
    '  /* keep me */ "other": [1,2,   3],',
    '  "z": {"x":1}',
    '}',
    '',
  ].join('\n');

  it('adds a key, leaving comments and every other key byte for byte', () => {
    const out = setJsonValue(file, ['mcpServers', 'b'], { command: 'b', args: ['-y'] });
    expect(out).toBe(
      [
        '{',
        '  // my servers',
        '  "mcpServers": {',
        '    "a": {',
        '      "command": "a" // run a',
        '    },',
        '    "b": {',
        '      "command": "b",',
        '      "args": [',
        '        "-y"',
        '      ]',
        '    }',
        '  },',
        '  /* keep me */ "other": [1,2,   3],',
        '  "z": {"x":1}',
        '}',
        '',
      ].join('\n'),
    );
  });

  it('replaces a key in place', () => {
    const out = setJsonValue(file, ['mcpServers', 'a'], { command: 'A' });
    expect(out).toBe(
      file.replace('{\n      "command": "a" // run a\n    }', '{\n      "command": "A"\n    }'),
    );
  });

  it('removes a key and nothing else', () => {
    const text = '{\n  // servers\n  "mcpServers": {\n    "a": 1,\n    "b": 2\n  },\n  "c": 3 // c\n}\n';
    expect(setJsonValue(text, ['mcpServers', 'b'], undefined)).toBe(
      '{\n  // servers\n  "mcpServers": {\n    "a": 1\n  },\n  "c": 3 // c\n}\n',
    );
    expect(setJsonValue(text, ['mcpServers', 'a'], undefined)).toBe(
      '{\n  // servers\n  "mcpServers": {\n    "b": 2\n  },\n  "c": 3 // c\n}\n',
    );
  });

  it('adds a missing parent object, in the file’s indentation', () => {
    const out = setJsonValue('{\n    "theme": "dark"\n}\n', ['servers', 'x'], { type: 'stdio' });
    expect(out).toBe(
      '{\n    "theme": "dark",\n    "servers": {\n        "x": {\n            "type": "stdio"\n        }\n    }\n}\n',
    );
  });

  it('writes an empty file as a new object', () => {
    expect(JSON.parse(setJsonValue('', ['mcpServers', 'x'], { command: 'x' }))).toEqual({
      mcpServers: { x: { command: 'x' } },
    });
  });

  it('keeps a BOM, CRLF and tabs', () => {
    const text = `${BOM}{\r\n\t"other": 1, // note\r\n\t"mcpServers": {}\r\n}\r\n`;
    const out = setJsonValue(text, ['mcpServers', 'a'], { command: 'x' });
    expect(out.startsWith(`${BOM}{\r\n\t"other": 1, // note\r\n\t"mcpServers": {`)).toBe(true);
    expect(out).not.toMatch(/[^\r]\n/);
    expect(out).toContain('\r\n\t\t"a": {\r\n\t\t\t"command": "x"\r\n\t\t}\r\n');
    expect(parseJsonc(out, 'f')).toEqual({
      ok: true,
      value: { other: 1, mcpServers: { a: { command: 'x' } } },
    });
  });
});
