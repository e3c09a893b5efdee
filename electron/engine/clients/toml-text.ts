import { parse } from 'smol-toml';

export type TomlParse = { ok: true; value: Record<string, unknown> } | { ok: false; problem: string };

export function parseToml(text: string, file: string): TomlParse {
  try {
    return { ok: true, value: parse(text) as Record<string, unknown> };
  } catch (err) {
    const where = err as { line?: number; column?: number; message: string };
    const at = where.line === undefined ? '' : ` at line ${where.line}, column ${where.column ?? 0}`;
    const first = where.message.split('\n')[0]?.replace(/^Invalid TOML document: /, '') ?? 'invalid';
    return {
      ok: false,
      problem: `${file} is not valid TOML${at} (${first}); fix it there (the client cannot read it either), then try again`,
    };
  }
}

/** A `[table]` header: where it starts and its key path. */
interface Header {
  line: number;
  path: string[];
}

/**
 * Rewrites whole `[PARENT.NAME]` tables (and their `[PARENT.NAME.sub]` tables) in TOML text, leaving
 * every other line (comments included) as it was. `tables` maps a NAME to its new text, or to
 * `undefined` to remove it; `append` goes at the end. Tables written inline (`NAME = { ... }`) are not
 * found here: the caller checks the result by parsing it.
 */
export function rewriteTables(
  text: string,
  parent: string,
  tables: ReadonlyMap<string, string | undefined>,
  append: readonly string[],
): string {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const lines = text.split(/\r?\n/);
  const headers = findHeaders(lines);
  const out: string[] = [];
  const written = new Set<string>();
  let cursor = 0;
  for (const [i, header] of headers.entries()) {
    const name = header.path[0] === parent && header.path.length >= 2 ? header.path[1]! : undefined;
    if (name === undefined || !tables.has(name)) continue;
    const end = blockEnd(lines, header.line, headers[i + 1]?.line ?? lines.length);
    out.push(...lines.slice(cursor, header.line));
    const replacement = tables.get(name);
    if (replacement !== undefined && !written.has(name)) out.push(...replacement.split('\n'));
    written.add(name);
    cursor = end;
  }
  out.push(...lines.slice(cursor));
  let result = out.join(eol);
  const added = [
    ...append,
    ...[...tables].flatMap(([name, t]) => (t !== undefined && !written.has(name) ? [t] : [])),
  ];
  if (added.length > 0) {
    result = result.replace(/(\r?\n)*$/, '');
    const blocks = added.map((block) => block.split('\n').join(eol)).join(eol + eol);
    result = result === '' ? `${blocks}${eol}` : `${result}${eol}${eol}${blocks}${eol}`;
  }
  return result;
}

/** A table's lines end at its last key line: comments and blank lines before the next header stay. */
function blockEnd(lines: readonly string[], start: number, next: number): number {
  let end = next;
  while (end > start + 1 && /^\s*(#.*)?$/.test(lines[end - 1] ?? '')) end--;
  return end;
}

/** Header lines, skipping what only looks like one inside a multi-line string or array. */
function findHeaders(lines: readonly string[]): Header[] {
  const headers: Header[] = [];
  let inString: '"""' | "'''" | undefined;
  let depth = 0;
  for (const [index, line] of lines.entries()) {
    if (inString) {
      if (countOf(line, inString) % 2 === 1) inString = undefined;
      continue;
    }
    if (depth === 0) {
      const match = /^\s*\[(?!\[)(.*)\]\s*(#.*)?$/.exec(line);
      const path = match ? parseKeyPath(match[1]!) : undefined;
      if (path) {
        headers.push({ line: index, path });
        continue;
      }
    }
    for (const quote of ['"""', "'''"] as const) if (countOf(line, quote) % 2 === 1) inString = quote;
    depth = Math.max(0, depth + bracketBalance(line));
  }
  return headers;
}

/** `a."b.c".d` → ['a', 'b.c', 'd']; undefined when it is not a key path. */
export function parseKeyPath(source: string): string[] | undefined {
  const parts: string[] = [];
  let rest = source.trim();
  for (let guard = 0; guard < 256; guard++) {
    const match =
      /^"((?:[^"\\]|\\.)*)"/.exec(rest) ?? /^'([^']*)'/.exec(rest) ?? /^([A-Za-z0-9_-]+)/.exec(rest);
    if (!match) return undefined;
    const raw = match[0];
    parts.push(raw.startsWith('"') ? (JSON.parse(raw) as string) : match[1]!);
    rest = rest.slice(raw.length).trimStart();
    if (rest === '') return parts;
    if (!rest.startsWith('.')) return undefined;
    rest = rest.slice(1).trimStart();
  }
  return undefined;
}

/** `[` minus `]` outside strings and comments, to know when a multi-line array ends. */
function bracketBalance(line: string): number {
  let balance = 0;
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote) {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote) quote = undefined;
    } else if (c === '#') break;
    else if (c === '"' || c === "'") quote = c;
    else if (c === '[') balance++;
    else if (c === ']') balance--;
  }
  return balance;
}

function countOf(line: string, needle: string): number {
  return line.split(needle).length - 1;
}

/** A TOML key: bare when it can be, else a quoted string. */
export function tomlKey(key: string): string {
  return /^[A-Za-z0-9_-]+$/.test(key) ? key : tomlString(key);
}

/** JSON's string escapes are TOML's basic-string escapes. */
export function tomlString(value: string): string {
  return JSON.stringify(value);
}

/** One `[PARENT.NAME]` table with plain string / string-array / string-table values. */
export function tomlTable(
  parent: string,
  name: string,
  values: Readonly<Record<string, string | readonly string[] | Readonly<Record<string, string>>>>,
): string {
  const lines = [`[${tomlKey(parent)}.${tomlKey(name)}]`];
  for (const [key, value] of Object.entries(values)) {
    let text: string;
    if (typeof value === 'string') text = tomlString(value);
    else if (Array.isArray(value)) text = `[${(value as readonly string[]).map(tomlString).join(', ')}]`;
    else {
      const entries = Object.entries(value as Record<string, string>);
      text = `{ ${entries.map(([k, v]) => `${tomlKey(k)} = ${tomlString(v)}`).join(', ')} }`;
    }
    lines.push(`${tomlKey(key)} = ${text}`);
  }
  return lines.join('\n');
}
