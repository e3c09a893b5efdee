import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client as ClientV1 } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport as HttpV1 } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import {
  ElicitRequestSchema,
  LoggingMessageNotificationSchema,
  ToolListChangedNotificationSchema,
} from '@modelcontextprotocol/sdk/types.js';
import { Client as ClientV2, StreamableHTTPClientTransport as HttpV2 } from '@modelcontextprotocol/client';
import { InProcessEngine, REPO } from './gateway-harness.js';

/**
 * The engine's upstream in 2026-07-28 (issue 23, deliver 2 and 3): each server is asked
 * `server/discover` first and spoken to in its era; a new-era server's questions reach an old-era
 * client as server→client requests; list changes come on the engine's `subscriptions/listen`;
 * log levels and cancellations cross over; an old-era server is still initialized as before.
 */

const FIXTURE = path.join(REPO, 'test/fixtures/modern-server.mjs');
const MODERN = '2026-07-28';

let engine: InProcessEngine;
let httpServer: ChildProcess;
let eraFile: string;

beforeAll(async () => {
  httpServer = spawn(process.execPath, [FIXTURE, '--http'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [line] = await new Promise<string[]>((resolve) =>
    createInterface({ input: httpServer.stdout! }).once('line', (l) => resolve([l])),
  );
  const { url } = JSON.parse(line!) as { url: string };
  engine = new InProcessEngine({});
  eraFile = path.join(engine.dir, 'era');
  writeFileSync(eraFile, 'legacy');
  engine.writeConfig({
    stdio: { command: process.execPath, args: [FIXTURE] },
    http: { type: 'http', url },
    switching: { command: process.execPath, args: [FIXTURE], env: { FIXTURE_ERA_FILE: eraFile } },
  });
  await engine.start();
  await engine.until(
    () => ['stdio', 'http', 'switching'].every((name) => engine.state(name) === 'ready'),
    'servers ready',
  );
}, 60_000);
afterAll(async () => {
  await engine?.stop();
  httpServer?.kill();
});

const text = (result: unknown) =>
  ((result as { content: { text?: string }[] }).content ?? []).map((c) => c.text ?? '').join('');
const eraOf = (name: string) => engine.supervisor.upstreamOf(name)?.info?.protocolVersion;

/** A 2025-11-25 client (SDK 1.x) of /mcp/NAME that answers "your name?" with Ada. */
async function oldClient(name: string, capabilities: Record<string, unknown> = { elicitation: {} }) {
  const client = new ClientV1({ name: 'old-client', version: '1' }, { capabilities });
  if (capabilities.elicitation)
    client.setRequestHandler(ElicitRequestSchema, async () => ({
      action: 'accept',
      content: { name: 'Ada' },
    }));
  await client.connect(new HttpV1(new URL(`/mcp/${name}`, engine.url)));
  return client;
}

async function until(check: () => Promise<boolean> | boolean, what: string): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 40));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('the engine speaks each server its own era', () => {
  it('asks server/discover first: 2026-07-28 where offered (stdio and http), else initialize', async () => {
    expect(eraOf('stdio')).toBe(MODERN);
    expect(eraOf('http')).toBe(MODERN);
    expect(eraOf('switching')).toBe('2025-11-25');
    for (const [name, era] of [
      ['stdio', 'modern'],
      ['http', 'modern'],
      ['switching', 'legacy'],
    ] as const) {
      const client = await oldClient(name);
      expect(text(await client.callTool({ name: 'echo', arguments: { text: 'hi' } }))).toBe(`hi (${era})`);
      await client.close();
    }
  }, 30_000);

  it('asks again after a restart: a server that learned the new era is spoken to in it', async () => {
    writeFileSync(eraFile, 'modern');
    await engine.supervisor.restart('switching');
    await engine.until(() => engine.state('switching') === 'ready', 'switching ready');
    expect(eraOf('switching')).toBe(MODERN);
    const client = await oldClient('switching');
    expect(text(await client.callTool({ name: 'echo', arguments: { text: 'hi' } }))).toBe('hi (modern)');
    await client.close();
  }, 30_000);
});

describe.each(['stdio', 'http'])('a 2026-07-28 server over %s', (name) => {
  it('asks a 2025-11-25 client its question as elicitation, and goes on with the answer', async () => {
    const client = await oldClient(name);
    expect(text(await client.callTool({ name: 'greet', arguments: {} }))).toBe('Hello, Ada! (modern)');
    await client.close();
  }, 30_000);

  it('refuses, naming the capability, a question the client cannot answer', async () => {
    const client = await oldClient(name, {});
    await expect(client.callTool({ name: 'greet', arguments: {} })).rejects.toThrow(/capabilit/i);
    await client.close();
  }, 30_000);

  it('passes its own input-required round to a 2026-07-28 client, whose retry goes back to it', async () => {
    const client = new ClientV2(
      { name: 'new-client', version: '1' },
      { capabilities: { elicitation: { form: {} } }, versionNegotiation: { mode: { pin: MODERN } } },
    );
    client.setRequestHandler('elicitation/create', async () => ({
      action: 'accept',
      content: { name: 'Bo' },
    }));
    await client.connect(new HttpV2(new URL(`/mcp/${name}`, engine.url)));
    expect(text(await client.callTool({ name: 'greet', arguments: {} }))).toBe('Hello, Bo! (modern)');
    await client.close();
  }, 30_000);

  it("tells of a changed tool list (heard on the engine's listen) and lists the new tool", async () => {
    const client = await oldClient(name);
    let changed = 0;
    client.setNotificationHandler(ToolListChangedNotificationSchema, () => void changed++);
    const tool = `added_on_${name}`;
    await client.callTool({ name: 'add_tool', arguments: { name: tool } });
    await until(() => changed > 0, 'tools/list_changed');
    await until(async () => (await client.listTools()).tools.some((t) => t.name === tool), tool);
    await client.close();
  }, 30_000);

  it("sends a 2025-11-25 client's log level with each request, and its log messages come back", async () => {
    const client = await oldClient(name);
    const logs: unknown[] = [];
    client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => void logs.push(n.params.data));
    await client.setLoggingLevel('info');
    expect(text(await client.callTool({ name: 'warn', arguments: {} }))).toBe('warned');
    await until(() => logs.length > 0, 'the log message');
    expect(logs).toEqual(['a warning from the tool']);
    await client.close();
  }, 30_000);

  it("cancels the server's work when the client cancels its request", async () => {
    const client = await oldClient(name);
    const before = Number(text(await client.callTool({ name: 'cancelled', arguments: {} })));
    const abort = new AbortController();
    const call = client.callTool({ name: 'slow', arguments: {} }, undefined, { signal: abort.signal });
    await until(() => (engine.gateway.router(name)?.requestsInFlight ?? 0) > 0, 'the call in flight');
    abort.abort();
    await expect(call).rejects.toThrow();
    await until(
      async () => Number(text(await client.callTool({ name: 'cancelled', arguments: {} }))) === before + 1,
      'the server to hear of the cancellation',
    );
    await client.close();
  }, 30_000);
});
