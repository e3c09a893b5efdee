import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { configSchema, type SwitchboardConfig } from '../../shared/config.js';
import { describeIssues, PARSE_OPTIONS, type ConfigProblem } from '../../shared/config-errors.js';

export type LoadResult =
  | { ok: true; config: SwitchboardConfig; raw: Record<string, unknown>; missing: boolean }
  | { ok: false; problems: ConfigProblem[] };

/** Reads and checks the config file. A missing file is an empty config, not an error. */
export async function loadConfigFile(file: string): Promise<LoadResult> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      return { ok: true, config: configSchema.parse({}), raw: {}, missing: true };
    }
    return { ok: false, problems: [{ path: '', message: `cannot read ${file}: ${(err as Error).message}` }] };
  }
  return parseConfigText(text, file);
}

export function parseConfigText(text: string, file: string): LoadResult {
  // Editors empty a file before they write it: an empty file is a save in progress (or a mistake),
  // never "stop every server". A missing file is the empty config.
  if (text.trim() === '') {
    const message = `${file} is empty; until it holds a config the last good one stays in force (for no servers, write {"mcpServers": {}})`;
    return { ok: false, problems: [{ path: '', message }] };
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    return { ok: false, problems: [{ path: '', message: syntaxMessage(err as Error, text, file) }] };
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return {
      ok: false,
      problems: [{ path: '', message: `${file} must hold a JSON object like {"mcpServers": {}}` }],
    };
  }
  const result = configSchema.safeParse(raw, PARSE_OPTIONS);
  if (!result.success) return { ok: false, problems: describeIssues(result.error.issues) };
  return { ok: true, config: result.data, raw: raw as Record<string, unknown>, missing: false };
}

/** Where a JSON syntax error is, as line and column, with what to do. */
function syntaxMessage(err: Error, text: string, file: string): string {
  const position = /position (\d+)/.exec(err.message)?.[1];
  let where = '';
  if (position !== undefined) {
    const before = text.slice(0, Number(position));
    const line = before.split('\n').length;
    const column = Number(position) - before.lastIndexOf('\n');
    where = ` at line ${line}, column ${column}`;
  }
  return `${file} is not valid JSON${where} (${err.message}); fix the syntax; Switchboard reads it again when it is saved`;
}

/**
 * Validates, then writes atomically (temp file + rename) after copying the current file to
 * `<file>.bak`, so neither a crash mid-write nor a bad edit can lose the person's config.
 */
export async function writeConfigFile(file: string, raw: Record<string, unknown>): Promise<void> {
  const result = configSchema.safeParse(raw, PARSE_OPTIONS);
  if (!result.success) {
    const problems = describeIssues(result.error.issues);
    throw new Error(
      `refusing to write an invalid config: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`,
    );
  }
  await fs.mkdir(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const handle = await fs.open(temp, 'w', 0o600);
  try {
    await handle.writeFile(`${JSON.stringify(raw, null, 2)}\n`, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await fs.copyFile(file, `${file}.bak`);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
      await fs.rm(temp, { force: true });
      throw err;
    }
  }
  await fs.rename(temp, file);
}
