/** The rows of a `map` field (an object of numbers by name): one name → number entry each, as typed. */

import { rangeProblem } from './number-checks.js';
import type { SchemaField } from './schema-fields.js';

/** One name → number entry of a `map` field, as typed. */
export interface MapRow {
  id: number;
  key: string;
  value: string;
}

let nextRowId = 1;
/** A new row of a `map` field. */
export function mapRow(key = '', value = ''): MapRow {
  return { id: nextRowId++, key, value };
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
