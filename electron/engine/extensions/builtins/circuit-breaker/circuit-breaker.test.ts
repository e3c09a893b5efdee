import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { engineError } from '../../../../shared/errors.js';
import type { JsonRpcMessage } from '../../../jsonrpc/messages.js';
import { FakeClock } from '../../../testing/fake-clock.js';
import type { JsonObject } from '../../extension.js';
import { fakeCall, fakeContext, type FakeContext } from '../../testing/fake-context.js';
import {
  CIRCUIT_BREAKER_ID,
  classifyReply,
  configSchema,
  createCircuitBreaker,
  PROBE_LOST_MS,
  PROBE_RETRY_MS,
} from './circuit-breaker.js';

const contexts: FakeContext[] = [];
afterEach(() => {
  for (const ctx of contexts.splice(0)) rmSync(ctx.dataDir, { recursive: true, force: true });
});

const ok: JsonRpcMessage = { jsonrpc: '2.0', id: 1, result: { content: [] } };
const crash: JsonRpcMessage = { jsonrpc: '2.0', id: 1, error: { code: -32603, message: 'database is down' } };
const timeout: JsonRpcMessage = {
  jsonrpc: '2.0',
  id: 1,
  error: engineError('REQUEST_TIMEOUT', { server: 'notes' }),
};

function started(config: JsonObject = { failureThreshold: 3, cooldownSeconds: 30 }) {
  const clock = new FakeClock(0);
  const ctx = fakeContext({ id: CIRCUIT_BREAKER_ID, config, clock });
  contexts.push(ctx);
  const breaker = createCircuitBreaker();
  breaker.initialize(ctx);
  let nextId = 1;

  /** Sends one request; returns whether it passed, and a function that delivers its reply. */
  function send(server = 'notes') {
    const { call, request } = fakeCall({
      method: 'tools/call',
      server,
      params: { name: 'add' },
      id: nextId++,
      startedAt: clock.now(),
    });
    const outcome = breaker.onRequest(request, call);
    const passed = outcome === request;
    return {
      passed,
      outcome,
      call,
      reply: (message: JsonRpcMessage) => breaker.onResponse(message, call),
      cancel: () => breaker.onCancelled(call),
    };
  }

  /** A request that passes and fails. */
  function fail(server = 'notes', reply = crash) {
    const request = send(server);
    expect(request.passed).toBe(true);
    request.reply(reply);
  }

  const state = (server = 'notes') => breaker.circuits().find((c) => c.server === server)?.state ?? 'closed';
  return { breaker, ctx, clock, send, fail, state };
}

describe('classifyReply', () => {
  it('counts server errors and the engine timeouts, not client mistakes or engine refusals', () => {
    expect(classifyReply(ok)).toBe('success');
    expect(classifyReply({ jsonrpc: '2.0', id: 1, result: { isError: true, content: [] } })).toBe('success');
    expect(classifyReply(crash)).toBe('failure');
    expect(classifyReply(timeout)).toBe('failure');
    const error = (e: JsonRpcMessage['error']): JsonRpcMessage => ({ jsonrpc: '2.0', id: 1, error: e });
    expect(classifyReply(error(engineError('SERVER_UNAVAILABLE')))).toBe('failure');
    for (const code of [-32600, -32601, -32602])
      expect(classifyReply(error({ code, message: 'x' }))).toBe('ignored');
    for (const name of ['RATE_LIMITED', 'CIRCUIT_OPEN', 'BLOCKED_BY_EXTENSION', 'UNKNOWN_SERVER'] as const)
      expect(classifyReply(error(engineError(name)))).toBe('ignored');
  });
});

describe('circuit breaker: closed', () => {
  it('opens after the threshold of failures in a row and tells the person', () => {
    const { fail, state, ctx } = started();
    fail();
    fail();
    expect(state()).toBe('closed');
    expect(ctx.notices).toEqual([]);
    fail('notes', timeout);
    expect(state()).toBe('open');
    expect(ctx.notices).toEqual(['circuit opened for notes after 3 failures; calls paused for 30s']);
    expect(ctx.changes).toBe(1);
  });

  it('starts counting again after a success', () => {
    const { fail, send, state } = started();
    fail();
    fail();
    send().reply(ok);
    fail();
    fail();
    expect(state()).toBe('closed');
    fail();
    expect(state()).toBe('open');
  });

  it('neither counts nor resets on client mistakes', () => {
    const { fail, send, state } = started();
    fail();
    fail();
    send().reply({ jsonrpc: '2.0', id: 1, error: { code: -32602, message: 'bad params' } });
    expect(state()).toBe('closed');
    fail();
    expect(state()).toBe('open');
  });

  it('keeps one circuit per server', () => {
    const { fail, send, state } = started();
    for (let i = 0; i < 3; i++) fail('notes');
    expect(state('notes')).toBe('open');
    expect(state('files')).toBe('closed');
    expect(send('files').passed).toBe(true);
  });
});

describe('circuit breaker: open', () => {
  function opened() {
    const breaker = started();
    for (let i = 0; i < 3; i++) breaker.fail();
    return breaker;
  }

  it('refuses calls with CIRCUIT_OPEN and the time left', () => {
    const { send, clock } = opened();
    clock.advance(10_000);
    const refused = send();
    expect(refused.passed).toBe(false);
    expect(refused.outcome).toMatchObject({
      error: {
        code: -32070,
        data: { reason: 'circuit_open', server: 'notes', retryAfterMs: 20_000 },
      },
    });
    const detail = (refused.outcome as { error: { data: { detail: string } } }).error.data.detail;
    expect(detail).toBe(
      '"notes" failed 3 times in a row (last error: database is down); calls are paused for 20 s more',
    );
  });

  it('ignores late replies to calls that went before it opened', () => {
    const { send, fail, state, clock } = started();
    const early = send();
    for (let i = 0; i < 3; i++) fail();
    early.reply(ok);
    expect(state()).toBe('open');
    clock.advance(29_999);
    expect(send().passed).toBe(false);
  });
});

describe('circuit breaker: half-open', () => {
  function cooled() {
    const breaker = started();
    for (let i = 0; i < 3; i++) breaker.fail();
    breaker.clock.advance(30_000);
    return breaker;
  }

  it('lets exactly one trial call through after the cooldown', () => {
    const { send, state } = cooled();
    const probe = send();
    expect(probe.passed).toBe(true);
    expect(state()).toBe('half-open');
    const other = send();
    expect(other.passed).toBe(false);
    expect(other.outcome).toMatchObject({
      error: { data: { reason: 'circuit_open', retryAfterMs: PROBE_RETRY_MS } },
    });
    expect(send().passed).toBe(false);
  });

  it('closes when the trial call succeeds', () => {
    const { send, state, ctx } = cooled();
    send().reply(ok);
    expect(state()).toBe('closed');
    expect(ctx.notices.at(-1)).toBe('circuit closed for notes: it answered again; calls flow');
    expect(send().passed).toBe(true);
    expect(send().passed).toBe(true);
  });

  it('reopens with a fresh cooldown when the trial call fails, without a second notice', () => {
    const { send, state, clock, ctx } = cooled();
    clock.advance(5_000);
    send().reply(crash);
    expect(state()).toBe('open');
    expect(ctx.notices).toHaveLength(1);
    clock.advance(29_999);
    expect(send().passed).toBe(false);
    clock.advance(1);
    expect(send().passed).toBe(true);
  });

  it('lets the next request probe when the trial call is cancelled', () => {
    const { send } = cooled();
    const probe = send();
    probe.cancel();
    const next = send();
    expect(next.passed).toBe(true);
    // A late reply to the cancelled probe decides nothing.
    probe.reply(crash);
    expect(send().passed).toBe(false);
    next.reply(ok);
    expect(send().passed).toBe(true);
  });

  it('lets the next request probe when the trial never reached the server', () => {
    const { send, state } = cooled();
    send().reply({ jsonrpc: '2.0', id: 1, error: engineError('RATE_LIMITED') });
    expect(state()).toBe('half-open');
    expect(send().passed).toBe(true);
  });

  it('ignores replies to other calls while the trial is out', () => {
    const { send, state } = cooled();
    const probe = send();
    const refused = send();
    refused.reply(ok);
    expect(state()).toBe('half-open');
    probe.reply(ok);
    expect(state()).toBe('closed');
  });

  it('presumes a trial lost after a long silence', () => {
    const { send, clock } = cooled();
    send();
    clock.advance(PROBE_LOST_MS - 1);
    expect(send().passed).toBe(false);
    clock.advance(1);
    expect(send().passed).toBe(true);
  });
});

describe('circuit breaker config', () => {
  it('uses the defaults and new settings at once', () => {
    const { breaker, fail, state, clock, send } = started({});
    for (let i = 0; i < 4; i++) fail();
    expect(state()).toBe('closed');
    fail();
    expect(state()).toBe('open');
    clock.advance(30_000);
    send().reply(ok);
    breaker.configure({ failureThreshold: 1, cooldownSeconds: 2 });
    fail();
    expect(state()).toBe('open');
    clock.advance(2_000);
    expect(send().passed).toBe(true);
  });

  it('has a config schema the window form can show', () => {
    expect(configSchema.properties).toMatchObject({
      failureThreshold: { type: 'integer', default: 5, minimum: 1 },
      cooldownSeconds: { type: 'number', default: 30, minimum: 1 },
    });
  });
});
