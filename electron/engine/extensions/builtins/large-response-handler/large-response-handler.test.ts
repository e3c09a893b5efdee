import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { JsonRpcMessage } from '../../../jsonrpc/messages.js';
import { FakeClock } from '../../../testing/fake-clock.js';
import type { Extension, JsonObject, ToolCallContext, ToolResult } from '../../extension.js';
import { fakeCall, fakeContext, type FakeContext } from '../../testing/fake-context.js';
import {
  configSchema,
  createLargeResponseHandler,
  LARGE_RESPONSE_HANDLER_ID,
} from './large-response-handler.js';
import { READ_STORED_RESPONSE_TOOL } from './read-stored-response.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function setup(
  config: JsonObject = {},
): Promise<{ ext: Extension; ctx: FakeContext; clock: FakeClock }> {
  const clock = new FakeClock();
  const ctx = fakeContext({ id: LARGE_RESPONSE_HANDLER_ID, config, clock });
  dirs.push(ctx.dataDir);
  const ext = createLargeResponseHandler();
  await ext.initialize!(ctx);
  return { ext, ctx, clock };
}

/** A deterministic text with no repeats at page boundaries, so a wrong offset shows. */
function bigText(chars: number): string {
  let out = '';
  for (let i = 0; out.length < chars; i++) out += `line ${i}: ${'x'.repeat(i % 50)}\n`;
  return out.slice(0, chars);
}

function toolReply(result: JsonObject): JsonRpcMessage {
  return { jsonrpc: '2.0', id: 1, result };
}

async function respond(
  ext: Extension,
  reply: JsonRpcMessage,
  method = 'tools/call',
  params: unknown = { name: 'dump' },
) {
  const { call, request } = fakeCall({ method, params });
  return (await ext.onResponse!(reply, call, request)) as JsonRpcMessage;
}

const toolCtx = {} as ToolCallContext;
function read(ext: Extension, args: JsonObject): Promise<ToolResult> {
  return ext.handleToolCall!(READ_STORED_RESPONSE_TOOL, args, toolCtx);
}

function texts(result: unknown): string[] {
  return ((result as ToolResult).content ?? []).map((c) => String(c.text));
}

function storedId(note: string): string {
  const id = /"id": "(r-[0-9a-f]{16})"/.exec(note)?.[1];
  if (!id) throw new Error(`no id in note: ${note}`);
  return id;
}

function storedFiles(ctx: FakeContext): string[] {
  return readdirSync(ctx.dataDir).filter((f) => f.endsWith('.json'));
}

describe('large-response-handler', () => {
  it('describes itself and its config with defaults', () => {
    const ext = createLargeResponseHandler();
    expect(ext.id).toBe('large-response-handler');
    expect(ext.defaultEnabled).toBe(false); // servers are shown as they are unless someone asks
    expect(ext.name).toBe('Large responses');
    const props = configSchema.properties as Record<string, { default?: unknown; description?: string }>;
    expect(props.thresholdBytes?.default).toBe(25_600);
    expect(props.previewChars?.default).toBe(4000);
    expect(props.expiryMinutes?.default).toBe(60);
    expect(props.thresholdBytes?.description).toBeTruthy();
  });

  it('sends a large reply of a tool with an outputSchema whole (structuredContent must stay)', async () => {
    const { ext, ctx } = await setup({ thresholdBytes: 2048 });
    ctx.tools.echo = [{ name: 'dump', inputSchema: { type: 'object' }, outputSchema: { type: 'object' } }];
    const reply = toolReply({
      content: [{ type: 'text', text: bigText(10_000) }],
      structuredContent: { a: 1 },
    });
    expect(await respond(ext, reply)).toBe(reply);
    expect(storedFiles(ctx)).toEqual([]);
  });

  it('passes replies at or under the threshold through untouched', async () => {
    const { ext, ctx } = await setup({ thresholdBytes: 2048 });
    const reply = toolReply({ content: [{ type: 'text', text: 'a'.repeat(1500) }] });
    expect(await respond(ext, reply)).toBe(reply);
    expect(storedFiles(ctx)).toEqual([]);
  });

  it('shortens a large tool reply, keeps isError, drops structuredContent and stores the full result', async () => {
    const { ext, ctx } = await setup({ thresholdBytes: 2048, previewChars: 500 });
    const text = bigText(10_000);
    const result = { content: [{ type: 'text', text }], isError: true, structuredContent: { rows: 3 } };
    const out = await respond(ext, toolReply(result));
    const shortened = out.result as ToolResult;
    expect(out.id).toBe(1);
    expect(shortened.isError).toBe(true);
    expect(shortened.structuredContent).toBeUndefined();
    const [preview, note] = texts(shortened);
    expect(preview).toBe(text.slice(0, 500));
    const id = storedId(note!);
    expect(note).toContain(`call the tool ${READ_STORED_RESPONSE_TOOL} with {"id": "${id}", "offset": 500}`);
    expect(note).toContain('10000 characters of text');
    expect(note).toContain('structuredContent was dropped');
    expect(note).toContain('60 minutes');
    const files = storedFiles(ctx);
    expect(files).toHaveLength(1);
    expect(files[0]!.startsWith(`${id}.`)).toBe(true);
    const stored = JSON.parse(readFileSync(path.join(ctx.dataDir, files[0]!), 'utf8')) as { result: unknown };
    expect(stored.result).toEqual(result);
  });

  it('says so when the whole text fits the preview (the size came from structuredContent)', async () => {
    const { ext } = await setup({ thresholdBytes: 1024, previewChars: 500 });
    const result = {
      content: [{ type: 'text', text: 'summary' }],
      structuredContent: { rows: 'r'.repeat(5000) },
    };
    const [preview, note] = texts((await respond(ext, toolReply(result))).result);
    expect(preview).toBe('summary');
    expect(note).toContain('All of its text is above');
    expect(note).toContain('structuredContent was dropped');
    expect(note).not.toContain('"offset"');
  });

  it('renders non-text items as JSON in the text', async () => {
    const { ext } = await setup({ thresholdBytes: 1024, previewChars: 100_000 });
    const image = { type: 'image', data: 'A'.repeat(3000), mimeType: 'image/png' };
    const out = await respond(ext, toolReply({ content: [{ type: 'text', text: 'caption' }, image] }));
    const [preview] = texts(out.result);
    expect(preview).toBe(`caption\n${JSON.stringify(image)}`);
  });

  it('pages through a stored reply to its end, the pages adding up to the whole text', async () => {
    const { ext } = await setup({ thresholdBytes: 1024, previewChars: 700 });
    const text = bigText(5000);
    const out = await respond(
      ext,
      toolReply({
        content: [
          { type: 'text', text: text.slice(0, 2500) },
          { type: 'text', text: text.slice(2500) },
        ],
      }),
    );
    const [preview, note] = texts(out.result);
    const id = storedId(note!);
    const whole = `${text.slice(0, 2500)}\n${text.slice(2500)}`;
    let collected = preview!;
    let offset = collected.length;
    let footer = '';
    for (let i = 0; i < 20 && !footer.startsWith('[end'); i++) {
      const page = await read(ext, { id, offset });
      expect(page.isError).toBeUndefined();
      const [slice, pageFooter] = texts(page);
      collected += slice;
      footer = pageFooter!;
      const next = /next offset (\d+) of (\d+)/.exec(footer);
      if (next) {
        expect(Number(next[2])).toBe(whole.length);
        offset = Number(next[1]);
      }
    }
    expect(footer).toBe(`[end of the stored reply: characters 4900–${whole.length} of ${whole.length}]`);
    expect(collected).toBe(whole);
  });

  it('reads the length asked for, capped by the schema, and refuses offsets past the end', async () => {
    const { ext } = await setup({ thresholdBytes: 1024, previewChars: 100 });
    const text = bigText(3000);
    const id = storedId(
      texts((await respond(ext, toolReply({ content: [{ type: 'text', text }] }))).result)[1]!,
    );
    const page = await read(ext, { id, offset: 10, length: 25 });
    expect(texts(page)[0]).toBe(text.slice(10, 35));
    expect(texts(page)[1]).toContain(`next offset 35 of 3000`);
    expect((await read(ext, { id, offset: '50' as unknown as number, length: 5 })).content[0]!.text).toBe(
      text.slice(50, 55),
    );
    const tooLong = await read(ext, { id, length: 100_001 });
    expect(tooLong.isError).toBe(true);
    const past = await read(ext, { id, offset: 3001 });
    expect(past.isError).toBe(true);
    expect(texts(past)[0]).toContain('3000 characters');
    const atEnd = await read(ext, { id, offset: 3000 });
    expect(texts(atEnd)).toEqual(['', '[end of the stored reply: characters 3000–3000 of 3000]']);
  });

  it('never splits a surrogate pair at a page boundary', async () => {
    const { ext } = await setup({ thresholdBytes: 1024, previewChars: 101 });
    const text = '😀'.repeat(2000);
    const out = await respond(ext, toolReply({ content: [{ type: 'text', text }] }));
    const [preview, note] = texts(out.result);
    expect(preview).toBe('😀'.repeat(50));
    const page = await read(ext, { id: storedId(note!), offset: 100, length: 1 });
    expect(texts(page)[0]).toBe('😀');
  });

  it('answers an unknown id, and bad arguments, with an error saying what to do', async () => {
    const { ext } = await setup();
    const unknown = await read(ext, { id: 'r-0000000000000000' });
    expect(unknown.isError).toBe(true);
    expect(texts(unknown)[0]).toMatch(/expire after 60 minutes.*Call the original tool again/);
    const traversal = await read(ext, { id: '../../etc/passwd' });
    expect(traversal.isError).toBe(true);
    const missing = await read(ext, {});
    expect(missing.isError).toBe(true);
    expect(texts(missing)[0]).toContain('"offset": N');
  });

  it('expires stored replies: reads fail after expiryMinutes and the minute sweep deletes the files', async () => {
    const { ext, ctx, clock } = await setup({ thresholdBytes: 1024, previewChars: 1000, expiryMinutes: 5 });
    const out = await respond(ext, toolReply({ content: [{ type: 'text', text: bigText(4000) }] }));
    const id = storedId(texts(out.result)[1]!);
    clock.advance(4 * 60_000);
    expect((await read(ext, { id })).isError).toBeUndefined();
    expect(storedFiles(ctx)).toHaveLength(1);
    clock.advance(60_000);
    // The sweep runs on the timer; wait (bounded) for its async delete.
    for (let i = 0; i < 100 && storedFiles(ctx).length > 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(storedFiles(ctx)).toEqual([]);
    expect(ctx.logs.some((l) => l.includes('deleted 1 expired stored reply'))).toBe(true);
    const expired = await read(ext, { id });
    expect(expired.isError).toBe(true);
    expect(texts(expired)[0]).toContain('expire after 5 minutes');
    expect(clock.pending).toBe(1);
    await ext.shutdown!();
    expect(clock.pending).toBe(0);
  });

  it('sweeps expired files left by an earlier run on initialize, and deletes half-written ones', async () => {
    const clock = new FakeClock(10_000_000);
    const ctx = fakeContext({ id: LARGE_RESPONSE_HANDLER_ID, config: {}, clock });
    dirs.push(ctx.dataDir);
    const old = path.join(ctx.dataDir, `r-00000000000000aa.${10_000_000 - 61 * 60_000}.json`);
    const fresh = path.join(ctx.dataDir, `r-00000000000000bb.${10_000_000 - 60_000}.json`);
    const temp = path.join(ctx.dataDir, 'r-00000000000000cc.1.json.tmp');
    const body = (id: string) =>
      JSON.stringify({
        id,
        storedAt: 0,
        server: 's',
        method: 'tools/call',
        result: { content: [{ type: 'text', text: 'hi' }] },
      });
    writeFileSync(old, body('r-00000000000000aa'));
    writeFileSync(fresh, body('r-00000000000000bb'));
    writeFileSync(temp, '{"trunc');
    const ext = createLargeResponseHandler();
    await ext.initialize!(ctx);
    expect(existsSync(old)).toBe(false);
    expect(existsSync(temp)).toBe(false);
    expect(existsSync(fresh)).toBe(true);
    expect(texts(await read(ext, { id: 'r-00000000000000bb' }))[0]).toBe('hi');
    await ext.shutdown!();
  });

  it('keeps the shape of resources/read and prompts/get replies', async () => {
    const { ext } = await setup({ thresholdBytes: 1024, previewChars: 200 });
    const text = bigText(3000);
    const resource = await respond(
      ext,
      toolReply({ contents: [{ uri: 'file:///big.txt', mimeType: 'text/plain', text }] }),
      'resources/read',
      { uri: 'file:///big.txt' },
    );
    const contents = (resource.result as { contents: { uri: string; text: string }[] }).contents;
    expect(contents).toHaveLength(1);
    expect(contents[0]!.uri).toBe('file:///big.txt');
    expect(contents[0]!.text.startsWith(text.slice(0, 200))).toBe(true);
    expect(contents[0]!.text).toContain(READ_STORED_RESPONSE_TOOL);

    const prompt = await respond(
      ext,
      toolReply({
        description: 'a long prompt',
        messages: [
          { role: 'assistant', content: { type: 'text', text } },
          { role: 'user', content: { type: 'text', text: 'more' } },
        ],
      }),
      'prompts/get',
      { name: 'p' },
    );
    const result = prompt.result as {
      description: string;
      messages: { role: string; content: { type: string; text: string } }[];
    };
    expect(result.description).toBe('a long prompt');
    expect(result.messages).toHaveLength(1);
    expect(result.messages[0]!.role).toBe('assistant');
    expect(result.messages[0]!.content.type).toBe('text');
    expect(result.messages[0]!.content.text.startsWith(`assistant: ${text.slice(0, 189)}`)).toBe(true);
  });

  it('leaves other methods, errors and its own pages alone', async () => {
    const { ext } = await setup({ thresholdBytes: 1024 });
    const bigList = toolReply({
      tools: Array.from({ length: 200 }, (_, i) => ({ name: `tool_${i}`, description: 'x'.repeat(50) })),
    });
    expect(await respond(ext, bigList, 'tools/list', {})).toBe(bigList);
    const error: JsonRpcMessage = { jsonrpc: '2.0', id: 1, error: { code: -1, message: 'x'.repeat(5000) } };
    expect(await respond(ext, error)).toBe(error);
    const page = toolReply({ content: [{ type: 'text', text: 'y'.repeat(5000) }] });
    expect(await respond(ext, page, 'tools/call', { name: READ_STORED_RESPONSE_TOOL })).toBe(page);
  });

  it('applies a new threshold live', async () => {
    const { ext } = await setup({ thresholdBytes: 10_000 });
    const reply = toolReply({ content: [{ type: 'text', text: 'z'.repeat(5000) }] });
    expect(await respond(ext, reply)).toBe(reply);
    await ext.configure!({ thresholdBytes: 2000 });
    expect(await respond(ext, reply)).not.toBe(reply);
    expect(() => ext.configure!({ thresholdBytes: 10 })).toThrow();
  });

  it('offers one read tool with a schema that names id, offset and length', async () => {
    const { ext } = await setup({ previewChars: 1234 });
    const tools = ext.getAdditionalTools!({ session: 's', endpoint: 'aggregate' });
    expect(tools.map((t) => t.name)).toEqual([READ_STORED_RESPONSE_TOOL]);
    const schema = tools[0]!.inputSchema as {
      required: string[];
      properties: Record<string, { default?: unknown; maximum?: number }>;
    };
    expect(schema.required).toEqual(['id']);
    expect(schema.properties.offset?.default).toBe(0);
    expect(schema.properties.length?.default).toBe(1234);
    expect(schema.properties.length?.maximum).toBe(100_000);
  });
});
