/**
 * Form text ↔ values: what each field shows at first, and the arguments object read back from what
 * was entered (numbers coerced, empty optional fields left out, what is wrong per field).
 */

import { byteUnitOf } from './field-units.js';
import { isObject, isPrimitive } from './json-values.js';
import { mapRow, readRows, type MapRow } from './map-rows.js';
import { parseNumber, rangeProblem } from './number-checks.js';
import type { SchemaField } from './schema-fields.js';

/**
 * What a person entered: text for most fields (a `multi` holds its keys, one per line; a number as
 * the input gives it, in the unit picked), a boolean for checkboxes, rows for a `map`.
 */
export type FieldValue = string | boolean | readonly MapRow[];
export type FieldValues = Record<string, FieldValue>;

/** Per `…Bytes` field, the factor of the unit picked (1, 1024, 1048576). */
export type FieldUnits = Record<string, number>;

export interface FormOutcome {
  args: Record<string, unknown>;
  /** Per field name, what is wrong with it. */
  errors: Record<string, string>;
}

function text(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (isPrimitive(value)) return String(value);
  return JSON.stringify(value);
}

const isBytes = (field: SchemaField) => field.unit === 'bytes';

const given = (field: SchemaField, values: Record<string, unknown>) =>
  field.name in values ? values[field.name] : field.default;

/** The unit each `…Bytes` field starts in: the largest that shows its value as a whole number. */
export function initialUnits(
  fields: readonly SchemaField[],
  values: Record<string, unknown> = {},
): FieldUnits {
  const units: FieldUnits = {};
  for (const field of fields.filter(isBytes)) {
    const value = given(field, values);
    units[field.name] = typeof value === 'number' ? byteUnitOf(value) : 1;
  }
  return units;
}

/** What each field shows at first: the given value (e.g. the current config), else the schema default. */
export function initialValues(
  fields: readonly SchemaField[],
  values: Record<string, unknown> = {},
): FieldValues {
  const shown: FieldValues = {};
  const units = initialUnits(fields, values);
  for (const field of fields) {
    const value = given(field, values);
    switch (field.kind) {
      case 'checkbox':
        shown[field.name] = value === true;
        break;
      case 'select':
        shown[field.name] = field.options?.some((o) => String(o) === String(value)) ? String(value) : '';
        break;
      case 'multi':
        shown[field.name] = (Array.isArray(value) ? value : [])
          .filter((v) => field.options?.some((o) => String(o) === String(v)))
          .map(String)
          .join('\n');
        break;
      case 'lines':
        shown[field.name] = Array.isArray(value) ? value.map(text).join('\n') : text(value);
        break;
      case 'map':
        shown[field.name] = isObject(value) ? Object.entries(value).map(([k, v]) => mapRow(k, text(v))) : [];
        break;
      case 'number':
      case 'integer':
        shown[field.name] =
          typeof value === 'number' && isBytes(field)
            ? String(value / (units[field.name] ?? 1))
            : text(value);
        break;
      case 'json':
        shown[field.name] = value === undefined ? '' : JSON.stringify(value, null, 2);
        break;
      default:
        shown[field.name] = text(value);
    }
  }
  return shown;
}

type Parsed = { value: unknown } | { error: string } | 'empty';

/** A number field: as typed, times its unit (a whole number of bytes when the schema wants integers). */
function parseAmount(field: SchemaField, raw: string, factor: number): Parsed {
  if (raw.trim() === '') return 'empty';
  const integer = field.kind === 'integer';
  // In KB or MB a fraction is fine (1.5 MB): it is the bytes that must be whole, so they are rounded.
  const parsed = parseNumber(field.name, raw.trim(), integer && factor === 1);
  if ('error' in parsed) return parsed;
  const value = factor === 1 ? parsed.value : parsed.value * factor;
  const amount = integer && factor !== 1 ? Math.round(value) : value;
  const problem = rangeProblem(amount, field.range, field.unit);
  return problem ? { error: `${field.name} ${problem}` } : { value: amount };
}

function parseField(field: SchemaField, raw: FieldValue, factor: number): Parsed {
  const { name } = field;
  if (field.kind === 'map') {
    const { value, problems } = readRows(field, Array.isArray(raw) ? raw : []);
    if (problems.length > 0) return { error: `${name}: ${problems.map((p) => p.message).join('; ')}` };
    return Object.keys(value).length === 0 ? 'empty' : { value };
  }
  return parseText(field, typeof raw === 'string' ? raw : '', factor);
}

function parseText(field: SchemaField, raw: string, factor: number): Parsed {
  const { name } = field;
  switch (field.kind) {
    case 'text':
      return raw === '' ? 'empty' : { value: raw };
    case 'select':
      if (raw === '') return 'empty';
      return { value: field.options?.find((o) => String(o) === raw) ?? raw };
    case 'multi': {
      const keys = raw.split('\n').filter((key) => key !== '');
      if (keys.length === 0) return 'empty';
      const count = keys.length;
      if (field.minItems !== undefined && count < field.minItems)
        return { error: `choose at least ${field.minItems} for ${name}` };
      if (field.maxItems !== undefined && count > field.maxItems)
        return { error: `choose at most ${field.maxItems} for ${name}` };
      return { value: keys.map((key) => field.options?.find((o) => String(o) === key) ?? key) };
    }
    case 'number':
    case 'integer':
      return parseAmount(field, raw, factor);
    case 'lines': {
      const lines = raw
        .split('\n')
        .map((line) => line.trim())
        .filter((line) => line !== '');
      if (lines.length === 0) return 'empty';
      if (field.itemType === 'string') return { value: lines };
      const numbers: number[] = [];
      for (const line of lines) {
        const parsed = parseNumber(name, line, field.itemType === 'integer');
        if ('error' in parsed) return { error: `${parsed.error} on each line ("${line}" is not)` };
        numbers.push(parsed.value);
      }
      return { value: numbers };
    }
    default:
      if (raw.trim() === '') return 'empty';
      try {
        return { value: JSON.parse(raw) as unknown };
      } catch {
        return { error: `${name} must be valid JSON` };
      }
  }
}

export interface ArgumentOptions {
  /** The unit picked for each `…Bytes` field (bytes when not given). */
  units?: FieldUnits;
  /** Number fields holding text the input could not read as a number (the browser reports it empty). */
  badInput?: ReadonlySet<string>;
}

/** The arguments the entered values make: numbers coerced, empty optional fields left out. */
export function toArguments(
  fields: readonly SchemaField[],
  values: FieldValues,
  options: ArgumentOptions = {},
): FormOutcome {
  const args: Record<string, unknown> = {};
  const errors: Record<string, string> = {};
  for (const field of fields) {
    const raw = values[field.name];
    if (field.kind === 'checkbox') {
      const on = raw === true;
      // An unchecked optional box means "not set" unless that differs from the schema's default.
      if (field.required || on || field.default === true) args[field.name] = on;
      continue;
    }
    if (options.badInput?.has(field.name)) {
      errors[field.name] = `${field.name} must be a number`;
      continue;
    }
    const parsed = parseField(field, raw ?? '', options.units?.[field.name] ?? 1);
    if (parsed === 'empty') {
      if (field.required) errors[field.name] = `${field.name} is required`;
    } else if ('error' in parsed) errors[field.name] = parsed.error;
    else args[field.name] = parsed.value;
  }
  return { args, errors };
}
