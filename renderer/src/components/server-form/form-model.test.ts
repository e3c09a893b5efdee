import { describe, expect, it } from 'vitest';
import {
  emptyFields,
  entryFromFields,
  fieldsFromEntry,
  row,
  secretReference,
  type ServerFields,
} from './form-model.js';
import { checkEntry } from './form-problems.js';

const fields = (change: Partial<ServerFields>): ServerFields => ({ ...emptyFields(), ...change });

describe('server form model', () => {
  it('builds a stdio entry from the fields, leaving out what is empty or default', () => {
    const entry = entryFromFields(
      fields({
        command: ' npx ',
        args: '-y\n\n @modelcontextprotocol/server-memory \n',
        env: [row('TOKEN', '${secret:gh}'), row('', '')],
        watch: 'src\n',
        debounceMs: 250,
      }),
    );
    expect(entry).toEqual({
      type: 'stdio',
      command: 'npx',
      args: ['-y', '@modelcontextprotocol/server-memory'],
      env: { TOKEN: '${secret:gh}' },
      watch: ['src'],
      debounceMs: 250,
    });
    expect(checkEntry(entry)).toEqual([]);
  });

  it('builds an http entry with headers and says so when it is switched off', () => {
    const entry = entryFromFields(
      fields({
        type: 'http',
        command: 'left over from stdio',
        url: 'https://mcp.example.com/mcp',
        headers: [row('Authorization', 'Bearer ${secret:api}')],
        enabled: false,
        description: 'Remote notes',
      }),
    );
    expect(entry).toEqual({
      type: 'http',
      url: 'https://mcp.example.com/mcp',
      headers: { Authorization: 'Bearer ${secret:api}' },
      enabled: false,
      description: 'Remote notes',
    });
  });

  it('keeps the keys it does not know, and a type the entry left implicit', () => {
    const base = {
      command: 'node',
      args: ['a.js'],
      restart: { baseDelayMs: 5 },
      custom: { x: 1 },
      enabled: true,
    };
    const f = fieldsFromEntry('notes', base);
    expect(f).toMatchObject({ name: 'notes', type: 'stdio', command: 'node', args: 'a.js', enabled: true });
    f.args = 'b.js';
    expect(entryFromFields(f, base)).toEqual({
      command: 'node',
      args: ['b.js'],
      restart: { baseDelayMs: 5 },
      custom: { x: 1 },
      enabled: true,
    });
    // Switching to a remote server drops the stdio keys, names the type, and keeps the rest.
    f.type = 'sse';
    f.url = 'http://localhost:9000/sse';
    expect(entryFromFields(f, base)).toEqual({
      restart: { baseDelayMs: 5 },
      custom: { x: 1 },
      enabled: true,
      type: 'sse',
      url: 'http://localhost:9000/sse',
    });
  });

  it('writes secret references', () => {
    expect(secretReference(' github-token ')).toBe('${secret:github-token}');
  });
});
