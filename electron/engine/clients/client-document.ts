import { promises as fs } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import type { ClientSpec } from './client-catalog.js';
import { ClientError } from './client-error.js';
import { parseJsonc, setJsonValue } from './jsonc-text.js';
import { parseToml, rewriteTables, tomlTable } from './toml-text.js';

/** A client's config file as read: its exact bytes (for the backup) and what it says. */
export interface ClientDocument {
  spec: ClientSpec;
  file: string;
  /** False when there is no file yet (install would create it). */
  exists: boolean;
  bytes: Buffer;
  text: string;
  value: Record<string, unknown>;
  /** The servers block, in file order. */
  servers: Record<string, unknown>;
}

/** Reads a client's file; a missing one is empty. Throws ClientError when it cannot be read or parsed. */
export async function readClientDocument(spec: ClientSpec, file: string): Promise<ClientDocument> {
  let bytes: Buffer;
  let exists = true;
  try {
    bytes = await fs.readFile(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT')
      throw new ClientError('unreadable', `cannot read ${file}: ${(err as Error).message}`);
    bytes = Buffer.alloc(0);
    exists = false;
  }
  const text = bytes.toString('utf8');
  const value = parseClientText(spec, text, file);
  const block = value[spec.serversKey];
  if (block !== undefined && (typeof block !== 'object' || block === null || Array.isArray(block))) {
    throw new ClientError(
      'unreadable',
      `"${spec.serversKey}" in ${file} is not an object of servers; fix it by hand first`,
    );
  }
  return { spec, file, exists, bytes, text, value, servers: (block ?? {}) as Record<string, unknown> };
}

function parseClientText(spec: ClientSpec, text: string, file: string): Record<string, unknown> {
  const parsed = spec.format === 'toml' ? parseToml(text, file) : parseJsonc(text, file);
  if (!parsed.ok) throw new ClientError('unreadable', parsed.problem);
  return parsed.value;
}

/**
 * The file's text with some servers changed (`undefined` removes one), everything else as it was.
 * The result is parsed back and must say exactly what was meant: the same file with only those
 * servers changed. Otherwise nothing is written (a client must never get a file it cannot read).
 */
export function editServers(
  doc: ClientDocument,
  edits: ReadonlyMap<string, Record<string, unknown> | undefined>,
): string {
  const { spec } = doc;
  let text = doc.text;
  if (spec.format === 'json') {
    // Additions first: removing the last entry of a block with a trailing comma trips jsonc-parser.
    const ordered = [...edits].sort(([, a], [, b]) => Number(a === undefined) - Number(b === undefined));
    for (const [name, entry] of ordered) text = setJsonValue(text, [spec.serversKey, name], entry);
  } else {
    const tables = new Map<string, string | undefined>();
    for (const [name, entry] of edits) {
      tables.set(
        name,
        entry === undefined
          ? undefined
          : tomlTable(spec.serversKey, name, entry as Parameters<typeof tomlTable>[2]),
      );
    }
    text = rewriteTables(text, spec.serversKey, tables, []);
  }
  const expected = structuredClone(doc.value);
  const servers = { ...doc.servers };
  for (const [name, entry] of edits) {
    if (entry === undefined) delete servers[name];
    else servers[name] = entry;
  }
  const keepsBlock = doc.value[spec.serversKey] !== undefined && spec.format === 'json';
  if (Object.keys(servers).length > 0 || keepsBlock) expected[spec.serversKey] = servers;
  else delete expected[spec.serversKey]; // TOML has no empty [mcp_servers] once its tables are gone
  let actual: Record<string, unknown>;
  try {
    actual = parseClientText(spec, text, doc.file);
  } catch (err) {
    throw new ClientError(
      'cannot-edit',
      `the rewritten ${doc.file} would not parse (${(err as Error).message}); nothing was written`,
    );
  }
  // Some clients (Claude Desktop, Claude Code, Cline) read plain JSON: a plain file stays plain.
  if (spec.format === 'json' && isStrictJson(doc.text) && !isStrictJson(text)) {
    throw new ClientError(
      'cannot-edit',
      `the rewritten ${doc.file} would not be plain JSON any more; nothing was written`,
    );
  }
  if (!isDeepStrictEqual(plain(actual), plain(expected))) {
    throw new ClientError(
      'cannot-edit',
      `${doc.file} is laid out in a way Switchboard cannot edit safely (the result would differ elsewhere); nothing was written — edit it by hand`,
    );
  }
  return text;
}

function isStrictJson(text: string): boolean {
  const body = text.replace(/^\uFEFF/, '');
  if (body.trim() === '') return true;
  try {
    JSON.parse(body);
    return true;
  } catch {
    return false;
  }
}

/** As JSON would carry it (TOML dates become text), so two readings compare equal when they say the same. */
function plain(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value)) as unknown;
}
