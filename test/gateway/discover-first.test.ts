import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ECHO_FIXTURE, InProcessEngine, REPO } from './gateway-harness.js';

/**
 * A client that sends `server/discover` as its first message over stdio (Copilot CLI does; SDK v2
 * clients in automatic mode probe like this): `connect` and `run` answer it and keep the
 * connection, and a 2025-11-25 `initialize` on the same connection afterwards is served (issue 23).
 */

const BIN = path.join(REPO, 'bin/switchboard.mjs');
const MODERN_FIXTURE = path.join(REPO, 'test/fixtures/modern-server.mjs');
const ENVELOPE = {
  'io.modelcontextprotocol/protocolVersion': '2026-07-28',
  'io.modelcontextprotocol/clientCapabilities': {},
  'io.modelcontextprotocol/clientInfo': { name: 'probe', version: '1' },
};

let engine: InProcessEngine;
const children: ChildProcessWithoutNullStreams[] = [];

beforeAll(async () => {
  engine = new InProcessEngine({ old: { command: process.execPath, args: [ECHO_FIXTURE] } });
  await engine.start();
  await engine.until(() => engine.state('old') === 'ready', 'old ready');
}, 30_000);
afterEach(() => {
  for (const child of children.splice(0)) child.kill();
});
afterAll(async () => {
  await engine?.stop();
});

/** A raw stdio client: sends lines, waits (bounded) for the answer of an id. */
function rawClient(args: string[]) {
  const child = spawn(process.execPath, [BIN, ...args], {
    env: { ...process.env, SWITCHBOARD_HOME: engine.dir },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  children.push(child);
  const answers = new Map<unknown, Record<string, unknown>>();
  const waiters = new Map<unknown, (m: Record<string, unknown>) => void>();
  createInterface({ input: child.stdout }).on('line', (line) => {
    const message = JSON.parse(line) as Record<string, unknown>;
    if (!('id' in message) || 'method' in message) return;
    answers.set(message.id, message);
    waiters.get(message.id)?.(message);
  });
  return {
    child,
    async request(id: unknown, method: string, params: unknown) {
      child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id, method, params })}\n`);
      return new Promise<Record<string, unknown>>((resolve, reject) => {
        const known = answers.get(id);
        if (known) return resolve(known);
        const timer = setTimeout(() => reject(new Error(`no answer to ${method} within 30 s`)), 30_000);
        waiters.set(id, (m) => {
          clearTimeout(timer);
          resolve(m);
        });
      });
    },
  };
}

const INITIALIZE = {
  protocolVersion: '2025-11-25',
  capabilities: {},
  clientInfo: { name: 'probe', version: '1' },
};

describe.each([
  ['connect old', ['connect', 'old']],
  ['run (an old-era server)', ['run', '--', process.execPath, ECHO_FIXTURE]],
  ['run (a new-era server)', ['run', '--', process.execPath, MODERN_FIXTURE]],
])('server/discover first over %s', (_name, args) => {
  it.each([
    ['with the 2026-07-28 envelope', { _meta: ENVELOPE }],
    ['without an envelope', {}],
  ])(
    'is answered %s, and the connection then serves initialize and tools/list',
    async (_how, params) => {
      const client = rawClient(args);
      const discovered = await client.request('server-discover-probe-1', 'server/discover', params);
      // An answer for that id: the versions served, or an error that says the era is not offered.
      expect(discovered.id).toBe('server-discover-probe-1');
      expect('result' in discovered || 'error' in discovered).toBe(true);
      const init = await client.request(1, 'initialize', INITIALIZE);
      expect((init.result as { protocolVersion?: string }).protocolVersion).toBe('2025-11-25');
      client.child.stdin.write(
        `${JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' })}\n`,
      );
      const tools = await client.request(2, 'tools/list', {});
      expect((tools.result as { tools: { name: string }[] }).tools.map((t) => t.name)).toContain('echo');
      expect(client.child.exitCode).toBeNull();
    },
    40_000,
  );
});
