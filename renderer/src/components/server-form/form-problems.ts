import { serverConfigSchema, SERVER_NAME_PATTERN } from '../../../../electron/shared/config.js';
import {
  describeIssues,
  PARSE_OPTIONS,
  type ConfigProblem,
} from '../../../../electron/shared/config-errors.js';
import { FIELD_NAMES, type Entry, type FieldName, type ServerFields } from './form-model.js';

/**
 * What is wrong with a server entry, sorted to the form's fields: the engine's own schema and
 * wording (so the form and the engine never disagree), plus the few checks that are the form's own.
 */
/**
 * The field a problem's path points at (`command`, `config.env.KEY`, `args[0]`, or the entry in the
 * whole file: `mcpServers.notes.command`), if any.
 */
export function fieldOf(path: string): FieldName | undefined {
  const rest = path
    .replace(/^mcpServers(?:\.[^.[]+|\["(?:[^"\\]|\\.)*"\])\.?/, '')
    .replace(/^config(?=[.[]|$)\.?/, '');
  if (path === 'server') return 'name';
  const head = /^[A-Za-z_$][\w$]*/.exec(rest)?.[0];
  return FIELD_NAMES.find((f) => f === head);
}

export type FieldErrors = Partial<Record<FieldName, string[]>>;

export interface Problems {
  fields: FieldErrors;
  /** Problems that belong to no one field. */
  other: string[];
}

export function noProblems(): Problems {
  return { fields: {}, other: [] };
}

/** Sorts problems (`path: message`) to the fields they are about; the rest to `other`. */
export function sortProblems(problems: readonly ConfigProblem[], into: Problems = noProblems()): Problems {
  for (const p of problems) {
    const field = fieldOf(p.path);
    if (field) (into.fields[field] ??= []).push(p.message);
    else into.other.push(p.path ? `${p.path}: ${p.message}` : p.message);
  }
  return into;
}

/** Checks an entry with the engine's own schema; problems come back as the engine would word them. */
export function checkEntry(entry: Entry): ConfigProblem[] {
  const result = serverConfigSchema.safeParse(entry, PARSE_OPTIONS);
  return result.success ? [] : describeIssues(result.error.issues);
}

export const NAME_RULE =
  'use letters, digits, "-", "_" and "." (at most 64), starting with a letter or digit';

/** Everything wrong with the fields: the schema's word on the entry, plus the name and the rows. */
export function validate(
  fields: ServerFields,
  entry: Entry,
  opts: { adding: boolean; taken: readonly string[] },
) {
  const problems = sortProblems(checkEntry(entry));
  const add = (field: FieldName, message: string) => (problems.fields[field] ??= []).push(message);
  if (opts.adding) {
    const name = fields.name.trim();
    if (name === '') add('name', 'required — give the server a name');
    else if (!SERVER_NAME_PATTERN.test(name)) add('name', NAME_RULE);
    else if (opts.taken.includes(name)) add('name', `a server named "${name}" already exists`);
  }
  const rowsField: FieldName = fields.type === 'stdio' ? 'env' : 'headers';
  const seen = new Set<string>();
  for (const r of fields[rowsField]) {
    const key = r.key.trim();
    if (key === '' && r.value !== '') add(rowsField, `the value "${r.value}" needs a name`);
    else if (key !== '' && seen.has(key)) add(rowsField, `"${key}" is set twice`);
    seen.add(key);
  }
  return problems;
}
