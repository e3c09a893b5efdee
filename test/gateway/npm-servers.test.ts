// Real MCP servers from npm through every surface of a real `switchboard serve`: their tool lists
// through /mcp/NAME, /mcp (namespaced) and `connect NAME` must equal what a direct client sees.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { startServe, untilServers, type ServedEngine } from '../integration/serve-harness.js';
import { REPO, SWITCHBOARD } from '../integration/run-harness.js';
import { npmServerBin } from './gateway-harness.js';

let engine: ServedEngine;
let files: string;
const clients: Client[] = [];
const servers: Record<string, { command: string; args: string[]; env?: Record<string, string> }> = {};

beforeAll(async () => {
  mkdirSync(path.join(REPO, '.tmp-test'), { recursive: true });
  files = mkdtempSync(path.join(REPO, '.tmp-test', 'fs-root-'));
  writeFileSync(path.join(files, 'hello.txt'), 'hello from the filesystem server');
  Object.assign(servers, {
    everything: {
      command: process.execPath,
      args: [npmServerBin('@modelcontextprotocol/server-everything', 'mcp-server-everything'), 'stdio'],
    },
    memory: {
      command: process.execPath,
      args: [npmServerBin('@modelcontextprotocol/server-memory', 'mcp-server-memory')],
      env: { MEMORY_FILE_PATH: path.join(files, 'memory.jsonl') },
    },
    filesystem: {
      command: process.execPath,
      args: [npmServerBin('@modelcontextprotocol/server-filesystem', 'mcp-server-filesystem'), files],
    },
  });
  engine = await startServe(servers);
  await untilServers(engine, (s) => s.length === 3 && s.every((x) => x.state === 'ready'), 'all three ready');
}, 60_000);

afterAll(async () => {
  await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
  await engine?.stop();
  rmSync(files, { recursive: true, force: true });
});

async function connected(transport: Transport): Promise<Client> {
  const client = new Client({ name: 'npm-servers-test', version: '1' });
  await client.connect(transport);
  clients.push(client);
  return client;
}

const direct = (name: string) => {
  const s = servers[name]!;
  return connected(
    new StdioClientTransport({
      command: s.command,
      args: s.args,
      env: { ...process.env, ...s.env } as Record<string, string>,
    }),
  );
};
const viaHttp = (name?: string) =>
  connected(new StreamableHTTPClientTransport(new URL(name ? `/mcp/${name}` : '/mcp', engine.url)));
const viaConnect = (name: string) =>
  connected(
    new StdioClientTransport({
      command: process.execPath,
      args: [SWITCHBOARD, 'connect', name],
      env: { ...process.env, SWITCHBOARD_HOME: engine.home } as Record<string, string>,
    }),
  );

describe.each(['everything', 'memory', 'filesystem'])('%s from npm', (name) => {
  it('lists the same tools through /mcp/NAME, connect NAME and /mcp as directly', async () => {
    // Each client sees what the server shows that client (these clients declare nothing), and in
    // the default configuration no extension adds a tool: the server's tools as they are.
    const expected = (await (await direct(name)).listTools()).tools;
    expect((await (await viaHttp(name)).listTools()).tools).toEqual(expected);
    expect((await (await viaConnect(name)).listTools()).tools).toEqual(expected);
    // The aggregated endpoint too: a server that asks its clients things (everything, filesystem)
    // gives the session one of its own; one that never asks (memory) is shared and shows all alike.
    const aggregated = (await (await viaHttp()).listTools()).tools.filter((t) =>
      t.name.startsWith(`${name}__`),
    );
    expect(aggregated.map((t) => t.name)).toEqual(expected.map((t) => `${name}__${t.name}`));
  });
});

describe('calls through the gateway', () => {
  it('reads a file through /mcp/filesystem and through the aggregated endpoint', async () => {
    const file = path.join(files, 'hello.txt');
    const one = await (
      await viaHttp('filesystem')
    ).callTool({ name: 'read_text_file', arguments: { path: file } });
    expect(JSON.stringify(one)).toContain('hello from the filesystem server');
    const all = await (
      await viaHttp()
    ).callTool({ name: 'filesystem__read_text_file', arguments: { path: file } });
    expect(JSON.stringify(all)).toContain('hello from the filesystem server');
  });
});
