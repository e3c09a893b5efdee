import { request } from 'node:http';
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  apiOperations,
  apiStreams,
  type ApiInput,
  type ApiOutput,
  type ApiParsedInput,
  type ApiStreamItem,
} from '../../shared/api.js';
import { httpRequestFor } from '../../shared/api-http.js';
import type { EngineEvent } from '../../shared/events.js';
import type { ServerSnapshot } from '../../shared/state-view.js';
import {
  api,
  auth,
  base,
  logs,
  port,
  replaced,
  startServer,
  supervisor,
  useApiRoutes,
} from '../../../test/helpers/api-routes-harness.js';

useApiRoutes();

describe('the HTTP routes derived from the API table', () => {
  it('binds every operation and stream of the table, under /api/v1 (events at /events)', () => {
    for (const spec of Object.values(apiOperations)) expect(spec.http.path).toMatch(/^\/api\/v1\//);
    expect(apiStreams.events.http.path).toBe('/events');
    expect(httpRequestFor(apiOperations.getLogs.http, { server: 'a b', lines: 5 })).toEqual({
      method: 'GET',
      path: '/api/v1/servers/a%20b/logs?lines=5',
    });
    expect(httpRequestFor(apiOperations.setServerEnabled.http, { server: 'x', enabled: false })).toEqual({
      method: 'PUT',
      path: '/api/v1/servers/x/enabled',
      body: '{"enabled":false}',
    });
  });

  it('types what a caller sends, what a handler gets and what comes back', () => {
    expectTypeOf<ApiInput<'getLogs'>>().toEqualTypeOf<{ server: string; lines?: number; search?: string }>();
    expectTypeOf<ApiParsedInput<'getLogs'>>().toEqualTypeOf<{
      server: string;
      lines: number;
      search?: string | undefined;
    }>();
    expectTypeOf<ApiInput<'setServerEnabled'>>().toEqualTypeOf<{ server: string; enabled: boolean }>();
    expectTypeOf<ApiOutput<'getServer'>['state']>().toEqualTypeOf<ServerSnapshot['state']>();
    expectTypeOf<ApiStreamItem<'events'>>().toEqualTypeOf<EngineEvent>();
    expectTypeOf<ApiStreamItem<'followLogs'>>().toEqualTypeOf<string>();
  });

  it('wants the bearer token for the control API, and not for health', async () => {
    expect((await api('GET', '/api/v1/servers', undefined, {})).status).toBe(401);
    expect((await api('GET', '/api/v1/servers', undefined, { Authorization: 'Bearer nope' })).status).toBe(
      401,
    );
    expect((await api('GET', '/healthz', undefined, {})).status).toBe(200);
    const listed = await api('GET', '/api/v1/servers');
    expect(listed).toMatchObject({ status: 200, body: { servers: [{ name: 'echo', state: 'ready' }] } });
  });

  it('answers 400 naming the field and the fix when the input is wrong', async () => {
    const notNumber = await api('GET', '/api/v1/servers/echo/logs?lines=many');
    expect(notNumber.status).toBe(400);
    expect(notNumber.body.error).toMatch(/invalid input for getLogs:\nlines: must be a number, not a string/);
    expect(notNumber.body.problems).toEqual([{ path: 'lines', message: 'must be a number, not a string' }]);
    expect((await api('GET', '/api/v1/servers/echo/logs?lines=0')).body.error).toMatch(
      /lines: must be at least 1/,
    );
    const notBoolean = await api('PUT', '/api/v1/servers/echo/enabled', { enabled: 'yes' });
    expect(notBoolean).toMatchObject({ status: 400 });
    expect(notBoolean.body.error).toMatch(/enabled: must be a boolean, not a string/);
    expect((await api('PUT', '/api/v1/servers/echo/enabled', {})).body.error).toMatch(/enabled: required/);
    const badJson = await api('PUT', '/api/v1/servers/echo/enabled', '{"enabled": tru');
    expect(badJson.status).toBe(400);
    expect(badJson.body.error).toMatch(/not valid JSON/);
    expect((await api('PUT', '/api/v1/servers/echo/enabled', '[true]')).body.error).toMatch(/JSON object/);
    const noTool = await api('POST', '/api/v1/servers/echo/tools/call', { arguments: {} });
    expect(noTool.body.error).toMatch(/tool: required/);
  });

  it('checks a new config against the config schema and writes nothing when it is wrong', async () => {
    const bad = await api('PUT', '/api/v1/config', { mcpServers: { a: { command: '' }, b: { args: [] } } });
    expect(bad.status).toBe(400);
    expect(bad.body.problems).toEqual([
      { path: 'mcpServers.a.command', message: 'must not be empty' },
      { path: 'mcpServers.b', message: expect.stringMatching(/needs "command"/) },
    ]);
    expect(replaced).toEqual([]);
    const good = { mcpServers: { a: { command: 'node', mine: true } }, extra: 1 };
    expect((await api('PUT', '/api/v1/config', good)).status).toBe(200);
    expect(replaced).toEqual([good]); // as sent: no defaults written into the file
  });

  it('answers 404 for an unknown server, saying how to list them; 404/405 for unknown paths/methods', async () => {
    for (const [method, url] of [
      ['GET', '/api/v1/servers/nope'],
      ['POST', '/api/v1/servers/nope/restart'],
      ['GET', '/api/v1/servers/nope/logs'],
      ['GET', '/api/v1/servers/nope/logs?follow=1'],
      ['GET', '/api/v1/servers/nope/tools'],
    ] as const) {
      const answer = await api(method, url);
      expect(answer.status, url).toBe(404);
      expect(answer.body.error).toMatch(/no server named "nope"; `switchboard status` .* lists/);
    }
    expect(supervisor.actions).toEqual([]);
    expect((await api('GET', '/api/v1/nothing')).status).toBe(404);
    expect((await api('PATCH', '/api/v1/servers/echo')).status).toBe(405);
    expect((await api('GET', '/api/v1/servers/%E0%A4%A')).status).toBe(400);
  });

  it('acts, lists tools and calls one through the handlers', async () => {
    expect(await api('POST', '/api/v1/servers/echo/restart')).toMatchObject({
      status: 200,
      body: { name: 'echo' },
    });
    expect(supervisor.actions).toEqual(['restart echo']);
    expect((await api('GET', '/api/v1/servers/echo/tools')).body).toEqual({
      server: 'echo',
      tools: [{ name: 'echo', inputSchema: { type: 'object' } }],
    });
    const called = await api('POST', '/api/v1/servers/echo/tools/call', {
      tool: 'echo',
      arguments: { a: 1 },
    });
    expect(
      JSON.parse((called.body as { result: { content: { text: string }[] } }).result.content[0]!.text),
    ).toEqual({ server: 'echo', tool: 'echo', arguments: { a: 1 } });
  });

  it('streams a log as server-sent events: the tail, then new lines (follow=1)', async () => {
    logs.append('echo', 'before 1');
    logs.append('echo', 'before 2');
    const abort = new AbortController();
    const response = await fetch(`${base}/api/v1/servers/echo/logs?follow=1&lines=1`, {
      headers: auth,
      signal: abort.signal,
    });
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    const reader = response.body!.getReader();
    let text = '';
    const until = async (needle: string) => {
      while (!text.includes(needle)) text += new TextDecoder().decode((await reader.read()).value);
    };
    await until('data: "before 2"');
    logs.append('echo', 'after');
    await until('data: "after"');
    expect(text).not.toContain('before 1');
    abort.abort();
    // Without follow, the same path is the plain tail.
    expect((await api('GET', '/api/v1/servers/echo/logs?lines=5')).body.lines).toEqual([
      'before 1',
      'before 2',
      'after',
    ]);
  });
});

describe('/events', () => {
  it('streams every engine event as server-sent events, behind the token', async () => {
    expect((await api('GET', '/events', undefined, {})).status).toBe(401);
    const abort = new AbortController();
    const response = await fetch(`${base}/events`, { headers: auth, signal: abort.signal });
    const reader = response.body!.getReader();
    let text = new TextDecoder().decode((await reader.read()).value);
    expect(text).toBe(': connected\n\n');
    const event: EngineEvent = { type: 'server.removed', server: 'echo', at: 5 };
    supervisor.emit('event', event);
    while (!text.includes('\n\ndata:')) text += new TextDecoder().decode((await reader.read()).value);
    expect(text).toBe(`: connected\n\ndata: ${JSON.stringify(event)}\n\n`);
    expect(supervisor.listenerCount('event')).toBe(1);
    expect(supervisor.usage).toEqual(['watch']); // a follower gets CPU and memory at the quick pace
    abort.abort();
    await waitFor(() => supervisor.listenerCount('event') === 0);
    expect(supervisor.usage).toEqual(['watch', 'unwatch']);
  });

  it('asks for fresh usage figures before answering a read of the servers', async () => {
    await api('GET', '/api/v1/servers');
    await api('GET', '/api/v1/servers/echo');
    expect(supervisor.usage).toEqual(['fresh', 'fresh']);
  });
});

async function waitFor(check: () => boolean): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('the /mcp and /metrics hooks', () => {
  const raw = (pathName: string, headers: Record<string, string> = {}) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      request({ host: '127.0.0.1', port, path: pathName, method: 'POST', headers }, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      })
        .on('error', reject)
        .end('{}');
    });

  it('answers 404 without the hooks', async () => {
    expect((await raw('/mcp')).status).toBe(404);
    expect((await raw('/mcp/echo')).status).toBe(404);
    expect((await api('GET', '/metrics', undefined, {})).status).toBe(404);
  });

  it('hands /mcp and /mcp/NAME to the hook without a token, but behind the Host guard', async () => {
    const calls: (string | undefined)[] = [];
    await startServer({
      mcp: (req, res, name) => {
        calls.push(name);
        res.writeHead(200, { 'Content-Type': 'text/plain' }).end(`mcp ${req.method} ${name ?? '*'}`);
      },
      metrics: async () => ({ contentType: 'text/plain; version=0.0.4', body: 'up 1\n' }),
    });
    expect(await raw('/mcp')).toEqual({ status: 200, body: 'mcp POST *' });
    expect(await raw('/mcp/my%20server?x=1')).toEqual({ status: 200, body: 'mcp POST my server' });
    expect((await raw('/mcp/a/b')).status).toBe(404);
    expect((await raw('/mcp/echo', { Host: `evil.example:${port}` })).status).toBe(403);
    expect(calls).toEqual([undefined, 'my server']);
    const metrics = await fetch(`${base}/metrics`);
    expect(metrics.status).toBe(200);
    expect(metrics.headers.get('content-type')).toBe('text/plain; version=0.0.4');
    expect(await metrics.text()).toBe('up 1\n');
  });
});
