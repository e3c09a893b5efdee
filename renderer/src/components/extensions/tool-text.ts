import type { QuarantinedToolDto } from '../../../../electron/shared/api.js';

type ToolVersion = QuarantinedToolDto['current'];

/** One part of a tool a person reviews: its text in the approved version and in the current one. */
export interface ToolSection {
  label: 'Title' | 'Description' | 'Input schema';
  before: string;
  after: string;
}

/** Deeper than this, JSON is shown as it comes (schemas are shallow; this only bounds the walk). */
const MAX_DEPTH = 64;

function sortKeys(value: unknown, depth: number): unknown {
  if (depth > MAX_DEPTH || typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map((item: unknown) => sortKeys(item, depth + 1));
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    sorted[key] = sortKeys((value as Record<string, unknown>)[key], depth + 1);
  }
  return sorted;
}

/**
 * JSON with two-space indents and keys sorted, so two versions that differ only in key order read the
 * same and a diff shows what changed. Nothing (undefined) is the empty text.
 */
export function prettyJson(value: unknown): string {
  if (value === undefined) return '';
  return JSON.stringify(sortKeys(value, 0), null, 2) ?? '';
}

/** The parts of a tool a person reviews, from `before` (the approved version, if any) to `after`. */
export function toolSections(after: ToolVersion, before?: ToolVersion): ToolSection[] {
  return [
    { label: 'Title', before: before?.title ?? '', after: after.title ?? '' },
    { label: 'Description', before: before?.description ?? '', after: after.description ?? '' },
    { label: 'Input schema', before: prettyJson(before?.inputSchema), after: prettyJson(after.inputSchema) },
  ];
}

/**
 * Why a tool is held, in a few words: "New tool", or which parts changed since it was approved
 * ("Description and input schema changed"). Compares the texts only; no diff is drawn.
 */
export function changedParts(tool: Pick<QuarantinedToolDto, 'reason' | 'current' | 'approved'>): string[] {
  if (tool.reason !== 'changed' || tool.approved === undefined) return [];
  return toolSections(tool.current, tool.approved)
    .filter((section) => section.before !== section.after)
    .map((section) => section.label.toLowerCase());
}

/** Parts as a phrase: ["title", "description", "input schema"] → "Title, description and input schema". */
export function partsPhrase(parts: readonly string[]): string {
  const phrase =
    parts.length <= 1 ? (parts[0] ?? '') : `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
  return phrase.charAt(0).toUpperCase() + phrase.slice(1);
}
