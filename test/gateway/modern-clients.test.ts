import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/client';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { ECHO_FIXTURE, InProcessEngine, npmServerBin } from './gateway-harness.js';
import { MODERN, postModern, surfacesOf } from './modern-wire.js';

const EVERYTHING = npmServerBin('@modelcontextprotocol/server-everything', 'mcp-server-everything');

/**
 * Clients of protocol revision 2026-07-28 (the TypeScript SDK v2 `Client`, pinned and automatic)
 * against an old-era server (the echo fixture, SDK 1.x) through every surface of the engine: they
 * discover, list and call without `initialize` or a session (issue 23, "new client ⇄ old server").
 */

const ENVELOPE = {
  'io.modelcontextprotocol/protocolVersion': MODERN,
  'io.modelcontextprotocol/clientCapabilities': {},
  'io.modelcontextprotocol/clientInfo': { name: 'raw', version: '1' },
};

let engine: InProcessEngine;
let versionFile: string;

beforeAll(async () => {
  engine = new InProcessEngine({});
  versionFile = path.join(engine.dir, 'version.txt');
  writeFileSync(versionFile, 'one');
  engine.writeConfig({
    echo: { command: process.execPath, args: [ECHO_FIXTURE], env: { FIXTURE_VERSION_FILE: versionFile } },
    everything: { command: process.execPath, args: [EVERYTHING, 'stdio'], sessions: 'shared' },
    own: { command: process.execPath, args: [ECHO_FIXTURE], sessions: 'per-client' },
  });
  await engine.start();
  await engine.until(
    () => engine.state('echo') === 'ready' && engine.state('everything') === 'ready',
    'ready',
  );
}, 30_000);
afterAll(async () => {
  await engine?.stop();
});

type Mode = 'auto' | { pin: string };
const client = (mode: Mode) =>
  new Client({ name: 'modern-client', version: '1' }, { capabilities: {}, versionNegotiation: { mode } });

const SURFACES = surfacesOf(() => engine, 'echo');

describe.each(SURFACES)('a 2026-07-28 client on $name', ({ prefix, transport }) => {
  const tool = `${prefix}echo`;
  it.each<[string, Mode]>([
    ['pinned', { pin: MODERN }],
    ['automatic', 'auto'],
  ])(
    '%s: discovers the server, lists and calls its tools in the new era',
    async (_label, mode) => {
      const modern = client(mode);
      await modern.connect(transport());
      expect(modern.getProtocolEra()).toBe('modern');
      expect(modern.getNegotiatedProtocolVersion()).toBe(MODERN);
      const { tools } = await modern.listTools();
      expect(tools.map((t) => t.name)).toContain(tool);
      const result = await modern.callTool({ name: tool, arguments: { text: 'across the eras' } });
      expect(result.content).toEqual([{ type: 'text', text: 'across the eras' }]);
      await modern.close();
    },
    30_000,
  );
});

/** One raw POST to the engine of a 2026-07-28 request: its status and the one message answered. */
async function post(route: string, body: Record<string, unknown>, headers: Record<string, string> = {}) {
  const { status, messages } = await postModern(new URL(route, engine.url), body, headers);
  return { status, body: messages[0]! };
}

describe('the 2026-07-28 wire on /mcp/NAME, checked by hand', () => {
  it('answers server/discover with the versions it serves, the server capabilities and who it is', async () => {
    const { status, body } = await post('/mcp/echo', {
      id: 1,
      method: 'server/discover',
      params: { _meta: ENVELOPE },
    });
    expect(status).toBe(200);
    expect(body.result).toMatchObject({
      supportedVersions: [MODERN],
      capabilities: { tools: {} },
      resultType: 'complete',
      ttlMs: 0,
      cacheScope: 'private',
      _meta: { 'io.modelcontextprotocol/serverInfo': { name: 'echo-fixture' } },
    });
  });

  it('gives list results the cache fields and every result its resultType; no session is made', async () => {
    const listed = await postModern(new URL('/mcp/echo', engine.url), {
      id: 2,
      method: 'tools/list',
      params: { _meta: ENVELOPE },
    });
    expect(listed.headers.get('mcp-session-id')).toBeNull();
    const body = listed.messages[0]!;
    expect(body.result).toMatchObject({ resultType: 'complete', ttlMs: 0, cacheScope: 'private' });
    const called = await post(
      '/mcp/echo',
      { id: 3, method: 'tools/call', params: { name: 'echo', arguments: { text: 'hi' }, _meta: ENVELOPE } },
      { 'mcp-name': 'echo' },
    );
    expect(called.body.result).toMatchObject({
      resultType: 'complete',
      content: [{ type: 'text', text: 'hi' }],
    });
    expect(called.body.result).not.toHaveProperty('ttlMs');
  });

  it('refuses a revision it does not serve with -32022 and the ones it does', async () => {
    const meta = { ...ENVELOPE, 'io.modelcontextprotocol/protocolVersion': '2027-01-01' };
    const { status, body } = await post(
      '/mcp/echo',
      { id: 4, method: 'tools/list', params: { _meta: meta } },
      { 'mcp-protocol-version': '2027-01-01' },
    );
    expect(status).toBe(400);
    expect(body.error).toMatchObject({
      code: -32022,
      data: { supported: [MODERN], requested: '2027-01-01' },
    });
  });

  it('refuses headers that disagree with the body (-32020), and a missing Mcp-Name', async () => {
    const mismatch = await post(
      '/mcp/echo',
      { id: 5, method: 'tools/list', params: { _meta: ENVELOPE } },
      { 'mcp-method': 'prompts/list' },
    );
    expect(mismatch.status).toBe(400);
    expect(mismatch.body.error).toMatchObject({
      code: -32020,
      data: { mismatch: { header: 'prompts/list', body: 'tools/list' } },
    });
    const noName = await post('/mcp/echo', {
      id: 6,
      method: 'tools/call',
      params: { name: 'echo', arguments: {}, _meta: ENVELOPE },
    });
    expect(noName.status).toBe(400);
    expect(noName.body.error).toMatchObject({
      code: -32020,
      data: { mismatch: { header: '(missing)', body: 'echo' } },
    });
  });

  it('refuses a request whose header names the era but whose body has no envelope, with its id', async () => {
    const noMeta = await post('/mcp/echo', { id: 9, method: 'server/discover', params: {} });
    expect(noMeta.status).toBe(400);
    expect(noMeta.body).toMatchObject({
      id: 9,
      error: { code: -32602, data: { envelope: { problem: 'missing' } } },
    });
  });

  it('answers the methods the era removed with 404 -32601, and a bad envelope with 400 -32602', async () => {
    const init = await post('/mcp/echo', { id: 10, method: 'initialize', params: { _meta: ENVELOPE } });
    expect(init.status).toBe(404);
    expect(init.body.error?.code).toBe(-32601);
    const ping = await post('/mcp/echo', { id: 7, method: 'ping', params: { _meta: ENVELOPE } });
    expect(ping.status).toBe(404);
    expect(ping.body.error?.code).toBe(-32601);
    const { 'io.modelcontextprotocol/clientCapabilities': _caps, ...noCaps } = ENVELOPE;
    const bad = await post('/mcp/echo', { id: 8, method: 'tools/list', params: { _meta: noCaps } });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({
      code: -32602,
      data: { envelope: { key: 'io.modelcontextprotocol/clientCapabilities', problem: 'missing' } },
    });
  });

  it('still serves a 2025-11-25 client as before, with a session', async () => {
    const old = await engine.client('echo');
    expect((await old.listTools()).tools.map((t) => t.name)).toContain('echo');
  });
});

/** A 2026-07-28 client that answers elicitation and sampling (the SDK drives the input-required rounds). */
function answeringClient(): { client: Client; asked: string[] } {
  const asked: string[] = [];
  const c = new Client(
    { name: 'modern-answering', version: '1' },
    {
      capabilities: { elicitation: { form: {} }, sampling: {} },
      versionNegotiation: { mode: { pin: MODERN } },
    },
  );
  c.setRequestHandler('elicitation/create', async (request) => {
    asked.push(`elicitation: ${request.params.message}`);
    return { action: 'accept', content: { name: 'Ada Lovelace' } };
  });
  c.setRequestHandler('sampling/createMessage', async (request) => {
    asked.push(`sampling: ${JSON.stringify(request.params.messages)}`);
    return {
      model: 'a person',
      role: 'assistant',
      content: { type: 'text', text: 'hello from the new era' },
    };
  });
  return { client: c, asked };
}

const everywhere = surfacesOf(() => engine, 'everything');

describe.each(everywhere)(
  "an old server's questions to a 2026-07-28 client on $name",
  ({ prefix, transport }) => {
    it('become input-required results; the answers go back and the call completes', async () => {
      const { client: modern, asked } = answeringClient();
      await modern.connect(transport());
      const elicited = await modern.callTool({ name: `${prefix}trigger-elicitation-request`, arguments: {} });
      expect(JSON.stringify(elicited.content)).toContain('Name: Ada Lovelace');
      const sampled = await modern.callTool({
        name: `${prefix}trigger-sampling-request`,
        arguments: { prompt: 'say hi' },
      });
      expect(JSON.stringify(sampled.content)).toContain('hello from the new era');
      expect(asked).toEqual([
        'elicitation: Please provide inputs for the following fields:',
        expect.stringContaining('say hi'),
      ]);
      await modern.close();
      expect(engine.gateway.inputRounds.size).toBe(0);
    }, 40_000);

    it('end in -32021 naming the capability when the envelope did not declare it', async () => {
      const modern = client({ pin: MODERN }); // declares no elicitation
      await modern.connect(transport());
      const call = modern.callTool({ name: `${prefix}trigger-elicitation-request`, arguments: {} });
      await expect(call).rejects.toMatchObject({
        code: -32021,
        data: { requiredCapabilities: { elicitation: { form: {} } } },
      });
      // The server's request was ended too: the next call is answered.
      expect((await modern.listTools()).tools.length).toBeGreaterThan(0);
      await modern.close();
      expect(engine.gateway.inputRounds.size).toBe(0);
    }, 40_000);
  },
);

describe('isolation between 2026-07-28 clients on one shared upstream', () => {
  it("never hands one client's question to another: with both in flight, the server is told no", async () => {
    const a = answeringClient();
    const b = answeringClient();
    await a.client.connect(new StreamableHTTPClientTransport(new URL('/mcp/everything', engine.url)));
    await b.client.connect(new StreamableHTTPClientTransport(new URL('/mcp/everything', engine.url)));
    // B's call is in flight (its first progress says so) when A's server asks: whose question it is
    // cannot be told over one stdio upstream.
    let inFlight = false;
    const stop = new AbortController();
    const long = b.client
      .callTool(
        { name: 'trigger-long-running-operation', arguments: { duration: 60, steps: 60 } },
        { signal: stop.signal, onprogress: () => (inFlight = true) },
      )
      .catch(() => undefined);
    await engine.until(() => inFlight, "B's call to be in flight", 20_000);
    const elicited = await a.client.callTool({ name: 'trigger-elicitation-request', arguments: {} });
    stop.abort();
    await long;
    // B's POST is closed: its request is cancelled upstream.
    await engine.until(
      () => engine.gateway.router('everything')!.requestsInFlight === 0,
      'B to leave',
      20_000,
    );
    expect(b.asked).toEqual([]);
    expect(JSON.stringify(elicited)).toMatch(/requests of 2 clients are in flight/);
    // Alone, A gets its question.
    const alone = await a.client.callTool({ name: 'trigger-elicitation-request', arguments: {} });
    expect(JSON.stringify(alone.content)).toContain('Name: Ada Lovelace');
    expect(b.asked).toEqual([]);
    await a.client.close();
    await b.client.close();
  }, 40_000);
});

describe.each(SURFACES)('subscriptions/listen on $name', ({ name, prefix, transport }) => {
  it('acknowledges the lists it will hear about, then tells each change with the subscription id', async () => {
    const modern = client({ pin: MODERN });
    await modern.connect(transport());
    const changes: unknown[] = [];
    modern.setNotificationHandler(
      'notifications/tools/list_changed',
      async (n) => void changes.push(n.params),
    );
    const listening = await modern.listen({ toolsListChanged: true, promptsListChanged: true });
    // What was asked and the server changes; resources were not asked for.
    expect(listening.honoredFilter).toEqual({ toolsListChanged: true, promptsListChanged: true });
    const version = `v${name.length}${Date.now() % 1000}`;
    writeFileSync(versionFile, version);
    await engine.supervisor.restart('echo');
    await engine.until(() => changes.length > 0, 'tools/list_changed over the listen', 20_000);
    expect(changes[0]).toMatchObject({
      _meta: { 'io.modelcontextprotocol/subscriptionId': expect.anything() },
    });
    expect((await modern.listTools()).tools.map((t) => t.name)).toContain(`${prefix}v_${version}`);
    await listening.close();
    await modern.close();
  }, 40_000);
});

describe.each(everywhere)(
  'resource subscriptions over subscriptions/listen on $name',
  ({ prefix, transport }) => {
    it('acknowledges the resources the server lets clients subscribe to, and tells each update', async () => {
      const modern = client({ pin: MODERN });
      await modern.connect(transport());
      // One of server-everything's (the aggregate lists other servers' resources too).
      const uri = (engine.supervisor.upstreamOf('everything')!.lists.resources![0] as { uri: string }).uri;
      const updates: unknown[] = [];
      modern.setNotificationHandler(
        'notifications/resources/updated',
        async (n) => void updates.push(n.params),
      );
      const listening = await modern.listen({ resourceSubscriptions: [uri] });
      expect(listening.honoredFilter).toEqual({ resourceSubscriptions: [uri] });
      const toggle = () => modern.callTool({ name: `${prefix}toggle-subscriber-updates`, arguments: {} });
      await toggle();
      await engine.until(() => updates.length > 0, `an update of ${uri} over the listen`, 20_000);
      await toggle();
      expect(updates[0]).toMatchObject({
        uri,
        _meta: { 'io.modelcontextprotocol/subscriptionId': expect.anything() },
      });
      await listening.close();
      await modern.close();
    }, 40_000);
  },
);

it('counts no client session for a 2026-07-28 request (it is one only while it runs): no events for the window', async () => {
  const events: string[] = [];
  const listener = (event: { type: string }) => void events.push(event.type);
  engine.supervisor.on('event', listener);
  const modern = client({ pin: MODERN });
  await modern.connect(new StreamableHTTPClientTransport(new URL('/mcp/echo', engine.url)));
  for (let i = 0; i < 5; i++) await modern.callTool({ name: 'echo', arguments: { text: `call ${i}` } });
  await modern.close();
  engine.supervisor.off('event', listener);
  expect(events.filter((type) => type === 'server.sessions')).toEqual([]);
  expect(engine.gateway.router('echo')!.requestsInFlight).toBe(0);
});

describe('a server that gives each client its own, and 2026-07-28 clients (no session)', () => {
  type Caller = { callTool(params: { name: string; arguments: Record<string, unknown> }): Promise<unknown> };
  const pidOf = async (c: Caller) => {
    const result = (await c.callTool({ name: 'version', arguments: {} })) as { content: { text: string }[] };
    return (JSON.parse(result.content[0]!.text) as { pid: number }).pid;
  };
  const named = (name: string) =>
    new Client({ name, version: '1' }, { capabilities: {}, versionNegotiation: { mode: { pin: MODERN } } });

  it('keeps one instance per client across its requests, another for another client, none shared', async () => {
    const kept = engine.gateway.clientUpstreams.size; // earlier tests' clients of the aggregate
    const a = named('client-a');
    const b = named('client-b');
    await a.connect(new StreamableHTTPClientTransport(new URL('/mcp/own', engine.url)));
    await b.connect(new StreamableHTTPClientTransport(new URL('/mcp/own', engine.url)));
    const [a1, a2, b1] = [await pidOf(a as Caller), await pidOf(a as Caller), await pidOf(b as Caller)];
    expect(a2).toBe(a1); // one POST each, the same instance
    expect(b1).not.toBe(a1);
    const old = (await engine.client('own')) as unknown as Caller; // a 2025-11-25 session gets its own too
    const sharedPid = await pidOf(old);
    expect([a1, b1]).not.toContain(sharedPid);
    expect(engine.gateway.clientUpstreams.size).toBe(kept + 2);
    await a.close();
    await b.close();
  }, 40_000);

  it('on the aggregated /mcp as well: the instance kept for that client, as on /mcp/own', async () => {
    const a = named('client-a');
    await a.connect(new StreamableHTTPClientTransport(new URL('/mcp/own', engine.url)));
    const viaServer = await pidOf(a as Caller);
    await a.close();
    const aggregated = named('client-a');
    await aggregated.connect(new StreamableHTTPClientTransport(new URL('/mcp', engine.url)));
    const tools = (await aggregated.listTools()).tools.map((t) => t.name);
    expect(tools).toContain('own__version');
    const pidVia = async () => {
      const result = (await aggregated.callTool({ name: 'own__version', arguments: {} })) as {
        content: { text: string }[];
      };
      return (JSON.parse(result.content[0]!.text) as { pid: number }).pid;
    };
    expect(await pidVia()).toBe(viaServer);
    expect(await pidVia()).toBe(viaServer);
    await aggregated.close();
  }, 40_000);
});
