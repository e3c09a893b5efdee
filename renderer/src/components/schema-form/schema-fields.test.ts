import { describe, expect, it } from 'vitest';
import {
  byName,
  elicitationSchema,
  kindsSchema,
  mapsSchema,
  numbersSchema,
} from '../../testing/field-schemas.js';
import { unitOf } from './field-units.js';
import { schemaFields } from './schema-fields.js';

describe('schemaFields', () => {
  it('gives each property a kind, a label, help and whether it is required', () => {
    const fields = byName(schemaFields(kindsSchema));
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

describe('choices, as MCP elicitation schemas (2025-11-25) write them', () => {
  it('makes titled and named enums a select with the names, and arrays of choices a multi', () => {
    const fields = byName(schemaFields(elicitationSchema));
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
});

describe('numbers: bounds and units', () => {
  it('reads the unit from the name, and takes "(bytes)" and the like out of the title', () => {
    const fields = byName(schemaFields(numbersSchema));
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
});

describe('maps: an object of numbers by name', () => {
  const fields = schemaFields(mapsSchema);
  const perTool = byName(fields).perTool!;

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
});
