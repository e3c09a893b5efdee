import { PassThrough } from 'node:stream';
import { beforeEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../testing/fake-clock.js';
import { FakeSpawner, settle, type FakeProcess } from '../testing/fake-process.js';
import { ServerActor } from '../actor/server-actor.js';
import { ProcessLink } from '../actor/process-link.js';
import { EngineErrors } from '../../shared/errors.js';
import type { JsonRpcMessage } from '../jsonrpc/messages.js';
import { PassThroughSession } from './passthrough-session.js';

/** Makes a fake process behave like a tiny MCP server whose tools depend on `tools()`. */
function serve(proc: FakeProcess, tools: () => string[], seen: JsonRpcMessage[], hold?: Set<string>): void {
  let buffer = '';
  proc.stdin.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    let nl: number;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const message = JSON.parse(buffer.slice(0, nl)) as JsonRpcMessage;
      buffer = buffer.slice(nl + 1);
      seen.push(message);
      if (message.id === undefined || message.method === undefined) continue;
      if (hold?.has(String(message.method))) continue;
      const reply = (result: unknown) =>
        proc.stdout.write(`${JSON.stringify({ jsonrpc: '2.0', id: message.id, result })}\n`);
      if (message.method === 'initialize') {
        reply({
          protocolVersion: '2025-06-18',
          capabilities: { tools: { listChanged: true }, prompts: {} },
          serverInfo: { name: 'fake', version: '1' },
        });
      } else if (message.method === 'tools/list') {
        reply({ tools: tools().map((name) => ({ name, inputSchema: { type: 'object' } })) });
      } else if (message.method === 'prompts/list') {
        reply({ prompts: [] });
      } else {
        reply({ echo: message.params ?? null });
      }
    }
  });
}

describe('PassThroughSession with an actor', () => {
  let clock: FakeClock;
  let spawner: FakeSpawner;
  let clientIn: PassThrough;
  let clientOut: PassThrough;
  let received: JsonRpcMessage[];
  let serverSeen: JsonRpcMessage[][];
  let toolNames: string[];
  let hold: Set<string>;
  let actor: ServerActor;
  let logs: string[];

  const send = (message: object) => clientIn.write(`${JSON.stringify({ jsonrpc: '2.0', ...message })}\n`);
  const replyTo = (id: number) => received.find((m) => m.id === id);
  /** Answers the held, replayed initialize of process number `index`. */
  const answerInitialize = (index: number) => {
    const init = serverSeen[index]!.find((m) => m.method === 'initialize')!;
    const result = { capabilities: { tools: { listChanged: true }, prompts: {} } };
    spawner.spawned[index]!.stdout.write(`${JSON.stringify({ jsonrpc: '2.0', id: init.id, result })}\n`);
  };

  beforeEach(async () => {
    clock = new FakeClock();
    spawner = new FakeSpawner(() => clock.now());
    clientIn = new PassThrough();
    clientOut = new PassThrough();
    received = [];
    serverSeen = [];
    toolNames = ['a'];
    hold = new Set();
    logs = [];
    let pending = '';
    clientOut.on('data', (chunk: Buffer) => {
      pending += chunk.toString();
      const lines = pending.split('\n');
      pending = lines.pop()!;
      for (const line of lines) received.push(JSON.parse(line) as JsonRpcMessage);
    });
    const session = new PassThroughSession({
      serverName: 'fake',
      clientIn,
      clientOut,
      clock,
      maxMessageBytes: 1 << 20,
      bufferLimits: { maxMessages: 3, maxBytes: 1 << 20 },
      drainTimeoutMs: 1000,
      internalTimeoutMs: 5000,
      log: (line) => logs.push(line),
      onServerStderr: () => {},
    });
    const originalSpawn = spawner.spawn.bind(spawner);
    spawner.spawn = async (spec) => {
      const proc = (await originalSpawn(spec)) as FakeProcess;
      const seen: JsonRpcMessage[] = [];
      serverSeen.push(seen);
      serve(proc, () => toolNames, seen, hold);
      return proc;
    };
    actor = new ServerActor({
      name: 'fake',
      link: new ProcessLink({
        spec: { command: 'x', args: [] },
        spawner,
        connection: session,
        shutdownTimeoutMs: 100,
      }),
      clock,
      startupTimeoutMs: 5000,
      random: () => 0.5,
    });
    await actor.start();
    send({
      id: 0,
      method: 'initialize',
      params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '1' } },
    });
    await settle();
    send({ method: 'notifications/initialized' });
    await settle();
    await settle();
  });

  it('replays initialize to the new process, swallows its reply, flushes in order and announces changed lists', async () => {
    expect(replyTo(0)?.result).toBeDefined();
    hold.add('initialize');
    const restarting = actor.restart({ kind: 'file', paths: ['/x.js'] });
    await settle();
    toolNames = ['a', 'b'];
    send({ id: 1, method: 'tools/call', params: { n: 1 } });
    send({ id: 2, method: 'tools/call', params: { n: 2 } });
    await settle();
    hold.clear();
    answerInitialize(1);
    await restarting;
    await settle();
    await settle();

    const second = serverSeen[1]!;
    expect(second[0]).toMatchObject({ method: 'initialize', params: { clientInfo: { name: 't' } } });
    expect(String(second[0]!.id)).toMatch(/^switchboard-/);
    expect(second[1]).toMatchObject({ method: 'notifications/initialized' });
    const forwarded = second.filter((m) => m.method === 'tools/call').map((m) => m.id);
    expect(forwarded).toEqual([1, 2]);
    // The client sees exactly one initialize reply (its own) and its two answers, in order.
    expect(received.filter((m) => (m.result as { serverInfo?: unknown })?.serverInfo)).toHaveLength(1);
    expect(received.filter((m) => m.id === 1 || m.id === 2).map((m) => m.id)).toEqual([1, 2]);
    const notes = received.filter((m) => m.method?.endsWith('list_changed')).map((m) => m.method);
    expect(notes).toEqual(['notifications/tools/list_changed']);
  });

  it('reads its own large list replies in full (no envelope shortcut) when diffing', async () => {
    toolNames = ['a', `long_${'x'.repeat(70_000)}`];
    await actor.restart({ kind: 'user' }); // baseline now holds the 70 KB list
    await settle();
    await settle();
    received.length = 0;
    toolNames = ['a', `long_${'y'.repeat(70_000)}`];
    await actor.restart({ kind: 'user' });
    await settle();
    await settle();
    const notes = received.filter((m) => m.method?.endsWith('list_changed')).map((m) => m.method);
    expect(notes).toEqual(['notifications/tools/list_changed']);
  });

  it('does not announce lists that did not change', async () => {
    await actor.restart({ kind: 'user' });
    await settle();
    await settle();
    expect(received.filter((m) => m.method?.endsWith('list_changed'))).toEqual([]);
  });

  it('refuses with buffer_full past the limit and never drops silently', async () => {
    hold.add('initialize');
    const restarting = actor.restart({ kind: 'user' });
    await settle();
    for (let id = 10; id < 15; id++) send({ id, method: 'tools/call', params: {} });
    await settle();
    const full = received.filter((m) => m.error?.code === EngineErrors.BUFFER_FULL.code).map((m) => m.id);
    expect(full).toEqual([13, 14]);
    hold.clear();
    clock.advance(5000); // the held initialize times out: the start failed
    await restarting;
    await settle();
    const failed = received
      .filter((m) => m.error?.code === EngineErrors.RESTART_TIMEOUT.code)
      .map((m) => m.id);
    expect(failed).toEqual([10, 11, 12]);
  });

  it('drops a buffered request the client cancelled, without forwarding either', async () => {
    hold.add('initialize');
    const restarting = actor.restart({ kind: 'user' });
    await settle();
    send({ id: 20, method: 'tools/call', params: {} });
    send({ id: 21, method: 'tools/call', params: {} });
    send({ method: 'notifications/cancelled', params: { requestId: 20 } });
    hold.clear();
    answerInitialize(1);
    await restarting;
    await settle();
    const calls = serverSeen[1]!.filter(
      (m) => m.method === 'tools/call' || m.method === 'notifications/cancelled',
    );
    expect(calls.map((m) => m.id ?? m.method)).toEqual([21]);
    expect(replyTo(20)).toBeUndefined();
    expect(replyTo(21)?.result).toBeDefined();
  });

  it('refuses a request whose id is still in flight or held, and forwards the first one only', async () => {
    hold.add('tools/call');
    send({ id: 40, method: 'tools/call', params: { n: 1 } });
    await settle();
    send({ id: 40, method: 'tools/call', params: { n: 2 } });
    await settle();
    expect(received.filter((m) => m.id === 40)).toMatchObject([
      { error: { code: EngineErrors.DUPLICATE_REQUEST_ID.code, data: { reason: 'duplicate_request_id' } } },
    ]);
    expect(serverSeen[0]!.filter((m) => m.id === 40)).toHaveLength(1);
    // Held for a restart counts too: a second 41 while the first waits is refused.
    hold.add('initialize');
    const restarting = actor.restart({ kind: 'user' });
    await settle();
    clock.advance(1000); // the drain gives up on 40
    await settle();
    send({ id: 41, method: 'ping' });
    send({ id: 41, method: 'ping' });
    await settle();
    expect(received.filter((m) => m.id === 41).map((m) => m.error?.data)).toMatchObject([
      { reason: 'duplicate_request_id' },
    ]);
    hold.clear();
    answerInitialize(1);
    await restarting;
    await settle();
    expect(received.filter((m) => m.id === 41).map((m) => (m.error ? 'error' : 'result'))).toEqual([
      'error',
      'result',
    ]);
  });

  it('answers in-flight requests with server_exited when the process dies', async () => {
    hold.add('tools/call');
    send({ id: 30, method: 'tools/call', params: {} });
    await settle();
    spawner.last.exit(9);
    await settle();
    expect(replyTo(30)?.error).toMatchObject({
      code: EngineErrors.SERVER_EXITED.code,
      data: { reason: 'server_exited' },
    });
    expect(replyTo(30)?.error?.message).toMatch(/exit code 9/);
  });

  it('hides non-JSON server output from the client and logs it', async () => {
    spawner.last.stdout.write('Listening on stdio...\n');
    await settle();
    expect(logs.some((l) => l.includes('Listening on stdio'))).toBe(true);
    expect(received.every((m) => m.jsonrpc === '2.0')).toBe(true);
  });
});
