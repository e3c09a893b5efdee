import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { RemoteFixture, type RemoteFixtureOptions } from '../../../test/fixtures/remote/remote-fixture.js';
import { connectRemote, textOf, until, type Harness } from '../../../test/fixtures/remote/remote-harness.js';
import { EngineErrors } from '../../shared/errors.js';
import { UpstreamError } from './upstream-error.js';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function fixture(options: RemoteFixtureOptions = {}): Promise<RemoteFixture> {
  const f = new RemoteFixture(options);
  await f.start();
  cleanups.push(() => f.kill());
  return f;
}

function connect(f: RemoteFixture, opts: Parameters<typeof connectRemote>[2] = {}, headers = {}): Harness {
  const h = connectRemote('http', () => ({ url: f.url, headers }), opts);
  cleanups.push(() => h.server.stop());
  return h;
}

const reasonOf = (err: unknown) => ((err as UpstreamError).error.data as { reason: string }).reason;
const toolNames = (h: Harness) => (h.upstream.lists.tools as { name: string }[]).map((t) => t.name);

describe('HttpUpstream (Streamable HTTP) against an SDK server', () => {
  it('initializes, lists every page, calls tools and sends the config headers on every request', async () => {
    const f = await fixture({ pageSize: 2 });
    const h = connect(f, {}, { 'X-Team': 'blue', Authorization: 'Bearer t0k' });
    await h.server.start();
    expect(h.server.state).toBe('ready');
    expect(h.states).toEqual(['stopped→starting', 'starting→ready']);
    expect(h.connected).toBe(1);
    expect(h.upstream.info?.serverInfo.name).toBe('remote-fixture');
    expect(toolNames(h)).toEqual(['echo', 'work', 'add_tool', 'headers', 'slow', 'poll']);
    expect(h.upstream.lists.prompts).toEqual([{ name: 'greet' }]);

    const reply = await h.upstream.request('tools/call', {
      name: 'echo',
      arguments: { text: 'hi' },
      _meta: { traceparent: '00-abc-def-01', custom: { deep: [1] } },
    });
    expect(textOf(reply)).toBe('hi');
    expect((reply.result as { _meta: unknown })._meta).toEqual({
      echoedMeta: { traceparent: '00-abc-def-01', custom: { deep: [1] } },
    });

    const mcp = f.requests.filter((r) => r.path === '/mcp');
    expect(mcp.every((r) => r.headers['x-team'] === 'blue' && r.headers.authorization === 'Bearer t0k')).toBe(
      true,
    );
    // First the era probe (server/discover, refused by this 2025-11-25 server), then initialize
    // with no session and no version; everything after carries both.
    expect(mcp[0]).toMatchObject({ method: 'POST' });
    expect(mcp[0]!.headers['mcp-protocol-version']).toBe('2026-07-28');
    expect(mcp[0]!.headers['mcp-method']).toBe('server/discover');
    expect(mcp[1]!.headers['mcp-session-id']).toBeUndefined();
    expect(mcp[1]!.headers['mcp-protocol-version']).toBeUndefined();
    for (const r of mcp.slice(2)) {
      expect(r.headers['mcp-session-id']).toMatch(/^[0-9a-f-]{36}$/);
      expect(r.headers['mcp-protocol-version']).toBe('2025-11-25');
      expect(r.headers['mcp-method']).toBeUndefined();
    }
    // The GET stream was open before the first list request went out.
    const methods = mcp.map((r) => r.method);
    expect(methods.slice(0, 4)).toEqual(['POST', 'POST', 'POST', 'GET']);

    await h.server.stop();
    expect(f.deletes).toBe(1);
    expect(f.requests.at(-1)).toMatchObject({ method: 'DELETE' });
    expect(f.requests.at(-1)!.headers['x-team']).toBe('blue');
  });

  it('passes on progress, logging and a sampling request that arrive before the answer', async () => {
    const f = await fixture();
    const h = connect(f);
    await h.server.start();
    h.upstream.on('serverRequest', (request) => {
      expect(request.method).toBe('sampling/createMessage');
      h.upstream.reply(request.id!, {
        result: { role: 'assistant', content: { type: 'text', text: 'hi!' }, model: 'test-model' },
      });
    });
    const order: string[] = [];
    h.upstream.on('notification', (m) => order.push(m.method!));
    h.upstream.on('serverRequest', (m) => order.push(m.method!));
    const reply = await h.upstream.request('tools/call', {
      name: 'work',
      arguments: {},
      _meta: { progressToken: 'p-1' },
    });
    order.push('answer');
    expect(textOf(reply)).toBe('sampled: hi!');
    expect(order).toEqual([
      'notifications/progress',
      'notifications/message',
      'sampling/createMessage',
      'answer',
    ]);
    expect(h.notifications[0]?.params).toEqual({ progressToken: 'p-1', progress: 1, total: 2 });
  });

  it('hears list_changed on the GET stream and re-lists', async () => {
    const f = await fixture();
    const h = connect(f);
    const changes: string[][] = [];
    h.upstream.on('listsChanged', (kinds) => changes.push(kinds));
    await h.server.start();
    changes.length = 0;
    await f.addTool('late');
    await until(() => changes.length > 0, 'listsChanged');
    expect(changes).toEqual([['tools']]);
    expect(toolNames(h)).toContain('late');
    expect(h.notifications.map((n) => n.method)).toContain('notifications/tools/list_changed');
  });

  it('starts a new session when the server forgets ours (404) and sends the request again', async () => {
    const f = await fixture();
    const h = connect(f);
    await h.server.start();
    await f.forgetSessions();
    const reply = await h.upstream.request('tools/call', { name: 'echo', arguments: { text: 'again' } });
    expect(textOf(reply)).toBe('again');
    expect(f.initializes).toBe(2);
    expect(h.connected).toBe(2);
    expect(h.server.state).toBe('ready');
    expect(h.logs.join('\n')).toMatch(/HTTP 404/);
  });

  it('reconnects with backoff when the server dies, holding requests and sending them once it is back', async () => {
    const f = await fixture();
    const h = connect(f);
    await h.server.start();
    const port = f.port;
    await f.kill();
    await until(() => h.server.state === 'backoff', 'backoff');
    const held = [1, 2, 3].map((i) =>
      h.upstream.request('tools/call', { name: 'echo', arguments: { text: `m${i}` } }),
    );
    expect(h.upstream.bufferDepth).toBe(3);
    await new Promise((resolve) => setTimeout(resolve, 300)); // a few failed attempts
    expect(h.states).toContain('starting→backoff');
    await f.start(port);
    const replies = await Promise.all(held);
    expect(replies.map(textOf)).toEqual(['m1', 'm2', 'm3']);
    await until(() => h.server.state === 'ready', 'ready');
    expect(h.connected).toBeGreaterThanOrEqual(2);
    const restarts = h.events.filter((e) => e.type === 'server.restart');
    // The loss starts the first try; the backoff's later tries are recorded as retries.
    expect(restarts[0]).toMatchObject({ outcome: 'failed', cause: { kind: 'connection' } });
    expect(restarts.at(-1)).toMatchObject({ outcome: 'ready', cause: { kind: 'retry' } });
    expect(h.states.find((s) => s === 'ready→backoff')).toBeDefined();
  });

  it('gives up after too many failures and answers every waiting request with an error', async () => {
    const f = await fixture();
    const h = connect(f, { policy: { crashLoopCount: 3 } });
    await h.server.start();
    await f.kill();
    await until(() => h.server.state === 'backoff', 'backoff');
    const held = h.upstream
      .request('tools/call', { name: 'echo', arguments: { text: 'x' } })
      .catch((e: unknown) => e);
    await until(() => h.server.state === 'failed', 'failed');
    expect(await held).toBeInstanceOf(UpstreamError);
    // The same answer a local server's clients get, over `run` and `serve` alike.
    expect(reasonOf(await held)).toBe(EngineErrors.CRASH_LOOP.reason);
    const reason = h.events.filter((e) => e.type === 'server.state').at(-1);
    expect(reason).toMatchObject({ to: 'failed' });
    expect((reason as { reason: string }).reason).toMatch(
      /crash loop: 3 failures .*ECONNREFUSED.*restart it/,
    );
    const late = await h.upstream.request('ping').catch((e: unknown) => e);
    expect(reasonOf(late)).toBe(EngineErrors.CRASH_LOOP.reason);
  });

  it('refuses requests over the hold buffer bounds while reconnecting', async () => {
    const f = await fixture();
    const h = connect(f, { upstream: { bufferLimits: { maxMessages: 2, maxBytes: 1024 * 1024 } } });
    await h.server.start();
    await f.kill();
    await until(() => h.server.state === 'backoff', 'backoff');
    const held = [h.upstream.request('ping'), h.upstream.request('ping')].map((p) =>
      p.catch((e: unknown) => e),
    );
    const third = await h.upstream.request('ping').catch((e: unknown) => e);
    expect(reasonOf(third)).toBe(EngineErrors.BUFFER_FULL.reason);
    await h.server.stop();
    for (const p of held) expect(reasonOf(await p)).toBe(EngineErrors.SERVER_UNAVAILABLE.reason);
  });

  it('cancels a request on the server when it times out', async () => {
    const f = await fixture();
    const h = connect(f);
    await h.server.start();
    const sent = h.upstream.send('tools/call', { name: 'slow', arguments: { ms: 5000 } }, { timeoutMs: 200 });
    expect(reasonOf(await sent.response.catch((e: unknown) => e))).toBe(EngineErrors.REQUEST_TIMEOUT.reason);
    await until(() => f.cancelled.length === 1, 'the server to see the cancellation');
    expect(f.cancelled).toEqual([String(sent.id)]);
    expect(h.upstream.inFlight).toBe(0);
  });

  it('works with JSON answers and without a GET stream (405)', async () => {
    const f = await fixture({ jsonResponse: true, noGetStream: true });
    const h = connect(f);
    await h.server.start();
    expect(h.server.state).toBe('ready');
    const reply = await h.upstream.request('tools/call', { name: 'echo', arguments: { text: 'json' } });
    expect(textOf(reply)).toBe('json');
    expect(h.logs.join('\n')).toMatch(/no GET stream \(HTTP 405\)/);
  });

  it('resumes an answer stream the server closed early (GET with Last-Event-ID)', async () => {
    const f = await fixture({ resumable: true });
    const h = connect(f);
    await h.server.start();
    const reply = await h.upstream.request('tools/call', { name: 'poll', arguments: { ms: 300 } });
    expect(textOf(reply)).toBe('polled');
    const resumes = f.requests.filter((r) => r.method === 'GET' && r.headers['last-event-id'] !== undefined);
    expect(resumes.length).toBeGreaterThanOrEqual(1);
  });

  it('reopens the GET stream when the server ends it, and still hears list_changed', async () => {
    const f = await fixture();
    const h = connect(f);
    await h.server.start();
    const gets = () => f.requests.filter((r) => r.method === 'GET').length;
    expect(gets()).toBe(1);
    f.closeGetStreams();
    await until(() => gets() === 2, 'the GET stream to be reopened');
    await new Promise((resolve) => setTimeout(resolve, 50));
    await f.addTool('after-reopen');
    await until(() => toolNames(h).includes('after-reopen'), 'the new tool');
    expect(h.server.state).toBe('ready');
  });

  it('reconnects when the server stops answering pings', async () => {
    const f = await fixture();
    const h = connect(f, { upstream: { pingIntervalMs: 100, pingTimeoutMs: 200 }, startupTimeoutMs: 500 });
    await h.server.start();
    f.hang = true;
    await until(() => h.server.state === 'backoff', 'backoff');
    const reason = h.events.filter((e) => e.type === 'server.state').at(-1) as { reason: string };
    expect(reason.reason).toMatch(/lost: no answer to ping within 200 ms/);
    f.hang = false;
    await until(() => h.server.state === 'ready' && h.connected === 2, 'ready again');
  });

  it('fails at once, saying what to do, when the server wants authorization', async () => {
    const server = http.createServer((_req, res) =>
      res.writeHead(401, { 'www-authenticate': 'Bearer' }).end(),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise((resolve) => server.close(resolve)));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`;
    const h = connectRemote('http', () => ({ url, headers: {} }));
    cleanups.push(() => h.server.stop());
    await h.server.start();
    expect(h.server.state).toBe('failed');
    const last = h.events.filter((e) => e.type === 'server.state').at(-1) as { reason: string };
    expect(last.reason).toMatch(/HTTP 401.*wants authorization.*"headers"/);
  });

  it('answers a request with an error, not silence, when the server breaks the exchange', async () => {
    const f = await fixture();
    const h = connect(f);
    await h.server.start();
    const pending = h.upstream.request('tools/call', { name: 'slow', arguments: { ms: 5000 } });
    await until(() => h.upstream.inFlight === 1, 'the call to go out');
    await new Promise((resolve) => setTimeout(resolve, 100));
    await f.kill();
    const err = (await pending.catch((e: unknown) => e)) as UpstreamError;
    expect(reasonOf(err)).toBe(EngineErrors.SERVER_UNAVAILABLE.reason);
  });
});
