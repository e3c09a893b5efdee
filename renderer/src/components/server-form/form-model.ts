/**
 * The add/edit form as plain data, and the two ways across: a config entry into fields, fields into
 * a config entry. Pure, so the rules (what is left out, what survives) are tested without a DOM.
 */
export type ServerType = 'stdio' | 'http' | 'sse';
export const SERVER_TYPES: readonly ServerType[] = ['stdio', 'http', 'sse'];

export interface KeyValueRow {
  id: number;
  key: string;
  value: string;
}

export interface ServerFields {
  name: string;
  type: ServerType;
  command: string;
  /** One per line. */
  args: string;
  cwd: string;
  env: KeyValueRow[];
  /** One per line. */
  watch: string;
  /** As typed (a number input's v-model makes it a number); empty when not set. */
  debounceMs: string | number;
  url: string;
  headers: KeyValueRow[];
  enabled: boolean;
  autoStart: boolean;
  description: string;
}

/** The fields errors are shown beside; anything else goes to the summary. */
export const FIELD_NAMES = [
  'name',
  'type',
  'command',
  'args',
  'cwd',
  'env',
  'watch',
  'debounceMs',
  'url',
  'headers',
  'enabled',
  'autoStart',
  'description',
] as const;
export type FieldName = (typeof FIELD_NAMES)[number];

export const FIELD_LABELS: Record<FieldName, string> = {
  name: 'Name',
  type: 'Type',
  command: 'Command',
  args: 'Arguments',
  cwd: 'Working folder',
  env: 'Environment variables',
  watch: 'Watch paths',
  debounceMs: 'Debounce',
  url: 'URL',
  headers: 'Headers',
  enabled: 'Enabled',
  autoStart: 'Start with the engine',
  description: 'Description',
};

export type Entry = Record<string, unknown>;

const STDIO_KEYS = ['command', 'args', 'cwd', 'env', 'watch', 'debounceMs'] as const;
const REMOTE_KEYS = ['url', 'headers'] as const;

let nextRowId = 1;
export function row(key = '', value = ''): KeyValueRow {
  return { id: nextRowId++, key, value };
}

export function emptyFields(): ServerFields {
  return {
    name: '',
    type: 'stdio',
    command: '',
    args: '',
    cwd: '',
    env: [],
    watch: '',
    debounceMs: '',
    url: '',
    headers: [],
    enabled: true,
    autoStart: true,
    description: '',
  };
}

/** The type an entry has, or would be given by the engine (`command` → stdio, `url` → http). */
export function typeOf(entry: Entry): ServerType | undefined {
  const type = entry.type;
  if (type === 'streamable-http' || type === 'streamableHttp') return 'http';
  if (type === 'stdio' || type === 'http' || type === 'sse') return type;
  if (type !== undefined) return undefined;
  if ('command' in entry) return 'stdio';
  if ('url' in entry) return 'http';
  return undefined;
}

const text = (value: unknown) => (typeof value === 'string' ? value : '');
const lines = (value: unknown) =>
  Array.isArray(value) ? value.filter((v) => typeof v === 'string').join('\n') : '';
const rows = (value: unknown) =>
  value && typeof value === 'object' && !Array.isArray(value)
    ? Object.entries(value).map(([k, v]) => row(k, text(v)))
    : [];

export function fieldsFromEntry(name: string, entry: Entry): ServerFields {
  return {
    name,
    type: typeOf(entry) ?? 'stdio',
    command: text(entry.command),
    args: lines(entry.args),
    cwd: text(entry.cwd),
    env: rows(entry.env),
    watch: lines(entry.watch),
    debounceMs: typeof entry.debounceMs === 'number' ? String(entry.debounceMs) : '',
    url: text(entry.url),
    headers: rows(entry.headers),
    enabled: entry.enabled !== false,
    autoStart: entry.autoStart !== false,
    description: text(entry.description),
  };
}

function splitLines(value: string): string[] {
  return value
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
}

function record(rowsIn: readonly KeyValueRow[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const r of rowsIn) if (r.key.trim() !== '') out[r.key.trim()] = r.value;
  return out;
}

/** Sets `key` to `value`, or removes it when the value is empty. */
function put(entry: Entry, key: string, value: unknown, empty: boolean): void {
  if (empty) delete entry[key];
  else entry[key] = value;
}

/**
 * The config entry the fields describe. Starts from `base` (the entry being edited) so keys the form
 * does not know survive; empty optional fields are left out, and so are defaults the entry did not
 * spell out (`enabled: true`, a `type` the engine would infer anyway).
 */
export function entryFromFields(fields: ServerFields, base: Entry = {}): Entry {
  const entry: Entry = { ...base, type: fields.type };
  // Keys of the other transport go: switching type must not leave a stale url or command behind.
  const others = fields.type === 'stdio' ? REMOTE_KEYS : STDIO_KEYS;
  for (const key of others) delete entry[key];

  if (fields.type === 'stdio') {
    put(entry, 'command', fields.command.trim(), fields.command.trim() === '');
    const args = splitLines(fields.args);
    put(entry, 'args', args, args.length === 0);
    put(entry, 'cwd', fields.cwd.trim(), fields.cwd.trim() === '');
    const env = record(fields.env);
    put(entry, 'env', env, Object.keys(env).length === 0);
    const watch = splitLines(fields.watch);
    put(entry, 'watch', watch, watch.length === 0);
    const debounce = String(fields.debounceMs).trim();
    // Text that is not a number is passed on as text, so the schema says what is wrong with it.
    put(entry, 'debounceMs', /^-?\d+(\.\d+)?$/.test(debounce) ? Number(debounce) : debounce, debounce === '');
  } else {
    put(entry, 'url', fields.url.trim(), fields.url.trim() === '');
    const headers = record(fields.headers);
    put(entry, 'headers', headers, Object.keys(headers).length === 0);
  }

  put(entry, 'enabled', fields.enabled, fields.enabled && !('enabled' in base));
  put(entry, 'autoStart', fields.autoStart, fields.autoStart && !('autoStart' in base));
  put(entry, 'description', fields.description.trim(), fields.description.trim() === '');

  // An edited entry written without `type` (Claude Desktop style) stays so while it implies the same type.
  const editing = Object.keys(base).length > 0;
  if (editing && !('type' in base)) {
    const { type: _chosen, ...rest } = entry;
    if (typeOf(rest) === fields.type) return rest;
  }
  return entry;
}

/** `${secret:NAME}`: what the engine fills in from the OS keyring at launch. */
export function secretReference(name: string): string {
  return `\${secret:${name.trim()}}`;
}

/** Why a secret name cannot be used, or undefined when it can. */
export function secretNameProblem(name: string): string | undefined {
  const trimmed = name.trim();
  if (trimmed === '') return 'name the secret';
  if (/[{}$]/.test(trimmed)) return 'a secret name cannot contain "{", "}" or "$"';
  return undefined;
}
