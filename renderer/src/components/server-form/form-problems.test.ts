import { describe, expect, it } from 'vitest';
import { emptyFields, entryFromFields, row, type ServerFields } from './form-model.js';
import { fieldOf, sortProblems, validate } from './form-problems.js';

const fields = (change: Partial<ServerFields>): ServerFields => ({ ...emptyFields(), ...change });

describe('server form problems', () => {
  it('sorts the schema problems to their fields', () => {
    const entry = entryFromFields(fields({ debounceMs: 'soon' }));
    const problems = validate(fields({ name: 'bad name!' }), entry, { adding: true, taken: [] });
    expect(problems.fields.command).toEqual(['required — add it (string)']);
    expect(problems.fields.debounceMs).toEqual(['must be a number, not a string']);
    expect(problems.fields.name?.[0]).toMatch(/letters, digits/);
    expect(
      validate(
        fields({ name: 'notes', command: 'x' }),
        { type: 'stdio', command: 'x' },
        {
          adding: true,
          taken: ['notes'],
        },
      ).fields.name,
    ).toEqual(['a server named "notes" already exists']);
  });

  it('flags env rows without a name, or set twice', () => {
    const f = fields({ command: 'x', env: [row('', 'v'), row('A', '1'), row('A', '2')] });
    expect(validate(f, entryFromFields(f), { adding: false, taken: [] }).fields.env).toEqual([
      'the value "v" needs a name',
      '"A" is set twice',
    ]);
  });

  it('maps the engine problem paths to fields', () => {
    expect(fieldOf('config.command')).toBe('command');
    expect(fieldOf('config.env.TOKEN')).toBe('env');
    expect(fieldOf('args[0]')).toBe('args');
    expect(fieldOf('server')).toBe('name');
    expect(fieldOf('config')).toBeUndefined();
    // Problems with the entry as the whole file holds it point at the same fields.
    expect(fieldOf('mcpServers.notes.command')).toBe('command');
    expect(fieldOf('mcpServers["my server"].env.TOKEN')).toBe('env');
    expect(fieldOf('mcpServers.notes')).toBeUndefined();
    expect(
      sortProblems([
        { path: 'config', message: 'broken' },
        { path: 'config.url', message: 'bad' },
      ]),
    ).toEqual({
      fields: { url: ['bad'] },
      other: ['config: broken'],
    });
  });
});
