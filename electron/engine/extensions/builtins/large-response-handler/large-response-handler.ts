import { z } from 'zod';
import type { TimerHandle } from '../../../flow/clock.js';
import type { JsonRpcMessage } from '../../../jsonrpc/messages.js';
import type { CallInfo, Extension, ExtensionContext, JsonObject, Tool, ToolResult } from '../../extension.js';
import { textResult } from '../../extension.js';
import { ResponseStore } from './response-store.js';
import { fitsWithin, replyText, shortenedNote, shortenResult } from './shortened-reply.js';
import {
  MAX_READ_LENGTH,
  READ_STORED_RESPONSE_TOOL,
  readStoredResponse,
  readStoredResponseTool,
  safeEnd,
} from './read-stored-response.js';

export const LARGE_RESPONSE_HANDLER_ID = 'large-response-handler';
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

class LargeResponseHandler implements Extension {
  readonly id = LARGE_RESPONSE_HANDLER_ID;
  readonly name = 'Large responses';
  readonly version = '1.0.0';
  readonly description =
    'Stores replies too large for a model context and sends a preview, with a tool to read the rest page by page.';
  /** Off unless asked for: `/mcp/NAME` and `connect NAME` show each server as it is. */
  readonly defaultEnabled = false;
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
    const note = shortenedNote({ id, bytes, total: text.length, end, result: reply.result }, this.config);
    return { ...reply, result: shortenResult(call.method, reply.result, text.slice(0, end), note) };
  }

  private declaresOutput(server: string, tool: string): boolean {
    return this.ctx?.toolsOf(server).some((t) => t.name === tool && t.outputSchema !== undefined) ?? false;
  }

  getAdditionalTools(): Tool[] {
    return [readStoredResponseTool(this.config)];
  }

  async handleToolCall(name: string, args: JsonObject): Promise<ToolResult> {
    if (name !== READ_STORED_RESPONSE_TOOL) return textResult(`Unknown tool ${name}.`, true);
    return readStoredResponse(
      args,
      (id) => this.storedText(id),
      () => this.config,
    );
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
