import type { ApiOutput } from '../../../../electron/shared/api.js';

export type CallToolAnswer = ApiOutput<'callTool'>;
export type ToolDto = ApiOutput<'listTools'>['tools'][number];
type ContentItem = Extract<CallToolAnswer, { result: unknown }>['result']['content'][number];

/** How one content item of a tools/call result is shown. */
export type ContentView =
  | { kind: 'text'; text: string }
  | { kind: 'image'; src: string; alt: string }
  | { kind: 'resource'; uri: string; text?: string }
  | { kind: 'json'; json: string };

const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

export function viewOf(item: ContentItem, tool: string): ContentView {
  if (item.type === 'text' && str(item.text) !== undefined)
    return { kind: 'text', text: str(item.text) ?? '' };
  const mime = str(item.mimeType);
  const data = str(item.data);
  // Only image types go into a data: URL, so a server cannot make the window load anything else.
  if (item.type === 'image' && mime?.startsWith('image/') && data !== undefined) {
    return { kind: 'image', src: `data:${mime};base64,${data}`, alt: `Image returned by ${tool} (${mime})` };
  }
  const resource = item.resource as Record<string, unknown> | undefined;
  if (item.type === 'resource' && resource && str(resource.uri) !== undefined) {
    const text = str(resource.text);
    const blob = str(resource.blob);
    const described =
      text ?? (blob !== undefined ? `(binary, ${str(resource.mimeType) ?? 'no type'})` : undefined);
    return {
      kind: 'resource',
      uri: str(resource.uri) ?? '',
      ...(described !== undefined ? { text: described } : {}),
    };
  }
  return { kind: 'json', json: json(item) };
}

export function json(value: unknown): string {
  return JSON.stringify(value, null, 2) ?? String(value);
}

export type Parsed = { ok: true; args: Record<string, unknown> } | { ok: false; problem: string };

/** The arguments typed as JSON: an object, or what is wrong with the text. */
export function parseArguments(text: string): Parsed {
  if (text.trim() === '') return { ok: true, args: {} };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { ok: false, problem: `Not valid JSON: ${(err as Error).message}` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, problem: 'The arguments must be a JSON object, like {"name": "value"}' };
  }
  return { ok: true, args: value as Record<string, unknown> };
}
