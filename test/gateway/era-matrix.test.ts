import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ECHO_FIXTURE, InProcessEngine, REPO } from './gateway-harness.js';
import { connectClient, textOf, type Kind, type Surface } from './era-clients.js';
import { postModern, type Message } from './modern-wire.js';

/**
 * Clients of both protocol eras × servers of both eras × every surface (issue 23): the SDK 1.x
 * `Client` (2025-11-25), the SDK v2 `Client` automatic and pinned to 2026-07-28; the echo fixture
 * (SDK 1.x) and the modern fixture (SDK v2, both eras). In every cell the tools are listed and
 * called, and against the modern fixture its elicitation makes a round trip to the person.
 */

const MODERN_FIXTURE = path.join(REPO, 'test/fixtures/modern-server.mjs');
const SERVERS = {
  old: { command: process.execPath, args: [ECHO_FIXTURE] },
  modern: { command: process.execPath, args: [MODERN_FIXTURE] },
} as const;
type ServerName = keyof typeof SERVERS;

let engine: InProcessEngine;

beforeAll(async () => {
  engine = new InProcessEngine({ ...SERVERS });
  await engine.start();
  await engine.until(() => engine.state('old') === 'ready' && engine.state('modern') === 'ready', 'ready');
}, 30_000);
afterAll(async () => {
  await engine?.stop();
});

/** A connected client of `kind` on `surface`. */
const connect = (kind: Kind, surface: Surface, server: ServerName) =>
  connectClient(engine, kind, surface, server, SERVERS[server]);

const text = textOf;

const cells: [Kind, Surface, ServerName][] = [];
for (const kind of ['v1', 'v2-auto', 'v2-pinned'] as const)
  for (const surface of ['http', 'aggregate', 'connect', 'run'] as const)
    for (const server of ['old', 'modern'] as const) cells.push([kind, surface, server]);

describe.each(cells)('%s client, %s surface, %s server', (kind, surface, server) => {
  // `run` passes messages through untouched: a client pinned to 2026-07-28 needs a server of it.
  const refused = kind === 'v2-pinned' && surface === 'run' && server === 'old';
  const prefix = surface === 'aggregate' ? `${server}__` : '';

  // The modern fixture says which era it was spoken to in: `run` passes the client's own through;
  // the engine's upstream asks each server (server/discover) and speaks its era.
  const upstreamEra = surface === 'run' && kind === 'v1' ? 'legacy' : 'modern';

  it(
    refused
      ? 'is refused, the SDK naming the version the server did not offer'
      : 'lists and calls tools; the modern server asks the person, and hears the answer',
    async () => {
      if (refused) {
        await expect(connect(kind, surface, server)).rejects.toThrow(
          /did not offer pinned protocol version 2026-07-28/,
        );
        return;
      }
      const { client, era } = await connect(kind, surface, server);
      const legacyClient = kind === 'v1' || (kind === 'v2-auto' && surface === 'run' && server === 'old');
      expect(era).toBe(legacyClient ? 'legacy' : 'modern');
      const names = (await client.listTools()).tools.map((t) => t.name);
      expect(names).toContain(`${prefix}echo`);
      const echoed = text(await client.callTool({ name: `${prefix}echo`, arguments: { text: 'hi' } }));
      expect(echoed).toBe(server === 'modern' ? `hi (${upstreamEra})` : 'hi');
      if (server === 'modern')
        expect(text(await client.callTool({ name: `${prefix}greet`, arguments: {} }))).toBe(
          `Hello, Ada! (${upstreamEra})`,
        );
      await client.close();
    },
    30_000,
  );
});

describe('log messages for a 2026-07-28 client', () => {
  /** One enveloped tools/call of `warn` on /mcp/modern, read whole (SSE): every message it carried. */
  async function callWarn(logLevel?: string): Promise<Message[]> {
    const meta = {
      'io.modelcontextprotocol/protocolVersion': '2026-07-28',
      'io.modelcontextprotocol/clientCapabilities': {},
      ...(logLevel ? { 'io.modelcontextprotocol/logLevel': logLevel } : {}),
    };
    const { messages } = await postModern(
      new URL('/mcp/modern', engine.url),
      { id: 1, method: 'tools/call', params: { name: 'warn', arguments: {}, _meta: meta } },
      { 'mcp-name': 'warn', accept: 'text/event-stream, application/json' },
    );
    return messages;
  }

  it('come with a request whose envelope asks for them, at or above that level, and not otherwise', async () => {
    const logs = (messages: Message[]) =>
      messages.filter((m) => m.method === 'notifications/message').map((m) => m.params);
    expect(logs(await callWarn('info'))).toEqual([{ level: 'warning', data: 'a warning from the tool' }]);
    expect(logs(await callWarn('error'))).toEqual([]);
    expect(logs(await callWarn())).toEqual([]);
  }, 30_000);
});

describe('an input round resumed over another POST', () => {
  it("carries the server's progress after the answer on the retry's own stream", async () => {
    const meta = {
      'io.modelcontextprotocol/protocolVersion': '2026-07-28',
      'io.modelcontextprotocol/clientCapabilities': { elicitation: { form: {} } },
      progressToken: 'p1',
    };
    const post = async (id: number, params: Record<string, unknown>) =>
      (
        await postModern(
          new URL('/mcp/modern', engine.url),
          { id, method: 'tools/call', params: { name: 'survey', arguments: {}, _meta: meta, ...params } },
          { 'mcp-name': 'survey', accept: 'text/event-stream, application/json' },
        )
      ).messages;
    const [asked] = (await post(1, {})).filter((m) => m.id === 1);
    const { inputRequests, requestState } = asked!.result as {
      inputRequests: Record<string, unknown>;
      requestState: string;
    };
    const key = Object.keys(inputRequests)[0]!;
    const retry = await post(2, {
      inputResponses: { [key]: { action: 'accept', content: { name: 'Ada' } } },
      requestState,
    });
    expect(retry.filter((m) => m.method === 'notifications/progress').map((m) => m.params?.progress)).toEqual(
      [1, 2],
    );
    expect(retry.find((m) => m.id === 2)?.result).toMatchObject({
      resultType: 'complete',
      content: [{ text: 'Thanks, Ada' }],
    });
  }, 30_000);
});
