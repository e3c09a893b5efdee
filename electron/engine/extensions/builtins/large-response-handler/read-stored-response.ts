import { z } from 'zod';
import type { JsonObject, Tool, ToolResult } from '../../extension.js';
import { textResult } from '../../extension.js';

/*
 * The large response handler's read tool: clients page through a stored reply with it, each call
 * returning the next part and the offset after it.
 */

/** The tool clients call to page through a stored reply. */
export const READ_STORED_RESPONSE_TOOL = 'read_stored_response';
/** The most characters one read returns (and the largest preview). */
export const MAX_READ_LENGTH = 100_000;

const readArgsSchema = z.object({
  id: z.string().min(1),
  // Some clients send numbers as strings.
  offset: z.coerce.number().int().min(0).default(0),
  length: z.coerce.number().int().min(1).max(MAX_READ_LENGTH).optional(),
});

/** What reading depends on of the large response handler's config. */
export interface ReadLimits {
  /** The length of a page when the client asks for none. */
  previewChars: number;
  expiryMinutes: number;
}

/** The read tool, as clients list it. */
export function readStoredResponseTool(limits: ReadLimits): Tool {
  return {
    name: READ_STORED_RESPONSE_TOOL,
    title: 'Read a stored reply',
    description:
      'Reads more of a long reply that Switchboard stored instead of sending it whole. ' +
      'Pass the id from the shortened reply and the offset it names; each call returns the next part and ' +
      `the offset after it. Stored replies expire after ${limits.expiryMinutes} minutes.`,
    inputSchema: {
      type: 'object',
      properties: {
        id: { type: 'string', description: 'The stored reply id, like r-0123456789abcdef.' },
        offset: {
          type: 'integer',
          minimum: 0,
          default: 0,
          description: 'Character offset to start reading at.',
        },
        length: {
          type: 'integer',
          minimum: 1,
          maximum: MAX_READ_LENGTH,
          default: limits.previewChars,
          description: 'How many characters to read.',
        },
      },
      required: ['id'],
    },
  };
}

/**
 * A call of the read tool: the part of the stored reply's text asked for and the offset after it, or
 * an error saying what to do. `storedText` finds a stored reply's text (undefined: expired or never
 * stored); `limits` is read once it has, so the config in force then applies.
 */
export async function readStoredResponse(
  args: JsonObject,
  storedText: (id: string) => Promise<string | undefined>,
  limits: () => ReadLimits,
): Promise<ToolResult> {
  const parsed = readArgsSchema.safeParse(args);
  if (!parsed.success) {
    const problem = parsed.error.issues
      .map((i) => `${i.path.join('.') || 'arguments'}: ${i.message}`)
      .join('; ');
    return textResult(
      `${READ_STORED_RESPONSE_TOOL} needs {"id": "r-…", "offset": N} (optional "length" up to ` +
        `${MAX_READ_LENGTH}): ${problem}`,
      true,
    );
  }
  const { id, offset } = parsed.data;
  const text = await storedText(id);
  if (text === undefined) {
    return textResult(
      `No stored reply "${id}": stored replies expire after ${limits().expiryMinutes} minutes, and this one ` +
        'has expired or never existed. Call the original tool again to get a fresh reply.',
      true,
    );
  }
  const total = text.length;
  if (offset > total) {
    return textResult(
      `Offset ${offset} is past the end: stored reply "${id}" has ${total} characters.`,
      true,
    );
  }
  const end = safeEnd(text, offset, offset + (parsed.data.length ?? limits().previewChars));
  const footer =
    end >= total
      ? `[end of the stored reply: characters ${offset}–${end} of ${total}]`
      : `[characters ${offset}–${end}; next offset ${end} of ${total}: call ${READ_STORED_RESPONSE_TOOL} ` +
        `with {"id": "${id}", "offset": ${end}}]`;
  return {
    content: [
      { type: 'text', text: text.slice(offset, end) },
      { type: 'text', text: footer },
    ],
  };
}

/**
 * Where a part starting at `start` ends: never inside a surrogate pair (a lone half is not valid
 * UTF-8), and always past `start` so paging moves on.
 */
export function safeEnd(text: string, start: number, end: number): number {
  if (end >= text.length) return text.length;
  const code = text.charCodeAt(end - 1);
  if (code < 0xd800 || code > 0xdbff) return end;
  return end - 1 > start ? end - 1 : end + 1;
}
