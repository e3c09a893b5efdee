/** Schemas the schema form's tests share, one per family of rules, and a way to look fields up. */

import type { SchemaField } from '../components/schema-form/schema-fields.js';

export const MB = 1024 * 1024;

/** A tool's input: one property of each kind. */
export const kindsSchema = {
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

/** Choices, as MCP elicitation schemas (2025-11-25) write them. */
export const elicitationSchema = {
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

/** A config's numbers: bounds, and units read from the names. */
export const numbersSchema = {
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

/** Objects of numbers by name (maps), and objects that are not. */
export const mapsSchema = {
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

export const byName = (fields: SchemaField[]) => Object.fromEntries(fields.map((f) => [f.name, f]));
