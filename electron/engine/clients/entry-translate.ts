import path from 'node:path';
import { SECRET_NAME_PATTERN } from '../../shared/config.js';

/** What reading a client's entry may need from outside the entry. */
export interface TranslateContext {
  home: string;
  /** The project folder, for `${workspaceFolder}` and relative `envFile`s. */
  project?: string;
  /** Reads a dotenv file; throws when it cannot. */
  readEnvFile(file: string): Record<string, string>;
}

/** A client's entry as a Switchboard entry, or why it cannot be one; notes say what did not carry over. */
export interface Translated {
  config?: Record<string, unknown>;
  notes: string[];
}

/** Rewrites a client's `${...}` references into Switchboard's (`${env:X}`, `${secret:X}`) in one text. */
export type ReferenceRewriter = (text: string, ctx: TranslateContext, notes: Set<string>) => string;

/** How one client spells an entry. */
export interface EntryDialect {
  /** "Cursor": for notes. */
  client: string;
  rewrite: ReferenceRewriter;
  /** The remote address, if the entry is remote. */
  urlOf(entry: Record<string, unknown>): string | undefined;
  /** http or sse for a remote entry. */
  remoteType(entry: Record<string, unknown>): 'http' | 'sse';
  /** Keys read by this dialect besides the common ones, so they are not reported as dropped. */
  knownKeys: readonly string[];
  /** Reads `envFile` (Cursor, VS Code). */
  envFile?: boolean;
  /** Anything else the client has that Switchboard has a place for (Codex's headers, timeouts). */
  extra?(entry: Record<string, unknown>, config: Record<string, unknown>, notes: Set<string>): void;
}

const COMMON_KEYS = [
  'type',
  'command',
  'args',
  'env',
  'cwd',
  'url',
  'headers',
  'disabled',
  'enabled',
  'envFile',
];

export function translateEntry(raw: unknown, dialect: EntryDialect, ctx: TranslateContext): Translated {
  const notes = new Set<string>();
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { notes: ['the entry is not an object; it was left out'] };
  }
  const entry = raw as Record<string, unknown>;
  const fill = (text: string) => dialect.rewrite(text, ctx, notes);
  let config: Record<string, unknown>;
  const url = dialect.urlOf(entry);
  if (typeof entry.command === 'string' && entry.command !== '') {
    const env = { ...readEnvFile(entry, dialect, ctx, fill, notes), ...stringRecord(entry.env) };
    config = {
      type: 'stdio',
      command: fill(entry.command),
      args: (Array.isArray(entry.args) ? entry.args : []).map((arg) => fill(String(arg))),
      env: mapValues(env, fill),
    };
    if (typeof entry.cwd === 'string' && entry.cwd !== '') config.cwd = fill(entry.cwd);
  } else if (url !== undefined) {
    config = {
      type: dialect.remoteType(entry),
      url: fill(url),
      headers: mapValues(stringRecord(entry.headers), fill),
    };
  } else {
    return { notes: ['it has neither "command" nor a URL, so there is nothing to run; it was left out'] };
  }
  if (entry.disabled === true || entry.enabled === false) config.enabled = false;
  dialect.extra?.(entry, config, notes);
  const known = new Set([...COMMON_KEYS, ...dialect.knownKeys]);
  const dropped = Object.keys(entry).filter((key) => !known.has(key));
  if (dropped.length > 0) {
    notes.add(
      `${dialect.client}'s own ${plural(dropped.length, 'setting')} ${dropped.map((k) => `"${k}"`).join(', ')} ${dropped.length === 1 ? 'does' : 'do'} not carry over`,
    );
  }
  return { config, notes: [...notes] };
}

function readEnvFile(
  entry: Record<string, unknown>,
  dialect: EntryDialect,
  ctx: TranslateContext,
  fill: (text: string) => string,
  notes: Set<string>,
): Record<string, string> {
  if (!dialect.envFile || typeof entry.envFile !== 'string' || entry.envFile === '') return {};
  const named = fill(entry.envFile);
  const file = path.isAbsolute(named) ? named : path.resolve(ctx.project ?? ctx.home, named);
  try {
    return ctx.readEnvFile(file);
  } catch (err) {
    notes.add(`envFile ${file} could not be read (${(err as Error).message}); its values were not imported`);
    return {};
  }
}

/** Values of an object as strings (clients accept numbers and booleans in env); others dropped. */
function stringRecord(value: unknown): Record<string, string> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return {};
  const out: Record<string, string> = {};
  for (const [key, item] of Object.entries(value)) {
    if (typeof item === 'string' || typeof item === 'number' || typeof item === 'boolean')
      out[key] = String(item);
  }
  return out;
}

function mapValues(record: Record<string, string>, fn: (text: string) => string): Record<string, string> {
  return Object.fromEntries(Object.entries(record).map(([key, value]) => [key, fn(value)]));
}

function plural(count: number, word: string): string {
  return count === 1 ? word : `${word}s`;
}

// ---- reference rewriters ---------------------------------------------------------------------------

/** Claude Desktop, Cline, Codex: values are taken as they are. */
export const literalValues: ReferenceRewriter = (text) => text;

/** VS Code-style editors: `${env:X}` is Switchboard's too; `${userHome}`, `${workspaceFolder}` are filled in. */
export function editorVariables(options: { inputs?: boolean } = {}): ReferenceRewriter {
  return (text, ctx, notes) =>
    text.replace(/\$\{([A-Za-z]+)(?::([^}]*))?\}/g, (whole, name: string, argument: string | undefined) => {
      if (name === 'userHome' && argument === undefined) return ctx.home;
      if (name === 'workspaceFolder' && argument === undefined) {
        if (ctx.project) return ctx.project;
        notes.add(
          `\${workspaceFolder} was kept as written: there is no project folder here; edit it to a path`,
        );
        return whole;
      }
      if (name === 'input' && options.inputs && argument) {
        const secret = secretNameOf(argument);
        notes.add(
          `\${input:${argument}} became \${secret:${secret}}: set it with \`switchboard secret set ${secret}\` or in Secrets`,
        );
        return `\${secret:${secret}}`;
      }
      return whole;
    });
}

/** Claude Code: `${X}` and `${X:-default}` are environment variables (the default does not carry over). */
export const shellBraces: ReferenceRewriter = (text, _ctx, notes) =>
  text.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(:-[^}]*)?\}/g, (_whole, name: string, fallback?: string) => {
    if (fallback)
      notes.add(`the default in \${${name}${fallback}} does not carry over: set ${name} in the environment`);
    return `\${env:${name}}`;
  });

/** Gemini CLI: `$X` and `${X}` are environment variables. */
export const shellVariables: ReferenceRewriter = (text, ctx, notes) =>
  shellBraces(text, ctx, notes).replace(/\$([A-Za-z_][A-Za-z0-9_]*)/g, '${env:$1}');

/** A keyring name from a client's id for a value (VS Code inputs): characters it cannot hold become "-". */
export function secretNameOf(id: string): string {
  const name = id
    .replace(/[^A-Za-z0-9_.-]+/g, '-')
    .replace(/^[^A-Za-z0-9]+/, '')
    .slice(0, 128);
  return SECRET_NAME_PATTERN.test(name) ? name : `input-${name}`.slice(0, 128);
}
