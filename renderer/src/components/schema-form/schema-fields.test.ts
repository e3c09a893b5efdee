import { describe, expect, it } from 'vitest';
import { unitOf } from './field-units.js';
import {
  fieldIds,
  fieldOfPath,
  initialUnits,
  initialValues,
  mapRow,
  readRows,
  sameJson,
  schemaFields,
  toArguments,
  type MapRow,
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
    // A key of an object field points at the field.
    expect(fieldOfPath('limit.github__x', names)).toBe('limit');
    expect(fieldOfPath('config["odd name"][0]', names)).toBe('odd name');
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

describe('numbers: bounds and units', () => {
  const MB = 1024 * 1024;
  const config = {
    properties: {
      maxFileBytes: {
        type: 'integer',
        title: 'Rotate the log at (bytes)',
        minimum: 65536,
        maximum: 1073741824,
        default: 5 * MB,
      },
      thresholdBytes: { type: 'integer', minimum: 1024, maximum: Number.MAX_SAFE_INTEGER, default: 25600 },
      cooldownSeconds: { type: 'number', title: 'Pause for (seconds)', minimum: 1, maximum: 3600 },
      expiryMinutes: { type: 'integer', title: 'Keep stored replies for (minutes)' },
      debounceMs: { type: 'integer' },
      rate: { type: 'number', exclusiveMinimum: 0 },
      items: { type: 'integer' },
    },
  };

  it('reads the unit from the name, and takes "(bytes)" and the like out of the title', () => {
    const fields = byName(schemaFields(config));
    expect(fields.maxFileBytes).toMatchObject({
      kind: 'integer',
      unit: 'bytes',
      label: 'Rotate the log at',
      range: { minimum: 65536, maximum: 1073741824 },
    });
    // zod's "any safe integer" is no bound a person needs.
    expect(fields.thresholdBytes?.range).toEqual({ minimum: 1024 });
    expect(fields.cooldownSeconds).toMatchObject({ unit: 'seconds', label: 'Pause for' });
    expect(fields.expiryMinutes).toMatchObject({ unit: 'minutes', label: 'Keep stored replies for' });
    expect(fields.debounceMs?.unit).toBe('ms');
    expect(fields.rate).toMatchObject({ range: { exclusiveMinimum: 0 } });
    expect(fields.rate?.unit).toBeUndefined();
    expect(fields.items?.unit).toBeUndefined();
    expect(unitOf('bytes')).toBe('bytes');
    expect(unitOf('timeoutMs')).toBe('ms');
    expect(unitOf('forms')).toBeUndefined();
  });

  it('shows a byte count in its unit, and gives bytes back for the unit picked', () => {
    const fields = schemaFields(config);
    const values = initialValues(fields, { maxFileBytes: 5 * MB });
    const units = initialUnits(fields, { maxFileBytes: 5 * MB });
    expect(values.maxFileBytes).toBe('5');
    expect(values.thresholdBytes).toBe('25');
    expect(units).toEqual({ maxFileBytes: MB, thresholdBytes: 1024 });
    expect(toArguments(fields, values, { units }).args).toMatchObject({
      maxFileBytes: 5 * MB,
      thresholdBytes: 25600,
    });
    // A fraction of a KB or MB is fine: the bytes are what must be whole.
    expect(toArguments(fields, { ...values, maxFileBytes: '0.3' }, { units }).args.maxFileBytes).toBe(314573);
    expect(
      toArguments(fields, { ...values, maxFileBytes: '10.5' }, { units: { ...units, maxFileBytes: 1 } })
        .errors.maxFileBytes,
    ).toBe('maxFileBytes must be a whole number');
    expect(toArguments(fields, { ...values, maxFileBytes: '2048' }, { units }).errors.maxFileBytes).toBe(
      'maxFileBytes must be at most 1024 MB',
    );
  });

  it('checks the bounds, saying them in the unit of the field', () => {
    const fields = schemaFields(config);
    expect(toArguments(fields, { cooldownSeconds: '0.5' }).errors).toEqual({
      cooldownSeconds: 'cooldownSeconds must be at least 1 second',
    });
    expect(toArguments(fields, { cooldownSeconds: '4000' }).errors.cooldownSeconds).toBe(
      'cooldownSeconds must be at most 3600 seconds',
    );
    expect(toArguments(fields, { rate: '0' }).errors.rate).toBe('rate must be more than 0');
    expect(toArguments(fields, { rate: '0.1', cooldownSeconds: '1' }).errors).toEqual({});
  });

  it('reports a number the input could not read, even though it reads as empty', () => {
    const fields = schemaFields(config);
    expect(toArguments(fields, { rate: '' }, { badInput: new Set(['rate']) }).errors).toEqual({
      rate: 'rate must be a number',
    });
  });
});

describe('maps: an object of numbers by name', () => {
  const schema = {
    properties: {
      perTool: {
        type: 'object',
        title: 'Per-tool rates',
        propertyNames: { type: 'string', pattern: '.__.' },
        additionalProperties: { type: 'number', exclusiveMinimum: 0, maximum: 1000000 },
        default: {},
      },
      weights: { type: 'object', additionalProperties: { type: 'integer', title: 'Weight' } },
      mixed: {
        type: 'object',
        properties: { a: { type: 'string' } },
        additionalProperties: { type: 'number' },
      },
      anything: { type: 'object', additionalProperties: true },
    },
  };
  const fields = schemaFields(schema);
  const perTool = byName(fields).perTool!;
  const rows = (...pairs: [string, string][]): MapRow[] => pairs.map(([k, v]) => mapRow(k, v));

  it('makes an object of numbers a map; other objects stay JSON', () => {
    expect(perTool).toMatchObject({
      kind: 'map',
      valueType: 'number',
      entryNoun: 'tool',
      valueLabel: 'Rate',
      range: { exclusiveMinimum: 0, maximum: 1000000 },
    });
    expect(byName(fields).weights).toMatchObject({
      kind: 'map',
      valueType: 'integer',
      entryNoun: 'entry',
      valueLabel: 'Weight',
    });
    expect(byName(fields).mixed?.kind).toBe('json');
    expect(byName(fields).anything?.kind).toBe('json');
  });

  it('starts from the given object as rows, and gives the same object back', () => {
    const values = initialValues(fields, { perTool: { echo__echo: 30, a__b: 2.5 } });
    expect((values.perTool as MapRow[]).map(({ key, value }) => [key, value])).toEqual([
      ['echo__echo', '30'],
      ['a__b', '2.5'],
    ]);
    expect(toArguments(fields, values).args).toEqual({ perTool: { echo__echo: 30, a__b: 2.5 } });
    expect(initialValues(fields).perTool).toEqual([]);
    expect('perTool' in toArguments(fields, initialValues(fields)).args).toBe(false);
  });

  it('skips blank rows, and says which row is wrong and how', () => {
    expect(readRows(perTool, rows([' a__b ', ' 3 '], ['', ''])).value).toEqual({ a__b: 3 });
    const { problems } = readRows(
      perTool,
      rows(['', '4'], ['a__b', '1'], ['a__b', '2'], ['c__d', ''], ['e__f', '0'], ['g__h', '2e9']),
    );
    expect(problems.map(({ part, message }) => [part, message])).toEqual([
      ['key', 'the tool in row 1 needs a name'],
      ['key', '"a__b" is listed twice'],
      ['value', '"c__d" needs a number'],
      ['value', '"e__f" must be more than 0'],
      ['value', '"g__h" must be at most 1000000'],
    ]);
    const weights = byName(fields).weights!;
    expect(readRows(weights, rows(['x', '1.5'])).problems[0]?.message).toBe('"x" must be a whole number');
    expect(toArguments(fields, { perTool: rows(['x__y', '0']) }).errors).toEqual({
      perTool: 'perTool: "x__y" must be more than 0',
    });
  });
});
