import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { RemoteFixture } from '../../../test/fixtures/remote/remote-fixture.js';
import { connectRemote, textOf, until, type Harness } from '../../../test/fixtures/remote/remote-harness.js';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function fixture(): Promise<RemoteFixture> {
  const f = new RemoteFixture({ pageSize: 4 });
  await f.start();
  cleanups.push(() => f.kill());
  return f;
}

function connect(url: () => string, headers: Record<string, string> = {}): Harness {
  const h = connectRemote('sse', () => ({ url: url(), headers }));
  cleanups.push(() => h.server.stop());
  return h;
}

describe('SseUpstream (legacy HTTP+SSE) against an SDK server', () => {
  it('reads the endpoint, initializes, lists, and carries calls with their notifications and server requests', async () => {
    const f = await fixture();
    const h = connect(() => f.sseUrl, { 'X-Team': 'green' });
    h.upstream.on('serverRequest', (request) =>
      h.upstream.reply(request.id!, {
        result: { role: 'assistant', content: { type: 'text', text: 'yo' }, model: 'm' },
      }),
    );
    await h.server.start();
    expect(h.server.state).toBe('ready');
    expect((h.upstream.lists.tools as unknown[]).length).toBe(6);
    const replies = await Promise.all([
      h.upstream.request('tools/call', { name: 'echo', arguments: { text: 'a' } }),
      h.upstream.request('tools/call', { name: 'work', arguments: {}, _meta: { progressToken: 7 } }),
    ]);
    expect(replies.map(textOf)).toEqual(['a', 'sampled: yo']);
    expect(h.notifications.map((n) => n.method)).toEqual(['notifications/progress', 'notifications/message']);
    expect(h.serverRequests.map((r) => r.method)).toEqual(['sampling/createMessage']);
    expect(f.requests.every((r) => r.headers['x-team'] === 'green')).toBe(true);
    expect(f.requests.map((r) => `${r.method} ${r.path}`).slice(0, 2)).toEqual([
      'GET /sse',
      'POST /messages',
    ]);
  });

  it('re-lists on list_changed', async () => {
    const f = await fixture();
    const h = connect(() => f.sseUrl);
    await h.server.start();
    await f.addTool('fresh');
    await until(
      () => (h.upstream.lists.tools as { name: string }[]).some((t) => t.name === 'fresh'),
      'the new tool',
    );
  });

  it('reconnects when the stream ends, and sends the requests it held', async () => {
    const f = await fixture();
    const h = connect(() => f.sseUrl);
    await h.server.start();
    const port = f.port;
    await f.kill();
    await until(() => h.server.state === 'backoff', 'backoff');
    const held = h.upstream.request('tools/call', { name: 'echo', arguments: { text: 'later' } });
    await new Promise((resolve) => setTimeout(resolve, 150));
    await f.start(port);
    expect(textOf(await held)).toBe('later');
    await until(() => h.server.state === 'ready', 'ready');
    expect(h.connected).toBe(2);
  });

  it('connects again when the server ends the session (and its stream)', async () => {
    const f = await fixture();
    const h = connect(() => f.sseUrl);
    await h.server.start();
    await f.forgetSessions();
    await until(() => h.connected === 2 && h.server.state === 'ready', 'a new session');
    expect(h.states).toContain('ready→backoff');
    const reply = await h.upstream.request('tools/call', { name: 'echo', arguments: { text: 'b' } });
    expect(textOf(reply)).toBe('b');
    expect(h.connected).toBe(2);
  });

  it('refuses an endpoint on another origin, and says why', async () => {
    const server = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('event: endpoint\ndata: http://evil.example/messages\n\n');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(resolve));
    });
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/sse`;
    const h = connect(() => url);
    await h.server.start();
    expect(h.server.state).toBe('failed');
    const last = h.events.filter((e) => e.type === 'server.state').at(-1) as { reason: string };
    expect(last.reason).toMatch(/another origin \(http:\/\/evil\.example\)/);
  });
});
