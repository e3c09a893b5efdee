import { z } from 'zod';
import type { TimerHandle } from '../../../flow/clock.js';
import type { JsonRpcMessage } from '../../../jsonrpc/messages.js';
import type { CallInfo, Extension, ExtensionContext, JsonObject, Tool, ToolResult } from '../../extension.js';
import { textResult } from '../../extension.js';
import { ResponseStore } from './response-store.js';

export const LARGE_RESPONSE_HANDLER_ID = 'large-response-handler';
/** The tool clients call to page through a stored reply. */
export const READ_STORED_RESPONSE_TOOL = 'read_stored_response';
const MAX_READ_LENGTH = 100_000;
const SWEEP_EVERY_MS = 60_000;
/** The methods whose replies can be big documents (tool output, file contents, prompt text). */
const HANDLED_METHODS = new Set(['tools/call', 'resources/read', 'prompts/get']);

const schema = z.object({
  thresholdBytes: z
    .number()
    .int()
    .min(1024)
    .default(25_600)
    .describe(
      'Replies larger than this many bytes (as JSON) are stored on disk and shortened for the client.',
    )
    .meta({ title: 'Store replies larger than (bytes)' }),
  previewChars: z
    .number()
    .int()
    .min(100)
    .max(MAX_READ_LENGTH)
    .default(4000)
    .describe(
      'How many characters of a shortened reply the client gets at once (the first part, then each page).',
    )
    .meta({ title: 'Characters sent at once' }),
  expiryMinutes: z
    .number()
    .int()
    .min(1)
    .max(7 * 24 * 60)
    .default(60)
    .describe('Stored replies are deleted this many minutes after they were stored.')
    .meta({ title: 'Keep stored replies for (minutes)' }),
});

export type LargeResponseConfig = z.output<typeof schema>;
export const configSchema = z.toJSONSchema(schema, { io: 'input' }) as JsonObject;

const readArgsSchema = z.object({
  id: z.string().min(1),
  // Some clients send numbers as strings.
  offset: z.coerce.number().int().min(0).default(0),
  length: z.coerce.number().int().min(1).max(MAX_READ_LENGTH).optional(),
});

class LargeResponseHandler implements Extension {
  readonly id = LARGE_RESPONSE_HANDLER_ID;
  readonly name = 'Large responses';
  readonly version = '1.0.0';
  readonly description =
    'Stores replies too large for a model context and sends a preview, with a tool to read the rest page by page.';
  readonly defaultEnabled = true;
  readonly configSchema = configSchema;

  private ctx: ExtensionContext | undefined;
  private config: LargeResponseConfig = schema.parse({});
  private store: ResponseStore | undefined;
  private sweepTimer: TimerHandle | undefined;
  private sweeping = false;
  /** The last reply paged through, as text: clients read one reply page after page. */
  private lastRead: { id: string; text: string } | undefined;

  async initialize(ctx: ExtensionContext): Promise<void> {
    this.ctx = ctx;
    this.configure(ctx.config);
    this.store = new ResponseStore({ dir: ctx.dataDir, clock: ctx.clock, maxAgeMs: this.maxAgeMs() });
    await this.store.load();
    await this.sweep();
    this.armSweep();
  }

  configure(config: JsonObject): void {
    this.config = schema.parse(config);
    if (this.store) this.store.maxAgeMs = this.maxAgeMs();
  }

  shutdown(): void {
    if (this.sweepTimer !== undefined) this.ctx?.clock.clearTimeout(this.sweepTimer);
    this.sweepTimer = undefined;
    this.store = undefined;
    this.lastRead = undefined;
  }

  /** Small replies (nearly all) are passed on at once: no serialization, no promise. */
  onResponse(reply: JsonRpcMessage, call: CallInfo): JsonRpcMessage | Promise<JsonRpcMessage> {
    const store = this.store;
    if (!store || !HANDLED_METHODS.has(call.method) || reply.error || reply.result === undefined)
      return reply;
    // Pages of a stored reply are already cut to size by the reader; never store them again.
    if (call.tool === READ_STORED_RESPONSE_TOOL) return reply;
    if (fitsWithin(reply.result, this.config.thresholdBytes)) return reply;
    // A tool with an outputSchema must answer with structuredContent, which a shortened reply cannot
    // keep: clients (the SDK's among them) would reject it, so such replies go whole.
    if (call.tool !== undefined && this.declaresOutput(call.server, call.tool)) return reply;
    const json = JSON.stringify(reply.result);
    const bytes = Buffer.byteLength(json);
    if (bytes <= this.config.thresholdBytes) return reply;
    return this.storeAndShorten(store, reply, call, json, bytes);
  }

  private async storeAndShorten(
    store: ResponseStore,
    reply: JsonRpcMessage,
    call: CallInfo,
    json: string,
    bytes: number,
  ): Promise<JsonRpcMessage> {
    let id: string;
    try {
      ({ id } = await store.save(
        { server: call.server, method: call.method, ...(call.tool !== undefined ? { tool: call.tool } : {}) },
        json,
      ));
    } catch (err) {
      this.ctx?.log.warn(
        `could not store a ${bytes}-byte reply from ${call.server}, sent it whole: ${String(err)}`,
      );
      return reply;
    }
    const text = replyText(call.method, reply.result);
    const end = safeEnd(text, 0, this.config.previewChars);
    const note = this.shortenedNote({ id, bytes, total: text.length, end, result: reply.result });
    return { ...reply, result: shortenResult(call.method, reply.result, text.slice(0, end), note) };
  }

  private declaresOutput(server: string, tool: string): boolean {
    return this.ctx?.toolsOf(server).some((t) => t.name === tool && t.outputSchema !== undefined) ?? false;
  }

  getAdditionalTools(): Tool[] {
    return [
      {
        name: READ_STORED_RESPONSE_TOOL,
        title: 'Read a stored reply',
        description:
          'Reads more of a long reply that Switchboard stored instead of sending it whole. ' +
          'Pass the id from the shortened reply and the offset it names; each call returns the next part and ' +
          `the offset after it. Stored replies expire after ${this.config.expiryMinutes} minutes.`,
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
              default: this.config.previewChars,
              description: 'How many characters to read.',
            },
          },
          required: ['id'],
        },
      },
    ];
  }

  async handleToolCall(name: string, args: JsonObject): Promise<ToolResult> {
    if (name !== READ_STORED_RESPONSE_TOOL) return textResult(`Unknown tool ${name}.`, true);
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
    const text = await this.storedText(id);
    if (text === undefined) {
      return textResult(
        `No stored reply "${id}": stored replies expire after ${this.config.expiryMinutes} minutes, and this one ` +
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
    const end = safeEnd(text, offset, offset + (parsed.data.length ?? this.config.previewChars));
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

  private async storedText(id: string): Promise<string | undefined> {
    const store = this.store;
    if (!store) return undefined;
    const stored = await store.read(id);
    if (!stored) return undefined;
    if (this.lastRead?.id === id) return this.lastRead.text;
    const text = replyText(stored.method, stored.result);
    this.lastRead = { id, text };
    return text;
  }

  private shortenedNote(r: {
    id: string;
    bytes: number;
    total: number;
    end: number;
    result: unknown;
  }): string {
    const parts = [
      `[Switchboard shortened this reply: it was ${formatBytes(r.bytes)} (${r.total} characters of text), ` +
        `over the ${formatBytes(this.config.thresholdBytes)} limit.`,
    ];
    if (r.end < r.total) {
      parts.push(
        `Above are characters 0–${r.end}. The full reply is stored as "${r.id}" for ` +
          `${this.config.expiryMinutes} minutes. To read the rest, call the tool ${READ_STORED_RESPONSE_TOOL} ` +
          `with {"id": "${r.id}", "offset": ${r.end}}; each call returns the next part and the offset after it.`,
      );
    } else {
      parts.push(
        `All of its text is above; the full reply is stored as "${r.id}" for ${this.config.expiryMinutes} minutes.`,
      );
    }
    if (isObject(r.result) && r.result.structuredContent !== undefined) {
      parts.push('Its structuredContent was dropped from this shortened reply.');
    }
    return `${parts.join(' ')}]`;
  }

  private maxAgeMs(): number {
    return this.config.expiryMinutes * 60_000;
  }

  /** Re-armed before each sweep runs, so a slow sweep never stops the next one; overlapping runs skip. */
  private armSweep(): void {
    const ctx = this.ctx;
    if (!ctx || !this.store) return;
    this.sweepTimer = ctx.clock.setTimeout(() => {
      this.armSweep();
      void this.sweep();
    }, SWEEP_EVERY_MS);
  }

  private async sweep(): Promise<void> {
    const store = this.store;
    if (!store || this.sweeping) return;
    this.sweeping = true;
    try {
      const removed = await store.sweep();
      if (removed > 0)
        this.ctx?.log.info(`deleted ${removed} expired stored repl${removed === 1 ? 'y' : 'ies'}`);
    } catch (err) {
      this.ctx?.log.warn(`could not delete expired stored replies: ${String(err)}`);
    } finally {
      this.sweeping = false;
    }
  }
}

export function createLargeResponseHandler(): Extension {
  return new LargeResponseHandler();
}

// ---- reply text and shortened results ----

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

/**
 * Where a part starting at `start` ends: never inside a surrogate pair (a lone half is not valid
 * UTF-8), and always past `start` so paging moves on.
 */
function safeEnd(text: string, start: number, end: number): number {
  if (end >= text.length) return text.length;
  const code = text.charCodeAt(end - 1);
  if (code < 0xd800 || code > 0xdbff) return end;
  return end - 1 > start ? end - 1 : end + 1;
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1).replace(/\.0$/, '')} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1).replace(/\.0$/, '')} MB`;
}
