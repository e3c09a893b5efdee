import { createHash } from 'node:crypto';
import type { QuarantinedToolDto } from '../../../../shared/api.js';
import type { Tool } from '../../extension.js';

/** One version of a tool as the quarantine pins it and the window shows it. */
export type ToolVersion = QuarantinedToolDto['current'];

/** JSON with object keys sorted at every depth, so equal values always give equal text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item ?? null)).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const members = Object.keys(value)
      .sort()
      .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
      .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`);
    return `{${members.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** sha256 of what a model reads about a tool: a change to any of it could change what the model does. */
export function toolHash(tool: Tool): string {
  const { name, title, description, inputSchema, outputSchema, annotations } = tool;
  const pinned = { name, title, description, inputSchema, outputSchema, annotations };
  return createHash('sha256').update(canonicalJson(pinned)).digest('hex');
}

export function toolVersion(tool: Tool, hash = toolHash(tool)): ToolVersion {
  return {
    hash,
    ...(tool.title !== undefined ? { title: tool.title } : {}),
    ...(tool.description !== undefined ? { description: tool.description } : {}),
    ...(tool.inputSchema !== undefined ? { inputSchema: tool.inputSchema } : {}),
  };
}
