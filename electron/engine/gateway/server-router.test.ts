import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../testing/fake-clock.js';
import type { JsonRpcId, JsonRpcMessage } from '../jsonrpc/messages.js';
import type { SentRequest, Upstream, UpstreamEvents, UpstreamInfo } from '../upstream/upstream.js';
import type { Downstream } from './downstream.js';
import { ServerRouter } from './server-router.js';

/** An upstream whose requests the test answers by hand. */
class FakeUpstream extends EventEmitter<UpstreamEvents> implements Upstream {
  info: UpstreamInfo | undefined = {
    protocolVersion: '2025-11-25',
    capabilities: { tools: { listChanged: true }, prompts: {} },
    serverInfo: { name: 'fake', version: '1' },
  };
  lists = {};
  inFlight = 0;
  bufferDepth = 0;
  readonly sent: {
    id: number;
    method: string;
    params: unknown;
    answer: (m: Partial<JsonRpcMessage>) => void;
  }[] = [];
  readonly notified: { method: string; params: unknown }[] = [];
  readonly replies: { id: JsonRpcId; answer: unknown }[] = [];
  private nextId = 100;

  send(method: string, params?: unknown): SentRequest {
    const id = this.nextId++;
    const response = new Promise<JsonRpcMessage>((resolve) =>
      this.sent.push({ id, method, params, answer: (m) => resolve({ jsonrpc: '2.0', id, ...m }) }),
    );
    return { id, response };
  }
  request(method: string, params?: unknown): Promise<JsonRpcMessage> {
    return this.send(method, params).response;
  }
  notify(method: string, params?: unknown): void {
    this.notified.push({ method, params });
  }
  reply(id: JsonRpcId, answer: unknown): void {
    this.replies.push({ id, answer });
  }
}

function session(id: string, capabilities: Record<string, unknown> = {}, lastActive = 0) {
  const got: { message: JsonRpcMessage; relatedTo?: JsonRpcId }[] = [];
  const s: Downstream & { got: typeof got; lastActive: number } = {
    id,
    clientCapabilities: capabilities,
    lastActive,
    view: { session: id, endpoint: 'server' },
    got,
    deliver: (message, relatedTo) => (got.push({ message, relatedTo }), true),
  };
  return s;
}

function setup() {
  const upstream = new FakeUpstream();
  const router = new ServerRouter({
    server: 'fake',
    clock: new FakeClock(),
    upstream: () => upstream,
    log: () => {},
  });
  return { upstream, router };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('ServerRouter', () => {
  it("sends each session's request under the upstream's id and gives the reply back under the client's", async () => {
    const { upstream, router } = setup();
    const [a, b] = [session('a'), session('b')];
    const ra = router.request(a, 7, 'tools/call', { name: 'x' });
    const rb = router.request(b, 7, 'tools/call', { name: 'y' });
    expect(upstream.sent.map((s) => s.id)).toEqual([100, 101]);
    upstream.sent[1]!.answer({ result: { from: 'y' } });
    upstream.sent[0]!.answer({ result: { from: 'x' } });
    expect(await ra).toEqual({ jsonrpc: '2.0', id: 7, result: { from: 'x' } });
    expect(await rb).toEqual({ jsonrpc: '2.0', id: 7, result: { from: 'y' } });
  });

  it('remaps progress tokens so two sessions with the same token each get their own progress', async () => {
    const { upstream, router } = setup();
    const [a, b] = [session('a'), session('b')];
    void router.request(a, 1, 'tools/call', { name: 'x', _meta: { progressToken: 'p' } });
    void router.request(b, 2, 'tools/call', { name: 'x', _meta: { progressToken: 'p' } });
    const tokens = upstream.sent.map(
      (s) => (s.params as { _meta: { progressToken: string } })._meta.progressToken,
    );
    expect(new Set(tokens).size).toBe(2);
    upstream.emit('notification', {
      jsonrpc: '2.0',
      method: 'notifications/progress',
      params: { progressToken: tokens[1], progress: 5 },
    });
    expect(a.got).toEqual([]);
    expect(b.got).toEqual([
      {
        message: {
          jsonrpc: '2.0',
          method: 'notifications/progress',
          params: { progressToken: 'p', progress: 5 },
        },
        relatedTo: 2,
      },
    ]);
  });

  it("maps a client's cancellation to the upstream id and ends its wait without a reply", async () => {
    const { upstream, router } = setup();
    const a = session('a');
    const pending = router.request(a, 'req-1', 'tools/call', { name: 'slow' });
    router.notify(a, 'notifications/cancelled', { requestId: 'req-1', reason: 'user' });
    expect(await pending).toBeUndefined();
    expect(upstream.notified).toEqual([
      { method: 'notifications/cancelled', params: { requestId: 100, reason: 'user' } },
    ]);
    router.notify(a, 'notifications/cancelled', undefined); // malformed: ignored, not a crash
  });

  it('sends a sampling request only to the client it certainly belongs to, never to an idle one', async () => {
    const { upstream, router } = setup();
    const busy = session('busy', { sampling: {} }, 1);
    const recent = session('recent', { sampling: {} }, 5);
    const incapable = session('incapable', {}, 9);
    for (const s of [busy, recent, incapable]) router.attach(s);
    void router.request(busy, 3, 'tools/call', {});
    const sampling = { jsonrpc: '2.0' as const, id: 42, method: 'sampling/createMessage', params: {} };
    // Over stdio nothing says which request it came with: busy's is the only one in flight.
    upstream.emit('serverRequest', sampling);
    expect(busy.got[0]?.relatedTo).toBe(3);
    const routedId = busy.got[0]!.message.id!;
    expect(router.respond(busy, { jsonrpc: '2.0', id: routedId, result: { ok: 1 } })).toBe(true);
    expect(upstream.replies).toEqual([{ id: 42, answer: { result: { ok: 1 } } }]);

    // Nothing in flight: it belongs to no client, and the idle capable one hears nothing.
    upstream.sent[0]!.answer({ result: {} });
    await tick();
    upstream.emit('serverRequest', { ...sampling, id: 43 });
    expect(recent.got).toEqual([]);
    expect(upstream.replies.at(-1)).toMatchObject({
      id: 43,
      answer: {
        error: { data: { reason: 'no_capable_client', detail: expect.stringMatching(/no client request/) } },
      },
    });
    expect(incapable.got).toEqual([]);
  });

  it('with several clients in flight, asks only the one whose request the server request came with', async () => {
    const { upstream, router } = setup();
    const a = session('a', { sampling: {} });
    const b = session('b', { sampling: {} });
    const incapable = session('incapable', {});
    for (const s of [a, b, incapable]) router.attach(s);
    void router.request(a, 1, 'tools/call', {});
    void router.request(b, 1, 'tools/call', {});
    void router.request(incapable, 7, 'tools/call', {});
    const [toA, toB, toIncapable] = upstream.sent.map((s) => s.id);
    const sampling = { jsonrpc: '2.0' as const, id: 50, method: 'sampling/createMessage', params: {} };
    // No stream names the request: three clients are in flight, so nobody is guessed at.
    upstream.emit('serverRequest', sampling);
    expect(upstream.replies.at(-1)).toMatchObject({
      id: 50,
      answer: { error: { data: { reason: 'no_capable_client' } } },
    });
    // On b's request stream (an http upstream): b, and only b.
    upstream.emit('serverRequest', { ...sampling, id: 51 }, toB);
    expect(b.got.map((g) => [g.message.method, g.relatedTo])).toEqual([['sampling/createMessage', 1]]);
    expect(a.got).toEqual([]);
    // On the stream of a client without the capability: refused, not answered by a or b's model.
    upstream.emit('serverRequest', { ...sampling, id: 52 }, toIncapable);
    expect(upstream.replies.at(-1)).toMatchObject({
      id: 52,
      answer: {
        error: { data: { detail: expect.stringMatching(/did not declare the "sampling" capability/) } },
      },
    });
    expect(a.got).toEqual([]);
    expect(b.got).toHaveLength(1);
    expect(toA).toBeDefined();
  });

  it('asks a client only for what it declared, down to the mode: URL elicitation, sampling with tools', async () => {
    const { upstream, router } = setup();
    const formOnly = session('form-only', { elicitation: {}, sampling: {} });
    router.attach(formOnly);
    void router.request(formOnly, 1, 'tools/call', {});
    const ask = (id: number, method: string, params: object) =>
      upstream.emit('serverRequest', { jsonrpc: '2.0', id, method, params });
    ask(60, 'elicitation/create', {
      mode: 'url',
      url: 'https://example.com/x',
      message: 'm',
      elicitationId: 'e',
    });
    ask(61, 'sampling/createMessage', {
      messages: [],
      maxTokens: 5,
      tools: [{ name: 't', inputSchema: {} }],
    });
    ask(62, 'elicitation/create', { message: 'm', requestedSchema: { type: 'object', properties: {} } });
    const refused = upstream.replies.map((r) => [
      r.id,
      (r.answer as { error?: { data?: { detail?: string } } }).error?.data?.detail,
    ]);
    expect(refused).toEqual([
      [60, expect.stringMatching(/"elicitation\.url" capability/)],
      [61, expect.stringMatching(/"sampling\.tools" capability/)],
    ]);
    // `elicitation: {}` (before 2025-11-25) means form: that one is asked.
    expect(formOnly.got.map((g) => g.message.method)).toEqual(['elicitation/create']);
  });

  it("keeps each session's log level: the server gets the most verbose, each client only its own", async () => {
    const { upstream, router } = setup();
    const [a, b, quiet] = [session('a'), session('b'), session('quiet')];
    for (const s of [a, b, quiet]) router.attach(s);
    const setA = router.request(a, 1, 'logging/setLevel', { level: 'debug' });
    upstream.sent.at(-1)!.answer({ result: {} });
    await setA;
    const setB = router.request(b, 1, 'logging/setLevel', { level: 'error' });
    expect(upstream.sent.at(-1)).toMatchObject({ method: 'logging/setLevel', params: { level: 'debug' } });
    upstream.sent.at(-1)!.answer({ result: {} });
    expect(await setB).toMatchObject({ id: 1, result: {} });
    const log = (level: string) =>
      upstream.emit('notification', {
        jsonrpc: '2.0',
        method: 'notifications/message',
        params: { level, data: level },
      });
    log('info');
    log('error');
    const seen = (s: typeof a) => s.got.map((g) => (g.message.params as { level: string }).level);
    expect(seen(a)).toEqual(['info', 'error']);
    expect(seen(b)).toEqual(['error']); // b's "error" does not silence a, a's "debug" does not flood b
    expect(seen(quiet)).toEqual(['info', 'error']); // set none: what the server sends, as directly
    // After a restart the server is asked again for the most verbose level still wanted.
    router.detach(a);
    upstream.emit('connected');
    expect(upstream.sent.at(-1)).toMatchObject({ method: 'logging/setLevel', params: { level: 'error' } });
  });

  it("keeps each session's tasks its own: others get the server's not found, lists and status are per owner", async () => {
    const { upstream, router } = setup();
    const [a, b] = [session('a'), session('b')];
    for (const s of [a, b]) router.attach(s);
    const created = router.request(a, 1, 'tools/call', {
      name: 'slow',
      arguments: {},
      task: { ttl: 60_000 },
    });
    upstream.sent.at(-1)!.answer({ result: { task: { taskId: 't-a', status: 'working' } } });
    expect(await created).toMatchObject({ result: { task: { taskId: 't-a' } } });

    const sentBefore = upstream.sent.length;
    for (const method of ['tasks/get', 'tasks/result', 'tasks/cancel'])
      expect(await router.request(b, 2, method, { taskId: 't-a' })).toMatchObject({
        id: 2,
        error: { code: -32602, message: 'Task not found: t-a' },
      });
    expect(upstream.sent).toHaveLength(sentBefore); // never reached the server
    const got = router.request(a, 3, 'tasks/get', { taskId: 't-a' });
    upstream.sent.at(-1)!.answer({ result: { taskId: 't-a', status: 'working' } });
    expect(await got).toMatchObject({ result: { taskId: 't-a' } });

    const listed = router.request(b, 4, 'tasks/list', {});
    upstream.sent.at(-1)!.answer({ result: { tasks: [{ taskId: 't-a', status: 'working' }] } });
    expect(await listed).toMatchObject({ result: { tasks: [] } });

    upstream.emit('notification', {
      jsonrpc: '2.0',
      method: 'notifications/tasks/status',
      params: { taskId: 't-a', status: 'completed' },
    });
    expect(a.got.map((g) => g.message.method)).toEqual(['notifications/tasks/status']);
    expect(b.got).toEqual([]);
  });

  it('keeps one upstream subscription per URI, fans updates out to subscribers only, and resubscribes after a restart', async () => {
    const { upstream, router } = setup();
    const [a, b, c] = [session('a'), session('b'), session('c')];
    for (const s of [a, b, c]) router.attach(s);
    const subA = router.request(a, 1, 'resources/subscribe', { uri: 'file:///x' });
    upstream.sent[0]!.answer({ result: {} });
    await subA;
    await router.request(b, 1, 'resources/subscribe', { uri: 'file:///x' });
    expect(upstream.sent).toHaveLength(1);
    upstream.emit('notification', {
      jsonrpc: '2.0',
      method: 'notifications/resources/updated',
      params: { uri: 'file:///x' },
    });
    expect([a.got.length, b.got.length, c.got.length]).toEqual([1, 1, 0]);
    upstream.emit('connected');
    expect(upstream.sent.at(-1)).toMatchObject({
      method: 'resources/subscribe',
      params: { uri: 'file:///x' },
    });
  });

  it('after a restart tells sessions which lists changed, only where the server announces list changes', () => {
    const { upstream, router } = setup();
    const a = session('a');
    router.attach(a);
    upstream.emit('listsChanged', ['tools']); // the server said so itself: forwarded already
    expect(a.got).toEqual([]);
    upstream.emit('connected'); // a restart
    upstream.emit('listsChanged', ['tools', 'prompts']);
    expect(a.got.map((g) => g.message.method)).toEqual(['notifications/tools/list_changed']);
  });
});
