import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CreateMessageRequestSchema,
  ToolListChangedNotificationSchema,
} from '@modelcontextprotocol/sdk/types.js';
import { createServer } from 'node:http';
import type { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { AddressInfo } from 'node:net';
import { systemClock } from '../../electron/engine/flow/clock.js';
import { McpHttpEndpoint } from '../../electron/engine/http/mcp-http-endpoint.js';
import { ECHO_FIXTURE, InProcessEngine, npmServerBin } from './gateway-harness.js';
import { initializeRequest } from '../helpers/initialize-request.js';

type ToolResult = { content: { type: string; text?: string }[]; isError?: boolean };
const text = (r: unknown) => (r as ToolResult).content.map((c) => c.text ?? '').join('');

let engine: InProcessEngine;
let versionFile: string;

beforeAll(async () => {
  engine = new InProcessEngine({});
  versionFile = path.join(engine.dir, 'version.txt');
  writeFileSync(versionFile, 'one');
  engine.writeConfig({
    echo: {
      command: process.execPath,
      args: [ECHO_FIXTURE],
      env: { FIXTURE_VERSION_FILE: versionFile },
      watch: [versionFile],
      debounceMs: 60,
    },
    everything: {
      command: process.execPath,
      args: [npmServerBin('@modelcontextprotocol/server-everything', 'mcp-server-everything'), 'stdio'],
    },
  });
  await engine.start();
  await engine.until(
    () => engine.state('echo') === 'ready' && engine.state('everything') === 'ready',
    'servers ready',
  );
}, 30_000);
afterAll(() => engine.stop());

describe('Streamable HTTP at /mcp/NAME', () => {
  it("shows the server's own info and tools unchanged, and calls them", async () => {
    const client = await engine.client('echo');
    expect(client.getServerVersion()?.name).toBe('echo-fixture');
    const { tools } = await client.listTools();
    expect(tools).toEqual(engine.supervisor.upstreamOf('echo')!.lists.tools);
    expect(text(await client.callTool({ name: 'echo', arguments: { text: 'hi' } }))).toBe('hi');
  });

  it('carries two clients over one upstream at once, each getting its own replies', async () => {
    const [a, b] = await Promise.all([engine.client('echo'), engine.client('echo')]);
    const calls = (client: typeof a, tag: string) =>
      Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          client.callTool({ name: 'echo', arguments: { text: `${tag}${i}` } }),
        ),
      );
    const [ra, rb] = await Promise.all([calls(a, 'a'), calls(b, 'b')]);
    expect(ra.map(text)).toEqual(Array.from({ length: 40 }, (_, i) => `a${i}`));
    expect(rb.map(text)).toEqual(Array.from({ length: 40 }, (_, i) => `b${i}`));
    const pid = (c: typeof a) =>
      c.callTool({ name: 'version', arguments: {} }).then((r) => JSON.parse(text(r)).pid as number);
    expect(await pid(a)).toBe(await pid(b));
  });

  it('counts the client sessions of each server in the snapshot as they come and go', async () => {
    const sessions = () => engine.supervisor.snapshot().servers.find((s) => s.name === 'echo')!.sessions;
    const before = sessions();
    const [a, b] = await Promise.all([engine.client('echo'), engine.client('echo')]);
    await Promise.all([a.listTools(), b.listTools()]);
    expect(sessions()).toBe(before + 2);
    const end = async (client: typeof a) => {
      await (client.transport as StreamableHTTPClientTransport).terminateSession(); // DELETE
      await client.close();
    };
    await end(a);
    await engine.until(() => sessions() === before + 1, 'one session fewer');
    await end(b);
    await engine.until(() => sessions() === before, 'back where it was');
  });

  it('routes progress to the session that asked, even when two sessions use the same token', async () => {
    const [a, b] = await Promise.all([engine.client('everything'), engine.client('everything')]);
    const seen = { a: [] as number[], b: [] as number[] };
    const run = (client: typeof a, into: number[]) =>
      client.callTool(
        { name: 'trigger-long-running-operation', arguments: { duration: 0.3, steps: 3 } },
        undefined,
        { onprogress: (p) => into.push(p.progress) },
      );
    await Promise.all([run(a, seen.a), run(b, seen.b)]);
    expect(seen.a).toEqual([1, 2, 3]);
    expect(seen.b).toEqual([1, 2, 3]);
  });

  it('sends a sampling request to the client whose call is in flight, never to one without the capability', async () => {
    const sampler = await engine.client('everything', { sampling: {} });
    const plain = await engine.client('everything');
    await plain.ping(); // the most recently active session is the one that cannot sample
    sampler.setRequestHandler(CreateMessageRequestSchema, async () => ({
      role: 'assistant',
      content: { type: 'text', text: 'sampled by the right client' },
      model: 'test',
      stopReason: 'endTurn',
    }));
    const result = await sampler.callTool({
      name: 'trigger-sampling-request',
      arguments: { prompt: 'hi', maxTokens: 5 },
    });
    // `plain` would have answered "method not found": the request went to the capable client.
    expect(JSON.stringify(result)).toContain('sampled by the right client');
  });

  it('never lets another client answer for a client without the capability, nor asks an idle client', async () => {
    const sampler = await engine.client('everything', { sampling: {} });
    let asked = 0;
    sampler.setRequestHandler(CreateMessageRequestSchema, async () => {
      asked++;
      return {
        role: 'assistant',
        content: { type: 'text', text: 'leaked' },
        model: 'test',
        stopReason: 'endTurn',
      };
    });
    await sampler.ping(); // idle, capable and the most recently active: it used to be asked
    const plain = await engine.client('everything');
    const outcome = await plain
      .callTool({ name: 'trigger-sampling-request', arguments: { prompt: 'hi', maxTokens: 5 } })
      .then(
        (r) => JSON.stringify(r),
        (e: Error) => e.message,
      );
    expect(asked).toBe(0);
    expect(outcome).not.toContain('leaked');
    expect(outcome).toMatch(/sampling/);
  });

  it('tells an aggregated session that the tools changed when a server comes back with others', async () => {
    const aggregated = await engine.client();
    await aggregated.listTools();
    let changed = 0;
    aggregated.setNotificationHandler(ToolListChangedNotificationSchema, async () => void changed++);
    writeFileSync(versionFile, 'aggregated');
    await engine.until(() => changed > 0, 'tools/list_changed on /mcp', 15_000);
    await engine.until(() => engine.state('echo') === 'ready', 'echo ready again');
    expect((await aggregated.listTools()).tools.map((t) => t.name)).toContain('echo__v_aggregated');
  });

  it('keeps attached sessions whole across a hot reload: calls during the restart wait and succeed', async () => {
    const client = await engine.client('echo');
    const changed = new Promise<void>((resolve) =>
      client.setNotificationHandler(ToolListChangedNotificationSchema, async () => resolve()),
    );
    const before = await client.callTool({ name: 'version', arguments: {} });
    writeFileSync(versionFile, 'two');
    await engine.until(() => engine.state('echo') === 'restarting', 'restart begins', 5000);
    const during = await Promise.all(
      Array.from({ length: 5 }, () => client.callTool({ name: 'version', arguments: {} })),
    );
    expect(during.map((r) => JSON.parse(text(r)).version)).toEqual(Array(5).fill('two'));
    expect(JSON.parse(text(during[0])).pid).not.toBe(JSON.parse(text(before)).pid);
    await changed; // the tool named after the version changed: the client is told
    expect((await client.listTools()).tools.map((t) => t.name)).toContain('v_two');
  });

  it('survives a crash: the interrupted call gets an error, the next one is answered', async () => {
    const client = await engine.client('echo');
    const crashed = await client.callTool({ name: 'crash', arguments: { code: 5 } }).catch((e: Error) => e);
    expect(String((crashed as Error).message)).toMatch(/exit/);
    expect(text(await client.callTool({ name: 'echo', arguments: { text: 'again' } }))).toBe('again');
  });
});

describe('the aggregated endpoint /mcp', () => {
  it('lists every ready server’s tools as server__tool and routes calls back', async () => {
    const client = await engine.client();
    expect(client.getServerVersion()?.name).toBe('switchboard');
    const names = (await client.listTools()).tools.map((t) => t.name);
    expect(names).toContain('echo__echo');
    expect(names).toContain('everything__get-sum');
    expect(text(await client.callTool({ name: 'echo__echo', arguments: { text: 'via all' } }))).toBe(
      'via all',
    );
    const sum = await client.callTool({ name: 'everything__get-sum', arguments: { a: 2, b: 3 } });
    expect(text(sum)).toContain('5');
    const unknown = await client.callTool({ name: 'nobody__echo', arguments: {} }).catch((e: Error) => e);
    // As a server says it of a tool it does not have (the SDK's words), not an engine error.
    expect(unknown).toMatchObject({
      code: -32602,
      message: expect.stringMatching(/Tool nobody__echo not found/),
    });
    const missing = await client.readResource({ uri: 'nowhere://x' }).catch((e: Error) => e);
    expect(missing).toMatchObject({ code: -32002, data: { uri: 'nowhere://x' } });
  });

  it('takes many aggregated sessions at once without a MaxListenersExceededWarning', async () => {
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.name);
    process.on('warning', onWarning);
    try {
      const clients = await Promise.all(Array.from({ length: 15 }, () => engine.client()));
      await Promise.all(clients.map((c) => c.listTools()));
      await new Promise((r) => setImmediate(r)); // warnings are emitted on the next tick
      expect(warnings.filter((w) => w === 'MaxListenersExceededWarning')).toEqual([]);
      await Promise.all(clients.map((c) => c.close()));
    } finally {
      process.off('warning', onWarning);
    }
  });

  it('routes resources by URI, including template instances', async () => {
    const client = await engine.client();
    const { resources } = await client.listResources();
    expect(resources.length).toBeGreaterThan(0);
    const first = resources[0]!;
    const read = await client.readResource({ uri: first.uri });
    expect(read.contents[0]?.uri).toBe(first.uri);
    const { resourceTemplates } = await client.listResourceTemplates();
    const template = resourceTemplates.find((t) => t.uriTemplate.includes('{resourceId}'))!;
    const instance = template.uriTemplate.replace('{resourceId}', '7');
    expect((await client.readResource({ uri: instance })).contents[0]?.uri).toBe(instance);
  });

  it('namespaces prompts the same way', async () => {
    const client = await engine.client();
    const { prompts } = await client.listPrompts();
    const echoPrompt = prompts.find((p) => p.name.startsWith('echo__'))!;
    expect(echoPrompt).toBeDefined();
    const got = await client.getPrompt({ name: echoPrompt.name, arguments: { name: 'Ada' } });
    expect(JSON.stringify(got.messages)).toContain('Hello Ada');
  });
});

describe('Streamable HTTP protocol rules', () => {
  const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        ...headers,
      },
      body: JSON.stringify(body),
    });
  const init = initializeRequest('raw', { protocolVersion: '2025-06-18', id: 1 });

  it('mints a session on initialize and enforces it afterwards (400 without, 404 unknown or ended)', async () => {
    const url = `${engine.url}/mcp/echo`;
    const res = await post(url, init);
    expect(res.status).toBe(200);
    const session = res.headers.get('mcp-session-id')!;
    expect(session).toMatch(/^[\x21-\x7e]+$/);
    expect(((await res.json()) as { result: { protocolVersion: string } }).result.protocolVersion).toBe(
      '2025-06-18',
    );
    const list = { jsonrpc: '2.0', id: 2, method: 'tools/list' };
    expect((await post(url, list)).status).toBe(400);
    expect((await post(url, list, { 'mcp-session-id': 'nope' })).status).toBe(404);
    expect((await post(`${engine.url}/mcp/everything`, list, { 'mcp-session-id': session })).status).toBe(
      404,
    );
    expect(
      (await post(url, list, { 'mcp-session-id': session, 'mcp-protocol-version': '1999-01-01' })).status,
    ).toBe(400);
    expect(
      (await post(url, list, { 'mcp-session-id': session, 'mcp-protocol-version': '2025-06-18' })).status,
    ).toBe(200);
    const notification = await post(
      url,
      { jsonrpc: '2.0', method: 'notifications/initialized' },
      { 'mcp-session-id': session },
    );
    expect(notification.status).toBe(202);
    const del = await fetch(url, { method: 'DELETE', headers: { 'mcp-session-id': session } });
    expect(del.status).toBe(200);
    expect((await post(url, list, { 'mcp-session-id': session })).status).toBe(404);
  });

  it('keeps at most maxSessions sessions, ending the least recently used first', async () => {
    const endpoint = new McpHttpEndpoint({
      gateway: engine.gateway,
      clock: systemClock,
      version: 'test',
      log: () => {},
      maxSessions: 2,
    });
    const server = createServer((req, res) => endpoint.handle(req, res, 'echo'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp/echo`;
    try {
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) ids.push((await post(url, init)).headers.get('mcp-session-id')!);
      const list = { jsonrpc: '2.0', id: 2, method: 'tools/list' };
      expect((await post(url, list, { 'mcp-session-id': ids[0]! })).status).toBe(404);
      expect((await post(url, list, { 'mcp-session-id': ids[2]! })).status).toBe(200);
    } finally {
      endpoint.close();
      server.closeAllConnections();
      server.close();
    }
  });

  it('answers bad input with the right status and a JSON-RPC error that says what is wrong', async () => {
    const url = `${engine.url}/mcp/echo`;
    const garbled = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: '{"jsonrpc":',
    });
    expect(garbled.status).toBe(400);
    expect(((await garbled.json()) as { error: { code: number } }).error.code).toBe(-32700);
    expect((await post(url, init, { accept: 'application/json' })).status).toBe(406);
    expect((await post(`${engine.url}/mcp/nobody`, init)).status).toBe(404);
    const getWithoutSse = await fetch(url, { headers: { accept: 'application/json' } });
    expect(getWithoutSse.status).toBe(406);
    expect((await fetch(url, { method: 'PUT' })).status).toBe(405);
  });
});
