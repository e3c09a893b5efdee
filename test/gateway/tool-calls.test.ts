import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ElicitRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { systemClock } from '../../electron/engine/flow/clock.js';
import { ToolCalls } from '../../electron/engine/gateway/tool-calls.js';
import type { ToolCallItem, ToolCallOutcome } from '../../electron/shared/tool-call-events.js';
import { InProcessEngine, npmServerBin } from './gateway-harness.js';
import { waitUntil as waitFor } from '../integration/run-harness.js';

const waitUntil = (check: () => boolean, ms: number) => waitFor(check, ms, 'the tool call');

/**
 * The window's tool tester is a client of the gateway (issue 22: "the tool tester can cancel, shows
 * progress, and answers or declines a server's request at once"): calls to server-everything, over
 * its shared upstream and over an instance of the call's own, followed event by event.
 */

const EVERYTHING = npmServerBin('@modelcontextprotocol/server-everything', 'mcp-server-everything');

let engine: InProcessEngine;
let calls: ToolCalls;

/** One call followed from its start: every event, and the outcome. */
function follow(server: string, tool: string, args: Record<string, unknown> = {}) {
  const id = calls.start({ server, tool, arguments: args });
  const items: ToolCallItem[] = [];
  let outcome: ToolCallOutcome | undefined;
  const stop = calls.follow(id, (item) => {
    items.push(item);
    if (item.kind === 'done') outcome = item.outcome;
  });
  const request = async () => {
    await waitUntil(() => items.some((i) => i.kind === 'request'), 20_000);
    return items.find((i) => i.kind === 'request') as Extract<ToolCallItem, { kind: 'request' }>;
  };
  const done = async () => {
    await waitUntil(() => outcome !== undefined, 30_000);
    stop();
    return outcome!;
  };
  return { id, items, request, done };
}

const text = (outcome: ToolCallOutcome) =>
  ((outcome as { result: { content: { text: string }[] } }).result.content[0]?.text ?? '') as string;

beforeAll(async () => {
  engine = new InProcessEngine({
    shared: { command: process.execPath, args: [EVERYTHING], sessions: 'shared' },
    own: { command: process.execPath, args: [EVERYTHING], sessions: 'per-client' },
  });
  await engine.start();
  await engine.until(() => engine.state('shared') === 'ready' && engine.state('own') === 'ready', 'ready');
  calls = new ToolCalls({ gateway: engine.gateway, clock: systemClock, version: 'test', unfollowedMs: 500 });
}, 60_000);

afterAll(async () => {
  calls?.close();
  await engine?.stop();
});

describe.each(['shared', 'own'])('a call from the window on %s', (server) => {
  it('shows progress step by step, then the result', async () => {
    const call = follow(server, 'trigger-long-running-operation', { duration: 0.3, steps: 3 });
    const outcome = await call.done();
    expect(text(outcome)).toContain('Steps: 3');
    expect(call.items.filter((i) => i.kind === 'progress')).toEqual([
      { kind: 'progress', progress: 1, total: 3, seq: 1 },
      { kind: 'progress', progress: 2, total: 3, seq: 2 },
      { kind: 'progress', progress: 3, total: 3, seq: 3 },
    ]);
  }, 40_000);

  it("answers the server's elicitation with what the person filled in", async () => {
    const call = follow(server, 'trigger-elicitation-request');
    const asked = await call.request();
    expect(asked.method).toBe('elicitation/create');
    expect(asked.params).toMatchObject({ requestedSchema: { properties: { name: { type: 'string' } } } });
    calls.answer(call.id, asked.request, { result: { action: 'accept', content: { name: 'Ada Lovelace' } } });
    expect(JSON.stringify(await call.done())).toContain('Ada Lovelace');
  }, 40_000);

  it('declines an elicitation: the server hears "decline"', async () => {
    const call = follow(server, 'trigger-elicitation-request');
    const asked = await call.request();
    calls.answer(call.id, asked.request, { result: { action: 'decline' } });
    expect(JSON.stringify(await call.done())).toMatch(/declined/i);
    // Answered once: a second answer is refused, not sent.
    expect(() => calls.answer(call.id, asked.request, { result: { action: 'accept' } })).toThrow(/no answer/);
  }, 40_000);

  it('answers sampling with the reply the person wrote', async () => {
    const call = follow(server, 'trigger-sampling-request', { prompt: 'say hi' });
    const asked = await call.request();
    expect(asked.method).toBe('sampling/createMessage');
    expect(JSON.stringify(asked.params)).toContain('say hi');
    calls.answer(call.id, asked.request, {
      result: { model: 'a person', role: 'assistant', content: { type: 'text', text: 'hi from the window' } },
    });
    expect(text(await call.done())).toContain('hi from the window');
  }, 40_000);

  it('cancels: the outcome says so at once, and the server keeps answering', async () => {
    const call = follow(server, 'trigger-long-running-operation', { duration: 60, steps: 60 });
    await waitUntil(() => call.items.some((i) => i.kind === 'progress'), 20_000);
    calls.cancel(call.id);
    expect(await call.done()).toEqual({ cancelled: 'cancelled in the window' });
    const after = follow(server, 'echo', { message: 'still here' });
    expect(text(await after.done())).toContain('still here');
  }, 40_000);

  it('withdraws a question the call no longer needs when it is cancelled', async () => {
    const call = follow(server, 'trigger-elicitation-request');
    const asked = await call.request();
    calls.cancel(call.id);
    await call.done();
    expect(call.items.map((i) => i.kind)).toEqual(['request', 'request-withdrawn', 'done']);
    expect(() => calls.answer(call.id, asked.request, { result: { action: 'accept' } })).toThrow(/no answer/);
  }, 40_000);
});

it("cancels a call nobody follows any more (the window closed), so the server's question does not hang", async () => {
  const id = calls.start({ server: 'shared', tool: 'trigger-elicitation-request', arguments: {} });
  const items: ToolCallItem[] = [];
  const stop = calls.follow(id, (item) => items.push(item));
  await waitUntil(() => items.some((i) => i.kind === 'request'), 20_000);
  stop();
  // The call's session ends with it (the window's was the only one on the server).
  await waitUntil(() => engine.gateway.router('shared')?.sessionCount === 0, 20_000);
  // A follower that comes back later sees the whole story, in order, once.
  const again: ToolCallItem[] = [];
  calls.follow(id, (item) => again.push(item))();
  expect(again.map((i) => i.kind)).toEqual(['request', 'request-withdrawn', 'done']);
  expect(again.at(-1)).toMatchObject({ outcome: { cancelled: expect.stringMatching(/nobody follows/) } });
}, 40_000);

describe('a call from a script (callTool), which can answer nothing', () => {
  it("declines the server's elicitation at once instead of waiting for an answer", async () => {
    const outcome = await calls.once({
      server: 'shared',
      tool: 'trigger-elicitation-request',
      arguments: {},
    });
    expect(JSON.stringify(outcome)).toMatch(/did not declare the \\"elicitation.form\\" capability/);
  }, 40_000);

  it("does not hand its server's question to another client's session that has a request in flight", async () => {
    const other = new Client(
      { name: 'other', version: '1' },
      { capabilities: { elicitation: { form: {} } } },
    );
    const asked: unknown[] = [];
    // Once this client's call is in flight, the script's call starts: the server's question is the script's.
    other.setRequestHandler(ElicitRequestSchema, (request) => {
      asked.push(request.params);
      return { action: 'decline' };
    });
    await other.connect(new StreamableHTTPClientTransport(new URL('/mcp/shared', engine.url)));
    const running = other.callTool({
      name: 'trigger-long-running-operation',
      arguments: { duration: 1, steps: 2 },
    });
    const outcome = await calls.once({
      server: 'shared',
      tool: 'trigger-elicitation-request',
      arguments: {},
    });
    await running;
    await other.close();
    expect(JSON.stringify(outcome)).toMatch(/"isError":true|"error"/);
    expect(asked).toEqual([]);
  }, 40_000);
});

describe('limits', () => {
  it('refuses a followed call beyond the cap, saying what to do; a script is not held to it', async () => {
    const capped = new ToolCalls({
      gateway: engine.gateway,
      clock: systemClock,
      version: 'test',
      maxRunning: 1,
    });
    const first = capped.start({ server: 'shared', tool: 'trigger-elicitation-request', arguments: {} });
    expect(() => capped.start({ server: 'shared', tool: 'echo', arguments: {} })).toThrow(
      /1 tool calls are running already; wait for one or cancel one/,
    );
    const scripted = await capped.once({ server: 'shared', tool: 'echo', arguments: { message: 'script' } });
    expect(JSON.stringify(scripted)).toContain('script');
    capped.cancel(first);
    capped.close();
  }, 40_000);
});
