/**
 * JSON Schema (an object's `properties`) → form fields, and entered values → the arguments object.
 * Pure, so the fiddly rules (what is left out, what is coerced, what is an error) are tested alone.
 */

export type FieldKind = 'text' | 'select' | 'multi' | 'number' | 'integer' | 'checkbox' | 'lines' | 'json';

export type Primitive = string | number | boolean;

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
  default?: unknown;
}

/** What a person entered: text for every field but checkboxes (a `multi` holds its keys, one per line). */
export type FieldValues = Record<string, string | boolean>;

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

function kindOf(schema: Schema): Pick<SchemaField, 'kind' | 'options' | 'labels' | 'itemType'> {
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
      return { kind: 'number' };
    case 'integer':
      return { kind: 'integer' };
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

/** What each field shows at first: the given value (e.g. the current config), else the schema default. */
export function initialValues(
  fields: readonly SchemaField[],
  given: Record<string, unknown> = {},
): FieldValues {
  const values: FieldValues = {};
  for (const field of fields) {
    const value = field.name in given ? given[field.name] : field.default;
    switch (field.kind) {
      case 'checkbox':
        values[field.name] = value === true;
        break;
      case 'select':
        values[field.name] = field.options?.some((o) => String(o) === String(value)) ? String(value) : '';
        break;
      case 'multi':
        values[field.name] = (Array.isArray(value) ? value : [])
          .filter((v) => field.options?.some((o) => String(o) === String(v)))
          .map(String)
          .join('\n');
        break;
      case 'lines':
        values[field.name] = Array.isArray(value) ? value.map(text).join('\n') : text(value);
        break;
      case 'json':
        values[field.name] = value === undefined ? '' : JSON.stringify(value, null, 2);
        break;
      default:
        values[field.name] = text(value);
    }
  }
  return values;
}

type Parsed = { value: unknown } | { error: string } | 'empty';

function parseNumber(name: string, raw: string, integer: boolean): { value: number } | { error: string } {
  const value = Number(raw);
  if (raw === '' || !Number.isFinite(value)) return { error: `${name} must be a number` };
  if (integer && !Number.isInteger(value)) return { error: `${name} must be a whole number` };
  return { value };
}

function parseField(field: SchemaField, raw: string): Parsed {
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
      return raw.trim() === '' ? 'empty' : parseNumber(name, raw.trim(), field.kind === 'integer');
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

/** The arguments the entered values make: numbers coerced, empty optional fields left out. */
export function toArguments(fields: readonly SchemaField[], values: FieldValues): FormOutcome {
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
    const parsed = parseField(field, typeof raw === 'string' ? raw : '');
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

/** The field a problem path such as `config.limit` or `["odd name"]` points at, if any. */
export function fieldOfPath(path: string, names: readonly string[]): string | undefined {
  const last = /\["((?:[^"\\]|\\.)*)"\]$/.exec(path)?.[1] ?? /([^.[\]]+)$/.exec(path)?.[1];
  if (last === undefined) return undefined;
  const name = path.endsWith('"]') ? (JSON.parse(`"${last}"`) as string) : last;
  return names.includes(name) ? name : undefined;
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
