/**
 * JSON Schema (an object's `properties`) → form fields, and entered values → the arguments object.
 * Pure, so the fiddly rules (what is left out, what is coerced, what is an error) are tested alone.
 */

import { amountText, byteUnitOf, unitOf, type FieldUnit } from './field-units.js';

export type FieldKind =
  'text' | 'select' | 'multi' | 'number' | 'integer' | 'checkbox' | 'lines' | 'json' | 'map';

export type Primitive = string | number | boolean;

/** The bounds a schema sets on a number (JSON Schema 2020-12 spelling). */
export interface NumberRange {
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
}

export interface SchemaField {
  name: string;
  kind: FieldKind;
  /** The schema's `title`, else the property name. */
  label: string;
  /** The schema's `description`. */
  help?: string;
  required: boolean;
  /** `select` and `multi`: the allowed values; an option's key is `String(value)`. */
  options?: readonly Primitive[];
  /** What each option is called, where the schema names them (`oneOf` titles, `enumNames`). */
  labels?: readonly string[];
  /** `multi`: how many may be chosen. */
  minItems?: number;
  maxItems?: number;
  /** `lines`: what each line must be. */
  itemType?: 'string' | 'number' | 'integer';
  /** `number`/`integer`: what it counts (from the name), shown beside the input. */
  unit?: FieldUnit;
  /** `number`/`integer`, and a `map`'s values: the schema's bounds. */
  range?: NumberRange;
  /** `map` (an object of numbers by name, e.g. per-tool rates): what each value must be. */
  valueType?: 'number' | 'integer';
  /** `map`: what one entry is called ("tool"), and the heading of the values ("Rate"). */
  entryNoun?: string;
  valueLabel?: string;
  default?: unknown;
}

/** One name → number entry of a `map` field, as typed. */
export interface MapRow {
  id: number;
  key: string;
  value: string;
}

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

type Schema = Record<string, unknown>;

const isObject = (value: unknown): value is Schema =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const isPrimitive = (value: unknown): value is Primitive =>
  typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';

/** The one type a schema has (`["string", "null"]` counts as string), else undefined. */
function singleType(schema: Schema): string | undefined {
  const type = schema.type;
  if (typeof type === 'string') return type;
  if (Array.isArray(type)) {
    const rest = type.filter((t) => t !== 'null');
    return rest.length === 1 && typeof rest[0] === 'string' ? rest[0] : undefined;
  }
  return undefined;
}

type Choices = Pick<SchemaField, 'options' | 'labels'>;

/** `enum` values (named by `enumNames`, as older elicitation schemas do), or undefined. */
function enumChoices(schema: Schema): Choices | undefined {
  const options = schema.enum;
  if (!Array.isArray(options) || options.length === 0 || !options.every(isPrimitive)) return undefined;
  const names = schema.enumNames;
  const named =
    Array.isArray(names) && names.length === options.length && names.every((n) => typeof n === 'string');
  return { options, ...(named ? { labels: names } : {}) };
}

/** `oneOf`/`anyOf` of `{ const, title }` (titled enums, as MCP elicitation writes them), or undefined. */
function constChoices(list: unknown): Choices | undefined {
  if (!Array.isArray(list) || list.length === 0) return undefined;
  if (!list.every((item) => isObject(item) && isPrimitive(item.const))) return undefined;
  const items = list as Schema[];
  return {
    options: items.map((item) => item.const as Primitive),
    labels: items.map((item) => (typeof item.title === 'string' ? item.title : String(item.const))),
  };
}

function choicesOf(schema: Schema): Choices | undefined {
  return enumChoices(schema) ?? constChoices(schema.oneOf) ?? constChoices(schema.anyOf);
}

/** Bounds a control can use: numbers only, and none of zod's "any safe integer" stand-ins. */
function rangeOf(schema: Schema): NumberRange | undefined {
  const range: NumberRange = {};
  const usable = (value: unknown): value is number =>
    typeof value === 'number' && Number.isFinite(value) && Math.abs(value) < Number.MAX_SAFE_INTEGER;
  if (usable(schema.minimum)) {
    if (schema.exclusiveMinimum === true) range.exclusiveMinimum = schema.minimum;
    else range.minimum = schema.minimum;
  }
  if (usable(schema.maximum)) {
    if (schema.exclusiveMaximum === true) range.exclusiveMaximum = schema.maximum;
    else range.maximum = schema.maximum;
  }
  if (usable(schema.exclusiveMinimum)) range.exclusiveMinimum = schema.exclusiveMinimum;
  if (usable(schema.exclusiveMaximum)) range.exclusiveMaximum = schema.exclusiveMaximum;
  return Object.keys(range).length > 0 ? range : undefined;
}

/** An object whose every value is a number (`additionalProperties: {type: number}`), else undefined. */
function mapOf(schema: Schema): Pick<SchemaField, 'kind' | 'valueType' | 'range'> | undefined {
  const values = schema.additionalProperties;
  if (!isObject(values) || choicesOf(values)) return undefined;
  if (isObject(schema.properties) && Object.keys(schema.properties).length > 0) return undefined;
  const type = singleType(values);
  if (type !== 'number' && type !== 'integer') return undefined;
  const range = rangeOf(values);
  return { kind: 'map', valueType: type, ...(range ? { range } : {}) };
}

function kindOf(
  schema: Schema,
): Pick<SchemaField, 'kind' | 'options' | 'labels' | 'itemType' | 'range' | 'valueType'> {
  const choices = choicesOf(schema);
  if (choices) return { kind: 'select', ...choices };
  // Other combinators and references have no single shape a simple control could hold.
  if (['oneOf', 'anyOf', 'allOf', '$ref', 'not', 'enum'].some((key) => key in schema))
    return { kind: 'json' };
  const type = singleType(schema);
  switch (type) {
    case 'string':
      return { kind: 'text' };
    case 'number':
    case 'integer': {
      const range = rangeOf(schema);
      return { kind: type, ...(range ? { range } : {}) };
    }
    case 'object':
      return mapOf(schema) ?? { kind: 'json' };
    case 'boolean':
      return { kind: 'checkbox' };
    case 'array': {
      const items = isObject(schema.items) ? schema.items : undefined;
      const itemChoices = items ? choicesOf(items) : undefined;
      if (itemChoices) return { kind: 'multi', ...itemChoices };
      const itemType = items && !('enum' in items) ? singleType(items) : undefined;
      if (itemType === 'string' || itemType === 'number' || itemType === 'integer') {
        return { kind: 'lines', itemType };
      }
      return { kind: 'json' };
    }
    default:
      return { kind: 'json' };
  }
}

/** A title's own "(bytes)" or "(seconds)": the control shows the unit instead. */
const UNIT_IN_TITLE = /\s*\((?:in\s+)?(?:bytes|seconds|secs?|minutes|mins?|ms|milliseconds)\)\s*$/i;

/** What one entry of a `map` is called: `perTool` → "tool", else "entry". */
function entryNounOf(name: string): string {
  const per = /^per([A-Z][A-Za-z]*)$/.exec(name)?.[1];
  return per ? per.charAt(0).toLowerCase() + per.slice(1) : 'entry';
}

/** The heading of a `map`'s values: their own title, else the label's last word ("Per-tool rates" → "Rate"). */
function valueLabelOf(values: Schema, label: string): string {
  if (typeof values.title === 'string' && values.title !== '') return values.title;
  const words = label.trim().split(/\s+/);
  const last = words.length > 1 ? words.at(-1)! : '';
  if (!/^[a-z]+$/i.test(last)) return 'Value';
  const singular = last.length > 3 && last.endsWith('s') && !last.endsWith('ss') ? last.slice(0, -1) : last;
  return singular.charAt(0).toUpperCase() + singular.slice(1);
}

/** The fields of an object schema, in the order of its `properties`. None when it has no properties. */
export function schemaFields(schema: Schema | undefined): SchemaField[] {
  if (!schema || !isObject(schema.properties)) return [];
  const required = new Set(Array.isArray(schema.required) ? schema.required : []);
  return Object.entries(schema.properties).map(([name, raw]) => {
    const property = isObject(raw) ? raw : {};
    const field: SchemaField = {
      name,
      ...kindOf(property),
      label: typeof property.title === 'string' && property.title !== '' ? property.title : name,
      required: required.has(name),
    };
    if (field.kind === 'number' || field.kind === 'integer') {
      const unit = unitOf(name);
      if (unit) {
        field.unit = unit;
        field.label = field.label.replace(UNIT_IN_TITLE, '') || field.label;
      }
    }
    if (field.kind === 'map') {
      field.entryNoun = entryNounOf(name);
      field.valueLabel = valueLabelOf(property.additionalProperties as Schema, field.label);
    }
    if (typeof property.description === 'string' && property.description !== '') {
      field.help = property.description;
    }
    if ('default' in property) field.default = property.default;
    if (field.kind === 'multi') {
      if (typeof property.minItems === 'number') field.minItems = property.minItems;
      if (typeof property.maxItems === 'number') field.maxItems = property.maxItems;
    }
    return field;
  });
}

function text(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (isPrimitive(value)) return String(value);
  return JSON.stringify(value);
}

const isBytes = (field: SchemaField) => field.unit === 'bytes';

let nextRowId = 1;
/** A new row of a `map` field. */
export function mapRow(key = '', value = ''): MapRow {
  return { id: nextRowId++, key, value };
}

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

/** Why a number is outside the schema's bounds, or undefined when it is inside. */
function rangeProblem(value: number, range: NumberRange | undefined, unit?: FieldUnit): string | undefined {
  if (!range) return undefined;
  const { minimum, maximum, exclusiveMinimum, exclusiveMaximum } = range;
  if (minimum !== undefined && value < minimum) return `must be at least ${amountText(minimum, unit)}`;
  if (exclusiveMinimum !== undefined && value <= exclusiveMinimum)
    return `must be more than ${amountText(exclusiveMinimum, unit)}`;
  if (maximum !== undefined && value > maximum) return `must be at most ${amountText(maximum, unit)}`;
  if (exclusiveMaximum !== undefined && value >= exclusiveMaximum)
    return `must be less than ${amountText(exclusiveMaximum, unit)}`;
  return undefined;
}

function parseNumber(name: string, raw: string, integer: boolean): { value: number } | { error: string } {
  const value = Number(raw);
  if (raw === '' || !Number.isFinite(value)) return { error: `${name} must be a number` };
  if (integer && !Number.isInteger(value)) return { error: `${name} must be a whole number` };
  return { value };
}

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

/** What is wrong with one row of a `map` field, and which of its inputs. */
export interface RowProblem {
  id: number;
  part: 'key' | 'value';
  message: string;
}

/** A `map` field's rows as an object, or what is wrong with them. Blank rows are skipped. */
export function readRows(
  field: SchemaField,
  rows: readonly MapRow[],
): { value: Record<string, number>; problems: RowProblem[] } {
  const noun = field.entryNoun ?? 'entry';
  const value: Record<string, number> = {};
  const problems: RowProblem[] = [];
  rows.forEach((row, index) => {
    const key = row.key.trim();
    const raw = row.value.trim();
    if (key === '' && raw === '') return;
    if (key === '') {
      problems.push({ id: row.id, part: 'key', message: `the ${noun} in row ${index + 1} needs a name` });
      return;
    }
    if (key in value) {
      problems.push({ id: row.id, part: 'key', message: `"${key}" is listed twice` });
      return;
    }
    const number = Number(raw);
    const problem =
      raw === ''
        ? 'needs a number'
        : !Number.isFinite(number)
          ? 'must be a number'
          : field.valueType === 'integer' && !Number.isInteger(number)
            ? 'must be a whole number'
            : rangeProblem(number, field.range);
    if (problem) problems.push({ id: row.id, part: 'value', message: `"${key}" ${problem}` });
    else value[key] = number;
  });
  return { value, problems };
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

/** A unique element id per field: the prefix and the name, made safe for an id. */
export function fieldIds(prefix: string, names: readonly string[]): Record<string, string> {
  const ids: Record<string, string> = {};
  const used = new Set<string>();
  names.forEach((name, index) => {
    let id = `${prefix}-${name.replace(/[^\w-]/g, '_')}`;
    if (used.has(id)) id = `${id}-${index}`;
    used.add(id);
    ids[name] = id;
  });
  return ids;
}

/**
 * The field a problem path such as `config.limit`, `["odd name"]` or `perTool.github__x` (a key of
 * the field) points at: its first part that names a field.
 */
export function fieldOfPath(path: string, names: readonly string[]): string | undefined {
  const parts: string[] = [];
  for (const match of path.matchAll(/\["((?:[^"\\]|\\.)*)"\]|\[(\d+)\]|([^.[\]]+)/g)) {
    if (match[1] !== undefined) parts.push(JSON.parse(`"${match[1]}"`) as string);
    else parts.push(match[2] ?? match[3] ?? '');
  }
  return parts.find((part) => names.includes(part));
}

/** Deep equality for JSON values, ignoring key order. */
export function sameJson(a: unknown, b: unknown): boolean {
  return canonical(a) === canonical(b);
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (isObject(value)) {
    const keys = Object.keys(value)
      .filter((k) => value[k] !== undefined)
      .sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'undefined';
}
