import { describe, expect, it } from 'vitest';
import {
  fieldIds,
  fieldOfPath,
  initialValues,
  sameJson,
  schemaFields,
  toArguments,
  type SchemaField,
} from './schema-fields.js';

const schema = {
  type: 'object',
  properties: {
    query: { type: 'string', title: 'Search query', description: 'What to look for', format: 'uri' },
    mode: { type: 'string', enum: ['fast', 'full'], default: 'fast' },
    limit: { type: 'integer', default: 10 },
    ratio: { type: 'number' },
    verbose: { type: 'boolean' },
    tags: { type: 'array', items: { type: 'string' } },
    sizes: { type: 'array', items: { type: 'number' } },
    filter: { type: 'object', properties: { a: { type: 'string' } } },
    either: { oneOf: [{ type: 'string' }, { type: 'number' }] },
    rows: { type: 'array', items: { type: 'object' } },
    maybe: { type: ['string', 'null'] },
  },
  required: ['query', 'limit'],
};

const byName = (fields: SchemaField[]) => Object.fromEntries(fields.map((f) => [f.name, f]));

describe('schemaFields', () => {
  it('gives each property a kind, a label, help and whether it is required', () => {
    const fields = byName(schemaFields(schema));
    expect(Object.keys(fields)).toEqual([
      'query',
      'mode',
      'limit',
      'ratio',
      'verbose',
      'tags',
      'sizes',
      'filter',
      'either',
      'rows',
      'maybe',
    ]);
    expect(fields.query).toEqual({
      name: 'query',
      kind: 'text',
      label: 'Search query',
      help: 'What to look for',
      required: true,
    });
    expect(fields.mode).toMatchObject({
      kind: 'select',
      options: ['fast', 'full'],
      label: 'mode',
      default: 'fast',
    });
    expect(fields.limit).toMatchObject({ kind: 'integer', required: true, default: 10 });
    expect(fields.ratio).toMatchObject({ kind: 'number', required: false });
    expect(fields.verbose?.kind).toBe('checkbox');
    expect(fields.tags).toMatchObject({ kind: 'lines', itemType: 'string' });
    expect(fields.sizes).toMatchObject({ kind: 'lines', itemType: 'number' });
    expect(fields.filter?.kind).toBe('json');
    expect(fields.either?.kind).toBe('json');
    expect(fields.rows?.kind).toBe('json');
    expect(fields.maybe?.kind).toBe('text');
  });

  it('has no fields for a schema without properties', () => {
    expect(schemaFields(undefined)).toEqual([]);
    expect(schemaFields({ type: 'object' })).toEqual([]);
    expect(schemaFields({ type: 'object', properties: {} })).toEqual([]);
  });

  it('falls back to JSON for enums that are not plain values and properties that are not schemas', () => {
    const fields = byName(
      schemaFields({ properties: { odd: { enum: [{ a: 1 }] }, weird: true, level: { enum: [1, 2] } } }),
    );
    expect(fields.odd?.kind).toBe('json');
    expect(fields.weird?.kind).toBe('json');
    expect(fields.level).toMatchObject({ kind: 'select', options: [1, 2] });
  });
});

describe('initialValues', () => {
  const fields = schemaFields(schema);

  it('starts from the schema defaults', () => {
    expect(initialValues(fields)).toMatchObject({
      query: '',
      mode: 'fast',
      limit: '10',
      ratio: '',
      verbose: false,
      tags: '',
      filter: '',
    });
  });

  it('prefers given values, shown as text', () => {
    const values = initialValues(fields, {
      query: 'cats',
      mode: 'full',
      limit: 3,
      verbose: true,
      tags: ['a', 'b'],
      sizes: [1, 2.5],
      filter: { a: 'x' },
    });
    expect(values).toMatchObject({
      query: 'cats',
      mode: 'full',
      limit: '3',
      verbose: true,
      tags: 'a\nb',
      sizes: '1\n2.5',
      filter: '{\n  "a": "x"\n}',
    });
  });

  it('leaves a select unset when the given value is not an option', () => {
    expect(initialValues(fields, { mode: 'other' }).mode).toBe('');
  });
});

describe('toArguments', () => {
  const fields = schemaFields(schema);
  const base = { ...initialValues(fields), query: 'cats' };

  it('coerces numbers and leaves out empty optional fields', () => {
    expect(toArguments(fields, { ...base, ratio: ' 0.5 ' })).toEqual({
      args: { query: 'cats', mode: 'fast', limit: 10, ratio: 0.5 },
      errors: {},
    });
  });

  it('reports required fields that are empty', () => {
    const { errors } = toArguments(fields, { ...base, query: '', limit: '  ' });
    expect(errors).toEqual({ query: 'query is required', limit: 'limit is required' });
  });

  it('reports text that is not a number, and fractions where a whole number is wanted', () => {
    expect(toArguments(fields, { ...base, ratio: 'abc' }).errors).toEqual({
      ratio: 'ratio must be a number',
    });
    expect(toArguments(fields, { ...base, ratio: 'Infinity' }).errors).toEqual({
      ratio: 'ratio must be a number',
    });
    expect(toArguments(fields, { ...base, limit: '2.5' }).errors).toEqual({
      limit: 'limit must be a whole number',
    });
  });

  it('sends a checked box, and an unchecked optional one only when its default is true', () => {
    expect(toArguments(fields, { ...base, verbose: true }).args.verbose).toBe(true);
    expect('verbose' in toArguments(fields, base).args).toBe(false);
    const flags = schemaFields({
      properties: { on: { type: 'boolean', default: true }, must: { type: 'boolean' } },
      required: ['must'],
    });
    expect(toArguments(flags, { on: false, must: false }).args).toEqual({ on: false, must: false });
  });

  it('splits lists one item per line, skipping blank lines, and checks numbers per line', () => {
    const args = toArguments(fields, { ...base, tags: ' a \n\nb c\r\n', sizes: '1\n 2.5 \n' }).args;
    expect(args.tags).toEqual(['a', 'b c']);
    expect(args.sizes).toEqual([1, 2.5]);
    expect(toArguments(fields, { ...base, sizes: '1\nx' }).errors.sizes).toBe(
      'sizes must be a number on each line ("x" is not)',
    );
    expect('tags' in toArguments(fields, { ...base, tags: '\n \n' }).args).toBe(false);
  });

  it('parses JSON fields and reports JSON that is not valid', () => {
    expect(toArguments(fields, { ...base, filter: '{"a": "x"}', rows: '[{"n":1}]' }).args).toMatchObject({
      filter: { a: 'x' },
      rows: [{ n: 1 }],
    });
    expect(toArguments(fields, { ...base, filter: '{a:' }).errors).toEqual({
      filter: 'filter must be valid JSON',
    });
  });

  it('maps a select back to the option value, keeping its type', () => {
    const level = schemaFields({ properties: { level: { enum: [1, 2] } }, required: ['level'] });
    expect(toArguments(level, { level: '2' }).args).toEqual({ level: 2 });
    expect(toArguments(level, { level: '' }).errors).toEqual({ level: 'level is required' });
  });

  it('keeps strings as typed, and treats a missing value as empty', () => {
    expect(toArguments(fields, { ...base, query: '  spaced ' }).args.query).toBe('  spaced ');
    expect(toArguments(fields, {}).errors).toEqual({
      query: 'query is required',
      limit: 'limit is required',
    });
  });
});

describe('helpers', () => {
  it('makes unique, id-safe ids from the prefix and names', () => {
    expect(fieldIds('t1', ['name', 'a b', 'a_b'])).toEqual({
      name: 't1-name',
      'a b': 't1-a_b',
      a_b: 't1-a_b-2',
    });
  });

  it('finds the field a problem path points at', () => {
    const names = ['limit', 'odd name'];
    expect(fieldOfPath('limit', names)).toBe('limit');
    expect(fieldOfPath('config.limit', names)).toBe('limit');
    expect(fieldOfPath('config["odd name"]', names)).toBe('odd name');
    expect(fieldOfPath('config.other', names)).toBeUndefined();
    expect(fieldOfPath('', names)).toBeUndefined();
  });

  it('compares JSON values regardless of key order', () => {
    expect(sameJson({ a: 1, b: [1, { c: 2, d: 3 }] }, { b: [1, { d: 3, c: 2 }], a: 1 })).toBe(true);
    expect(sameJson({ a: 1 }, { a: '1' })).toBe(false);
    expect(sameJson([1, 2], [2, 1])).toBe(false);
  });
});

describe('choices, as MCP elicitation schemas (2025-11-25) write them', () => {
  const elicitation = {
    type: 'object',
    properties: {
      hero: {
        type: 'string',
        oneOf: [
          { const: 'hero-1', title: 'Superman' },
          { const: 'hero-2', title: 'Wonder Woman' },
        ],
      },
      pet: { type: 'string', enum: ['pet-1', 'pet-2'], enumNames: ['Cats', 'Dogs'] },
      instruments: {
        type: 'array',
        items: { type: 'string', enum: ['Guitar', 'Piano', 'Drums'] },
        minItems: 1,
        maxItems: 2,
        default: ['Guitar', 'Banjo'],
      },
      fish: {
        type: 'array',
        items: {
          anyOf: [
            { const: 1, title: 'Tuna' },
            { const: 2, title: 'Trout' },
          ],
        },
      },
    },
  };

  it('makes titled and named enums a select with the names, and arrays of choices a multi', () => {
    const fields = byName(schemaFields(elicitation));
    expect(fields.hero).toMatchObject({
      kind: 'select',
      options: ['hero-1', 'hero-2'],
      labels: ['Superman', 'Wonder Woman'],
    });
    expect(fields.pet).toMatchObject({
      kind: 'select',
      options: ['pet-1', 'pet-2'],
      labels: ['Cats', 'Dogs'],
    });
    expect(fields.instruments).toMatchObject({ kind: 'multi', minItems: 1, maxItems: 2 });
    expect(fields.fish).toMatchObject({ kind: 'multi', options: [1, 2], labels: ['Tuna', 'Trout'] });
  });

  it('starts a multi from the default it knows, and gives back the values with their types', () => {
    const fields = schemaFields(elicitation);
    const values = initialValues(fields);
    expect(values.instruments).toBe('Guitar'); // "Banjo" is no option
    expect(toArguments(fields, { ...values, fish: '2\n1' }).args).toMatchObject({
      instruments: ['Guitar'],
      fish: [2, 1],
    });
  });

  it('says how many to choose when a multi has too few or too many', () => {
    const fields = schemaFields(elicitation);
    expect(toArguments(fields, { instruments: 'Guitar\nPiano\nDrums' }).errors).toEqual({
      instruments: 'choose at most 2 for instruments',
    });
    const atLeast = schemaFields({
      properties: { x: { type: 'array', items: { enum: ['a', 'b', 'c'] }, minItems: 2 } },
    });
    expect(toArguments(atLeast, { x: 'a' }).errors).toEqual({ x: 'choose at least 2 for x' });
    expect(toArguments(atLeast, { x: '' })).toEqual({ args: {}, errors: {} }); // optional, left out
  });
});
