import type { JsonObject } from '../../extension.js';
import { READ_STORED_RESPONSE_TOOL } from './read-stored-response.js';

/**
 * A reply too large for a model context, as text, and the shortened result that replaces it: the
 * text's first part and a note that says how large it was and how to read the rest.
 */

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function itemText(item: unknown): string {
  if (isObject(item) && typeof item.text === 'string') return item.text;
  return JSON.stringify(item);
}

/** The reply as one text, the way a person would read it: what the preview and the pages cut from. */
export function replyText(method: string, result: unknown): string {
  if (!isObject(result)) return JSON.stringify(result) ?? '';
  if (method === 'tools/call' && Array.isArray(result.content)) {
    if (result.content.length === 0 && result.structuredContent !== undefined) {
      return JSON.stringify(result.structuredContent, null, 2);
    }
    return result.content
      .map((item) => (isObject(item) && item.type === 'text' ? itemText(item) : JSON.stringify(item)))
      .join('\n');
  }
  if (method === 'resources/read' && Array.isArray(result.contents)) {
    return result.contents.map(itemText).join('\n');
  }
  if (method === 'prompts/get' && Array.isArray(result.messages)) {
    return result.messages
      .map((m) => (isObject(m) ? `${String(m.role)}: ${itemText(m.content)}` : JSON.stringify(m)))
      .join('\n\n');
  }
  return JSON.stringify(result);
}

/** A valid result of the same method holding the preview and the note. */
export function shortenResult(method: string, result: unknown, preview: string, note: string): JsonObject {
  const original = isObject(result) ? result : {};
  const meta = original._meta !== undefined ? { _meta: original._meta } : {};
  if (method === 'resources/read') {
    const first =
      Array.isArray(original.contents) && isObject(original.contents[0]) ? original.contents[0] : {};
    const uri = typeof first.uri === 'string' ? first.uri : 'switchboard://stored-reply';
    return { contents: [{ uri, mimeType: 'text/plain', text: `${preview}\n\n${note}` }], ...meta };
  }
  if (method === 'prompts/get') {
    const first =
      Array.isArray(original.messages) && isObject(original.messages[0]) ? original.messages[0] : {};
    const role = first.role === 'assistant' ? 'assistant' : 'user';
    return {
      ...(typeof original.description === 'string' ? { description: original.description } : {}),
      messages: [{ role, content: { type: 'text', text: `${preview}\n\n${note}` } }],
      ...meta,
    };
  }
  return {
    content: [
      { type: 'text', text: preview },
      { type: 'text', text: note },
    ],
    ...(original.isError === true ? { isError: true } : {}),
    ...meta,
  };
}

/** The note that ends a shortened reply: how large it was, where it is stored and how to read on. */
export function shortenedNote(
  r: { id: string; bytes: number; total: number; end: number; result: unknown },
  limits: { thresholdBytes: number; expiryMinutes: number },
): string {
  const parts = [
    `[Switchboard shortened this reply: it was ${formatBytes(r.bytes)} (${r.total} characters of text), ` +
      `over the ${formatBytes(limits.thresholdBytes)} limit.`,
  ];
  if (r.end < r.total) {
    parts.push(
      `Above are characters 0–${r.end}. The full reply is stored as "${r.id}" for ` +
        `${limits.expiryMinutes} minutes. To read the rest, call the tool ${READ_STORED_RESPONSE_TOOL} ` +
        `with {"id": "${r.id}", "offset": ${r.end}}; each call returns the next part and the offset after it.`,
    );
  } else {
    parts.push(
      `All of its text is above; the full reply is stored as "${r.id}" for ${limits.expiryMinutes} minutes.`,
    );
  }
  if (isObject(r.result) && r.result.structuredContent !== undefined) {
    parts.push('Its structuredContent was dropped from this shortened reply.');
  }
  return `${parts.join(' ')}]`;
}

/**
 * True when `value` surely serializes to at most `limit` bytes: strings counted at 6 bytes per
 * character (the worst JSON escape, `\u0000`), 16 bytes of syntax per key or item. A walk that
 * passes the limit, or meets too many nodes, says no and the caller measures exactly.
 */
export function fitsWithin(value: unknown, limit: number): boolean {
  let budget = limit;
  let nodes = 0;
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (++nodes > 10_000) return false;
    budget -= 16;
    if (typeof v === 'string') budget -= v.length * 6;
    else if (typeof v === 'object' && v !== null) {
      if (Array.isArray(v)) stack.push(...v);
      else
        for (const [key, item] of Object.entries(v)) {
          budget -= key.length * 6;
          stack.push(item);
        }
    }
    if (budget < 0) return false;
  }
  return true;
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1).replace(/\.0$/, '')} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1).replace(/\.0$/, '')} MB`;
}
