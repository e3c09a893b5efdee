import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { activityEntrySchema } from '../../../../shared/api-schemas.js';
import { engineError } from '../../../../shared/errors.js';
import type { JsonRpcMessage } from '../../../jsonrpc/messages.js';
import { FakeClock } from '../../../testing/fake-clock.js';
import type { CallInfo, JsonObject } from '../../extension.js';
import { fakeCall, fakeContext, type FakeContext } from '../../testing/fake-context.js';
import {
  configSchema,
  createRequestLogger,
  REQUEST_LOGGER_ID,
  type RequestLogger,
} from './request-logger.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function setup(config: JsonObject = {}): { logger: RequestLogger; ctx: FakeContext; clock: FakeClock } {
  const clock = new FakeClock();
  const ctx = fakeContext({ id: REQUEST_LOGGER_ID, config, clock });
  dirs.push(ctx.dataDir);
  const logger = createRequestLogger();
  logger.initialize(ctx);
  return { logger, ctx, clock };
}

const ok = (result: unknown = { content: [{ type: 'text', text: 'fine' }] }): JsonRpcMessage => ({
  jsonrpc: '2.0',
  id: 1,
  result,
});

/** Runs one call through the hooks, `ms` apart on the clock. */
function roundTrip(
  logger: RequestLogger,
  clock: FakeClock,
  partial: Partial<CallInfo> & { method: string; params?: unknown },
  reply: JsonRpcMessage,
  ms = 10,
): void {
  const { call, request } = fakeCall({ startedAt: clock.now(), ...partial });
  expect(logger.onRequest(request)).toBe(request);
  clock.advance(ms);
  expect(logger.onResponse(reply, call, request)).toBe(reply);
}

describe('request-logger', () => {
  it('describes itself with config defaults', () => {
    const logger = createRequestLogger();
    expect(logger.id).toBe('request-logger');
    expect(logger.defaultEnabled).toBe(false);
    expect(logger.name).toBe('Request log');
    const props = configSchema.properties as Record<string, { default?: unknown }>;
    expect(props.maxFileBytes?.default).toBe(5 * 1024 * 1024);
    expect(props.maxFiles?.default).toBe(3);
    expect(props.logParams?.default).toBe(true);
    expect(props.maxParamBytes?.default).toBe(2048);
  });

  it('writes one valid entry per call with timing, sizes and outcome', async () => {
    const { logger, ctx, clock } = setup();
    const params = { name: 'search', arguments: { q: 'weather' } };
    roundTrip(
      logger,
      clock,
      {
        method: 'tools/call',
        params,
        server: 'docs',
        client: 'Cursor',
        session: 'abc',
        endpoint: 'aggregate',
      },
      ok(),
      42,
    );
    expect(existsSync(path.join(ctx.dataDir, 'activity.jsonl'))).toBe(false); // not on the hot path
    await logger.flush();
    const [entry] = await logger.search({ limit: 10 });
    expect(activityEntrySchema.parse(entry)).toEqual(entry);
    expect(entry).toEqual({
      at: 1_000_000,
      session: 'abc',
      client: 'Cursor',
      endpoint: 'aggregate',
      server: 'docs',
      method: 'tools/call',
      tool: 'search',
      durationMs: 42,
      status: 'ok',
      requestBytes: Buffer.byteLength(
        JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params }),
      ),
      responseBytes: Buffer.byteLength(JSON.stringify(ok())),
      params,
    });
  });

  it('tells ok, error, tool error, blocked and cancelled apart', async () => {
    const { logger, clock } = setup();
    const call = (name: string) => ({ method: 'tools/call', params: { name } });
    roundTrip(logger, clock, call('fine'), ok());
    roundTrip(logger, clock, call('broken'), {
      jsonrpc: '2.0',
      id: 1,
      error: { code: -32603, message: 'boom' },
    });
    roundTrip(
      logger,
      clock,
      call('sad'),
      ok({ content: [{ type: 'text', text: 'file not found' }], isError: true }),
    );
    for (const name of ['RATE_LIMITED', 'CIRCUIT_OPEN', 'BLOCKED_BY_EXTENSION'] as const) {
      roundTrip(logger, clock, call(name), {
        jsonrpc: '2.0',
        id: 1,
        error: engineError(name, { server: 'echo' }),
      });
    }
    const { call: cancelled, request } = fakeCall({ startedAt: clock.now(), ...call('slow') });
    logger.onRequest(request);
    clock.advance(500);
    logger.onCancelled(cancelled, request);
    const entries = await logger.search({ limit: 100 });
    const byTool = Object.fromEntries(entries.map((e) => [e.tool, e]));
    expect(byTool.fine?.status).toBe('ok');
    expect(byTool.broken).toMatchObject({ status: 'error', error: 'boom' });
    expect(byTool.sad).toMatchObject({ status: 'error', error: 'file not found' });
    expect(byTool.RATE_LIMITED).toMatchObject({ status: 'blocked', error: 'Rate limit exceeded' });
    expect(byTool.CIRCUIT_OPEN?.status).toBe('blocked');
    expect(byTool.BLOCKED_BY_EXTENSION?.status).toBe('blocked');
    expect(byTool.slow).toMatchObject({ status: 'cancelled', durationMs: 500, responseBytes: 0 });
    expect(byTool.slow?.params).toEqual({ name: 'slow' });
    expect((await logger.search({ status: 'blocked', limit: 100 })).length).toBe(3);
  });

  it('times a call from its start, as the engine stamped it', async () => {
    const { logger, clock } = setup();
    const { call, request } = fakeCall({
      method: 'resources/read',
      params: { uri: 'file:///a' },
      startedAt: 999_000,
    });
    clock.advance(0);
    logger.onResponse(ok({ contents: [] }), call, request);
    const [entry] = await logger.search({ limit: 1 });
    expect(entry).toMatchObject({
      at: 999_000,
      durationMs: 1000,
      method: 'resources/read',
      params: { uri: 'file:///a' },
    });
    expect(entry?.tool).toBeUndefined();
  });

  it('redacts secrets in params and error messages', async () => {
    const { logger, ctx, clock } = setup();
    roundTrip(
      logger,
      clock,
      {
        method: 'tools/call',
        params: {
          name: 'fetch',
          arguments: {
            url: 'https://api.example.com/?api_key=abc123',
            headers: { Authorization: 'Bearer abc123def456' },
            password: 'hunter2',
          },
        },
      },
      {
        jsonrpc: '2.0',
        id: 1,
        error: { code: 1, message: 'bad token ghp_abcdefghijklmnopqrstuvwxyz0123456789' },
      },
    );
    await logger.flush();
    // Raw bytes on disk: nothing can hide behind parsing.
    const onDisk = readdirSync(ctx.dataDir)
      .map((f) => readFileSync(path.join(ctx.dataDir, f), 'utf8'))
      .join('');
    for (const secret of ['abc123', 'abc123def456', 'hunter2', 'ghp_']) expect(onDisk).not.toContain(secret);
    const [entry] = await logger.search({ limit: 1 });
    expect(entry?.params).toEqual({
      name: 'fetch',
      arguments: {
        url: 'https://api.example.com/?api_key=[redacted]',
        headers: { Authorization: '[redacted]' },
        password: '[redacted]',
      },
    });
    expect(entry?.error).toBe('bad token [redacted]');
  });

  it('cuts params to maxParamBytes and leaves them out when logParams is off', async () => {
    const { logger, clock } = setup({ maxParamBytes: 300 });
    roundTrip(
      logger,
      clock,
      { method: 'tools/call', params: { name: 'write', arguments: { text: 'lorem ipsum '.repeat(500) } } },
      ok(),
    );
    let [entry] = await logger.search({ limit: 1 });
    expect(typeof entry?.params).toBe('string');
    expect(Buffer.byteLength(String(entry?.params))).toBeLessThan(400);
    expect(String(entry?.params)).toMatch(/^\{"name":"write".*… \(cut, \d+ bytes\)$/);
    logger.configure({ logParams: false });
    roundTrip(logger, clock, { method: 'tools/call', params: { name: 'quiet' } }, ok());
    [entry] = await logger.search({ limit: 1 });
    expect(entry?.tool).toBe('quiet');
    expect(entry).not.toHaveProperty('params');
  });

  it('searches by words across params, tool and client', async () => {
    const { logger, clock } = setup();
    roundTrip(
      logger,
      clock,
      {
        method: 'tools/call',
        params: { name: 'search', arguments: { q: 'Berlin weather' } },
        client: 'Claude',
      },
      ok(),
    );
    roundTrip(
      logger,
      clock,
      { method: 'tools/call', params: { name: 'search', arguments: { q: 'Paris' } }, client: 'Cursor' },
      ok(),
    );
    roundTrip(logger, clock, { method: 'prompts/get', params: { name: 'summary' }, server: 'notes' }, ok());
    expect((await logger.search({ query: 'berlin' })).map((e) => e.client)).toEqual(['Claude']);
    expect((await logger.search({ query: 'SEARCH cursor' })).map((e) => e.client)).toEqual(['Cursor']);
    expect((await logger.search({ server: 'notes' })).map((e) => e.method)).toEqual(['prompts/get']);
    expect((await logger.search({})).length).toBe(3);
  });

  it('flushes on shutdown; search still reads the log afterwards', async () => {
    const { logger, ctx, clock } = setup();
    roundTrip(logger, clock, { method: 'tools/call', params: { name: 'last' } }, ok());
    await logger.shutdown();
    expect(existsSync(path.join(ctx.dataDir, 'activity.jsonl'))).toBe(true);
    expect(clock.pending).toBe(0);
    expect((await logger.search({})).map((e) => e.tool)).toEqual(['last']);
  });

  it('search before initialize is empty', async () => {
    expect(await createRequestLogger().search({ limit: 5 })).toEqual([]);
  });
});
