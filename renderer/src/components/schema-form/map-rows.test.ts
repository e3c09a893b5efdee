import { describe, expect, it } from 'vitest';
import { byName, mapsSchema } from '../../testing/field-schemas.js';
import { mapRow, readRows, type MapRow } from './map-rows.js';
import { schemaFields } from './schema-fields.js';

describe('readRows', () => {
  const fields = schemaFields(mapsSchema);
  const perTool = byName(fields).perTool!;
  const rows = (...pairs: [string, string][]): MapRow[] => pairs.map(([k, v]) => mapRow(k, v));

  it('skips blank rows, and says which row is wrong and how', () => {
    expect(readRows(perTool, rows([' a__b ', ' 3 '], ['', ''])).value).toEqual({ a__b: 3 });
    const { problems } = readRows(
      perTool,
      rows(['', '4'], ['a__b', '1'], ['a__b', '2'], ['c__d', ''], ['e__f', '0'], ['g__h', '2e9']),
    );
    expect(problems.map(({ part, message }) => [part, message])).toEqual([
      ['key', 'the tool in row 1 needs a name'],
      ['key', '"a__b" is listed twice'],
      ['value', '"c__d" needs a number'],
      ['value', '"e__f" must be more than 0'],
      ['value', '"g__h" must be at most 1000000'],
    ]);
    const weights = byName(fields).weights!;
    expect(readRows(weights, rows(['x', '1.5'])).problems[0]?.message).toBe('"x" must be a whole number');
  });
});
