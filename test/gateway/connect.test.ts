import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { ECHO_FIXTURE, InProcessEngine, npmServerBin, REPO } from './gateway-harness.js';
import { StdioRpcClient } from '../helpers/stdio-rpc-client.js';

const BIN = path.join(REPO, 'bin/switchboard.mjs');
type ToolResult = { content: { text?: string }[] };
const text = (r: unknown) => (r as ToolResult).content.map((c) => c.text ?? '').join('');

let engine: InProcessEngine;
const clients: Client[] = [];

beforeAll(async () => {
  engine = await new InProcessEngine({
    echo: { command: process.execPath, args: [ECHO_FIXTURE] },
    memory: {
      command: process.execPath,
      args: [npmServerBin('@modelcontextprotocol/server-memory', 'mcp-server-memory')],
      env: { MEMORY_FILE_PATH: 'memory.jsonl' },
    },
  }).start();
  await engine.until(
    () => engine.state('echo') === 'ready' && engine.state('memory') === 'ready',
    'servers ready',
  );
}, 30_000);
afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await engine.stop();
});

async function connect(...args: string[]): Promise<Client> {
  const client = new Client({ name: 'connect-test', version: '1' });
  await client.connect(
    new StdioClientTransport({
      command: process.execPath,
      args: [BIN, 'connect', ...args],
      env: { ...process.env, SWITCHBOARD_HOME: engine.dir } as Record<string, string>,
    }),
  );
  clients.push(client);
  return client;
}

describe('switchboard connect', () => {
  it('bridges a stdio client to one server of the running engine', async () => {
    const client = await connect('echo');
    expect(client.getServerVersion()?.name).toBe('echo-fixture');
    expect((await client.listTools()).tools).toEqual(engine.supervisor.upstreamOf('echo')!.lists.tools);
    const replies = await Promise.all(
      Array.from({ length: 20 }, (_, i) => client.callTool({ name: 'echo', arguments: { text: `c${i}` } })),
    );
    expect(replies.map(text)).toEqual(Array.from({ length: 20 }, (_, i) => `c${i}`));
  });

  it('serves a real npm server (server-memory) the same way', async () => {
    const client = await connect('memory');
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toContain('create_entities');
    await client.callTool({
      name: 'create_entities',
      arguments: { entities: [{ name: 'Ada', entityType: 'person', observations: ['wrote programs'] }] },
    });
    const graph = await client.callTool({ name: 'read_graph', arguments: {} });
    expect(JSON.stringify(graph)).toContain('Ada');
  });

  it('refuses a request id still in flight in the session, and still answers the first', async () => {
    const client = StdioRpcClient.spawn(process.execPath, [BIN, 'connect', 'echo'], {
      env: { SWITCHBOARD_HOME: engine.dir },
    });
    try {
      await client.initialize();
      const call = (name: string, args: object) =>
        `${JSON.stringify({ jsonrpc: '2.0', id: 'dup', method: 'tools/call', params: { name, arguments: args } })}\n`;
      client.sendRaw(call('slow', { ms: 300 }) + call('echo', { text: 'second' }));
      await engine.until(() => client.unmatchedResponses.length === 2, 'both answers');
      expect(client.unmatchedResponses).toMatchObject([
        { id: 'dup', error: { data: { reason: 'duplicate_request_id' } } },
        { id: 'dup', result: { content: [{ text: 'done' }] } },
      ]);
    } finally {
      await client.close();
    }
  });

  it('--all gives every server behind one session, namespaced', async () => {
    const client = await connect('--all');
    const names = (await client.listTools()).tools.map((t) => t.name);
    expect(names).toEqual(expect.arrayContaining(['echo__echo', 'memory__read_graph']));
    expect(text(await client.callTool({ name: 'echo__echo', arguments: { text: 'all' } }))).toBe('all');
  });

  it('says plainly when the server is unknown or no engine runs, and exits non-zero', async () => {
    // The engine runs in this process: the CLI must run asynchronously or nobody answers it.
    const run = (args: string[], home = engine.dir) =>
      new Promise<{ status: number | null; stderr: string }>((resolve) => {
        const child = spawn(process.execPath, [BIN, ...args], {
          env: { ...process.env, SWITCHBOARD_HOME: home },
        });
        let stderr = '';
        child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
        child.stdin.end();
        child.on('close', (status) => resolve({ status, stderr }));
      });
    const unknown = await run(['connect', 'nobody']);
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toMatch(/no server named "nobody"/);
    const none = await run(['connect', 'echo'], path.join(engine.dir, 'empty-home'));
    expect(none.status).toBe(1);
    expect(none.stderr).toMatch(/no engine is running .*switchboard serve/);
    expect((await run(['connect'])).status).toBe(2);
  });
});
