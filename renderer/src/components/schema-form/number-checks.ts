/** The rules a typed number must keep, shared by number fields, lists of numbers and map values. */

import { amountText, type FieldUnit } from './field-units.js';
import type { NumberRange } from './schema-fields.js';

/** Why a number is outside the schema's bounds, or undefined when it is inside. */
export function rangeProblem(
  value: number,
  range: NumberRange | undefined,
  unit?: FieldUnit,
): string | undefined {
  if (!range) return undefined;
  const { minimum, maximum, exclusiveMinimum, exclusiveMaximum } = range;
  if (minimum !== undefined && value < minimum) return `must be at least ${amountText(minimum, unit)}`;
  if (exclusiveMinimum !== undefined && value <= exclusiveMinimum)
    return `must be more than ${amountText(exclusiveMinimum, unit)}`;
  if (maximum !== undefined && value > maximum) return `must be at most ${amountText(maximum, unit)}`;
  if (exclusiveMaximum !== undefined && value >= exclusiveMaximum)
    return `must be less than ${amountText(exclusiveMaximum, unit)}`;
  return undefined;
}

/** The number `raw` says, or why it is none (or not the whole number wanted); `name` starts the message. */
export function parseNumber(
  name: string,
  raw: string,
  integer: boolean,
): { value: number } | { error: string } {
  const value = Number(raw);
  if (raw === '' || !Number.isFinite(value)) return { error: `${name} must be a number` };
  if (integer && !Number.isInteger(value)) return { error: `${name} must be a whole number` };
  return { value };
}
