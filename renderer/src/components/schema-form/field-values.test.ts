import { describe, expect, it } from 'vitest';
import {
  elicitationSchema,
  kindsSchema,
  mapsSchema,
  MB,
  numbersSchema,
} from '../../testing/field-schemas.js';
import { initialUnits, initialValues, toArguments } from './field-values.js';
import { mapRow, type MapRow } from './map-rows.js';
import { schemaFields } from './schema-fields.js';

describe('initialValues', () => {
  const fields = schemaFields(kindsSchema);

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
  const fields = schemaFields(kindsSchema);
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

describe('choices, as MCP elicitation schemas (2025-11-25) write them', () => {
  it('starts a multi from the default it knows, and gives back the values with their types', () => {
    const fields = schemaFields(elicitationSchema);
    const values = initialValues(fields);
    expect(values.instruments).toBe('Guitar'); // "Banjo" is no option
    expect(toArguments(fields, { ...values, fish: '2\n1' }).args).toMatchObject({
      instruments: ['Guitar'],
      fish: [2, 1],
    });
  });

  it('says how many to choose when a multi has too few or too many', () => {
    const fields = schemaFields(elicitationSchema);
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
  it('shows a byte count in its unit, and gives bytes back for the unit picked', () => {
    const fields = schemaFields(numbersSchema);
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
    const fields = schemaFields(numbersSchema);
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
    const fields = schemaFields(numbersSchema);
    expect(toArguments(fields, { rate: '' }, { badInput: new Set(['rate']) }).errors).toEqual({
      rate: 'rate must be a number',
    });
  });
});

describe('maps: an object of numbers by name', () => {
  const fields = schemaFields(mapsSchema);

  it('starts from the given object as rows, and gives the same object back, or what is wrong with it', () => {
    const values = initialValues(fields, { perTool: { echo__echo: 30, a__b: 2.5 } });
    expect((values.perTool as MapRow[]).map(({ key, value }) => [key, value])).toEqual([
      ['echo__echo', '30'],
      ['a__b', '2.5'],
    ]);
    expect(toArguments(fields, values).args).toEqual({ perTool: { echo__echo: 30, a__b: 2.5 } });
    expect(initialValues(fields).perTool).toEqual([]);
    expect('perTool' in toArguments(fields, initialValues(fields)).args).toBe(false);
    expect(toArguments(fields, { perTool: [mapRow('x__y', '0')] }).errors).toEqual({
      perTool: 'perTool: "x__y" must be more than 0',
    });
  });
});
