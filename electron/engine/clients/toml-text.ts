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
    if (!inString && depth === 0) {
      const match = /^\s*\[(?!\[)(.*)\]\s*(#.*)?$/.exec(line);
      const path = match ? parseKeyPath(match[1]!) : undefined;
      if (path) {
        headers.push({ line: index, path });
        continue;
      }
    }
    ({ inString, depth } = scanLine(line, inString, depth));
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
    const part = raw.startsWith('"') ? unescapeBasic(match[1]!) : match[1]!;
    if (part === undefined) return undefined;
    parts.push(part);
    rest = rest.slice(raw.length).trimStart();
    if (rest === '') return parts;
    if (!rest.startsWith('.')) return undefined;
    rest = rest.slice(1).trimStart();
  }
  return undefined;
}

const ESCAPES: Record<string, string> = {
  b: '\b',
  t: '\t',
  n: '\n',
  f: '\f',
  r: '\r',
  e: '\x1b',
  '"': '"',
  '\\': '\\',
};

/** A TOML basic string's escapes (`\uXXXX`, `\UXXXXXXXX`, `\e`, ...); undefined when one is invalid. */
function unescapeBasic(body: string): string | undefined {
  let invalid = false;
  const out = body.replace(/\\(u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)/g, (_whole, code: string) => {
    if (code.length > 1) {
      const point = parseInt(code.slice(1), 16);
      if (point > 0x10ffff || (point >= 0xd800 && point <= 0xdfff)) invalid = true;
      return invalid ? '' : String.fromCodePoint(point);
    }
    const known = ESCAPES[code];
    if (known === undefined) invalid = true;
    return known ?? '';
  });
  return invalid ? undefined : out;
}

/**
 * Where a line leaves the reader: inside a multi-line string (which one) or not, and how deep in
 * brackets of a multi-line array. Comments and one-line strings are skipped, so a `"""` or a `[`
 * inside them counts for nothing.
 */
function scanLine(
  line: string,
  inString: '"""' | "'''" | undefined,
  depth: number,
): { inString: '"""' | "'''" | undefined; depth: number } {
  let i = 0;
  while (i < line.length) {
    if (inString) {
      if (inString === '"""' && line[i] === '\\') i += 2;
      else if (line.startsWith(inString, i)) {
        i += 3;
        inString = undefined;
      } else i++;
      continue;
    }
    const c = line[i]!;
    if (c === '#') break;
    if (line.startsWith('"""', i) || line.startsWith("'''", i)) {
      inString = line.slice(i, i + 3) as '"""' | "'''";
      i += 3;
    } else if (c === '"' || c === "'") {
      i++;
      while (i < line.length && line[i] !== c) i += c === '"' && line[i] === '\\' ? 2 : 1;
      i++;
    } else {
      if (c === '[') depth++;
      else if (c === ']') depth = Math.max(0, depth - 1);
      i++;
    }
  }
  return { inString, depth };
}

/** A TOML key: bare when it can be, else a quoted string. */
export function tomlKey(key: string): string {
  return /^[A-Za-z0-9_-]+$/.test(key) ? key : tomlString(key);
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * A TOML basic string. JSON's escapes are TOML's, except that TOML also wants DEL escaped and has no
 * lone surrogates (they become U+FFFD: no path or command holds one).
 */
export function tomlString(value: string): string {
  return JSON.stringify(value.replace(LONE_SURROGATE, '\uFFFD')).replace(/\x7f/g, '\\u007F');
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
