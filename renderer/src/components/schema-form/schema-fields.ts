/**
 * JSON Schema (an object's `properties`) → form fields: what control each property gets, its label,
 * unit, bounds and choices. Pure, so the fiddly rules are tested alone.
 */

import { unitOf, type FieldUnit } from './field-units.js';
import { isObject, isPrimitive, type Primitive } from './json-values.js';

export type FieldKind =
  'text' | 'select' | 'multi' | 'number' | 'integer' | 'checkbox' | 'lines' | 'json' | 'map';

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

type Schema = Record<string, unknown>;

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
