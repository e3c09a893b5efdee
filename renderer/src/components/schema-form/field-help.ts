import type { SchemaField } from './schema-fields.js';

/**
 * The help shown under a field: its description, then how to fill it in ("One per line.",
 * "Choose 1 to 3."). Undefined when there is nothing to say.
 */
export function helpOf(field: SchemaField): string | undefined {
  const hint =
    field.kind === 'lines'
      ? 'One per line.'
      : field.kind === 'json'
        ? 'As JSON.'
        : field.kind === 'multi'
          ? choiceCount(field)
          : undefined;
  // A description without a full stop still reads as its own sentence before the hint.
  const help = hint && field.help && !/[.!?]$/.test(field.help) ? `${field.help}.` : field.help;
  return [help, hint].filter((part) => part !== undefined).join(' ') || undefined;
}

/** How many options of a `multi` may be ticked, in words. */
function choiceCount({ minItems: min, maxItems: max }: SchemaField): string | undefined {
  if (min !== undefined && max !== undefined)
    return min === max ? `Choose ${min}.` : `Choose ${min} to ${max}.`;
  if (min !== undefined) return `Choose at least ${min}.`;
  return max !== undefined ? `Choose at most ${max}.` : undefined;
}
