import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { EngineErrors, type JsonRpcErrorObject } from '../../../../shared/errors.js';
import { FakeClock } from '../../../testing/fake-clock.js';
import type { CallInfo, Extension, JsonObject } from '../../extension.js';
import { fakeCall, fakeContext } from '../../testing/fake-context.js';
import { configSchema, createRateLimiter, RATE_LIMITER_ID } from './rate-limiter.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function setup(config: JsonObject = {}): { ext: Extension; clock: FakeClock } {
  const clock = new FakeClock();
  const ctx = fakeContext({ id: RATE_LIMITER_ID, config, clock });
  dirs.push(ctx.dataDir);
  const ext = createRateLimiter();
  void ext.initialize!(ctx);
  return { ext, clock };
}

type Outcome = ReturnType<NonNullable<Extension['onRequest']>>;

function call(ext: Extension, partial: Partial<CallInfo> & { method?: string; tool?: string } = {}): Outcome {
  const { tool = 'search', method = 'tools/call', ...rest } = partial;
  const { call: info, request } = fakeCall({
    method,
    params: method === 'tools/call' ? { name: tool } : { uri: 'file:///a' },
    ...rest,
  });
  const outcome = ext.onRequest!(request, info);
  if (outcome && 'method' in outcome) expect(outcome).toBe(request);
  return outcome;
}

const passed = (o: Outcome) => o !== null && 'method' in (o as object);
const errorOf = (o: Outcome) =>
  (o as { error: JsonRpcErrorObject & { data: Record<string, unknown> } }).error;

/** How many of `n` calls pass. */
function passes(ext: Extension, n: number, partial: Parameters<typeof call>[1] = {}): number {
  let count = 0;
  for (let i = 0; i < n; i++) if (passed(call(ext, partial))) count++;
  return count;
}

describe('rate-limiter', () => {
  it('describes itself with config defaults', () => {
    const ext = createRateLimiter();
    expect(ext.id).toBe('rate-limiter');
    expect(ext.defaultEnabled).toBe(false);
    expect(ext.name).toBe('Rate limits');
    const props = configSchema.properties as Record<string, { default?: unknown }>;
    expect(props.requestsPerMinute?.default).toBe(60);
    expect(props.burst?.default).toBe(20);
    expect(props.perTool?.default).toEqual({});
    expect(props.methods?.default).toEqual(['tools/call', 'resources/read', 'prompts/get']);
  });

  it('lets the burst through, then answers rate_limited with the limit and when to retry', () => {
    const { ext } = setup();
    expect(passes(ext, 20, { server: 'docs' })).toBe(20);
    const error = errorOf(call(ext, { server: 'docs' }));
    expect(error.code).toBe(EngineErrors.RATE_LIMITED.code);
    expect(error.data.reason).toBe('rate_limited');
    expect(error.data.server).toBe('docs');
    expect(error.data.detail).toBe('tool search of server docs: 60 calls per minute, burst 20');
    expect(error.message).toContain('tool search of server docs');
    expect(error.data.retryAfterMs).toBe(1000);
    expect(String(error.data.suggestion)).toContain('Retry in 1 s');
  });

  it('refills over clock time, up to the burst', () => {
    const { ext, clock } = setup({ requestsPerMinute: 6, burst: 2 });
    expect(passes(ext, 3)).toBe(2);
    clock.advance(9_999);
    expect(passes(ext, 1)).toBe(0);
    expect(errorOf(call(ext)).data.retryAfterMs).toBe(1);
    clock.advance(1);
    expect(passes(ext, 2)).toBe(1);
    clock.advance(3_600_000);
    expect(passes(ext, 5)).toBe(2);
  });

  it('keeps separate buckets per session, server and tool', () => {
    const { ext } = setup({ burst: 1 });
    expect(passes(ext, 2, { session: 'a' })).toBe(1);
    expect(passes(ext, 2, { session: 'b' })).toBe(1);
    expect(passes(ext, 2, { session: 'a', server: 'other' })).toBe(1);
    expect(passes(ext, 2, { session: 'a', tool: 'other_tool' })).toBe(1);
  });

  it('limits other listed methods by method, and lets unlisted ones pass', () => {
    const { ext } = setup({ burst: 1 });
    expect(passes(ext, 3, { method: 'resources/read' })).toBe(1);
    const error = errorOf(call(ext, { method: 'resources/read' }));
    expect(error.data.detail).toBe('method resources/read of server echo: 60 calls per minute, burst 1');
    expect(passes(ext, 50, { method: 'tools/list' })).toBe(50);
  });

  it('applies only to the configured methods', () => {
    const { ext } = setup({ burst: 1, methods: ['tools/call'] });
    expect(passes(ext, 5, { method: 'resources/read' })).toBe(5);
    expect(passes(ext, 5)).toBe(1);
  });

  it('uses a per-tool override, with its burst capped at its rate', () => {
    const { ext, clock } = setup({ perTool: { echo__slow: 2 } });
    expect(passes(ext, 5, { tool: 'slow' })).toBe(2);
    expect(errorOf(call(ext, { tool: 'slow' })).data.detail).toBe(
      'tool slow of server echo: 2 calls per minute, burst 2',
    );
    expect(errorOf(call(ext, { tool: 'slow' })).data.retryAfterMs).toBe(30_000);
    expect(passes(ext, 25, { tool: 'fast' })).toBe(20);
    // The override names a server: the same tool elsewhere has the default limit.
    expect(passes(ext, 5, { tool: 'slow', server: 'other' })).toBe(5);
    clock.advance(30_000);
    expect(passes(ext, 2, { tool: 'slow' })).toBe(1);
  });

  it('applies a new config live to existing buckets', () => {
    const { ext, clock } = setup({ requestsPerMinute: 1, burst: 1 });
    expect(passes(ext, 2)).toBe(1);
    void ext.configure!({ requestsPerMinute: 600, burst: 1 });
    clock.advance(100);
    expect(passes(ext, 2)).toBe(1);
    void ext.configure!({ requestsPerMinute: 60, burst: 5, perTool: { echo__search: 60 } });
    clock.advance(60_000);
    expect(passes(ext, 10)).toBe(5);
    void ext.configure!({ methods: [] });
    expect(passes(ext, 10)).toBe(10);
  });

  it('rejects a bad config', () => {
    const { ext } = setup();
    expect(() => ext.configure!({ burst: 0 })).toThrow();
    expect(() => ext.configure!({ perTool: { notqualified: 3 } })).toThrow(/server__tool/);
  });
});
