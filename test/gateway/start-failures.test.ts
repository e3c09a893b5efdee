import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { InProcessEngine, REPO } from './gateway-harness.js';
import { StdioRpcClient } from '../helpers/stdio-rpc-client.js';

/** A Node server that throws while it starts, as a real one does when its database is down. */
const THROWS_AT_START = "throw new Error('database unreachable at start')";

let engine: InProcessEngine;

beforeAll(async () => {
  engine = await new InProcessEngine({
    broken: { command: process.execPath, args: ['-e', THROWS_AT_START] },
  }).start();
  await engine.until(() => engine.state('broken') === 'failed', 'the crash loop to give up', 60_000);
}, 90_000);
afterAll(() => engine.stop());

describe('a server that throws at start-up', () => {
  it('is explained by its exception, not by the runtime banner after it', () => {
    const broken = engine.supervisor.snapshot().servers.find((s) => s.name === 'broken')!;
    expect(broken.reason).toContain('Error: database unreachable at start');
    expect(broken.reason).not.toMatch(/Node\.js v\d/);
  });

  it('tells a client that calls it what state it is in and why', async () => {
    const response = await fetch(new URL('/mcp/broken', engine.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'initialize',
        params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 't', version: '1' } },
      }),
    });
    const text = await response.text();
    expect(text).toContain('server_unavailable');
    expect(text).toContain('database unreachable at start');
    expect(text).not.toContain('unknown_server');
  });

  it('tells a client over connect the same: state and why, not "unknown server"', async () => {
    const bridge = StdioRpcClient.spawn(
      process.execPath,
      [path.join(REPO, 'bin/switchboard.mjs'), 'connect', 'broken'],
      {
        env: { SWITCHBOARD_HOME: engine.dir },
      },
    );
    const reply = await bridge.request('initialize', {
      protocolVersion: '2025-11-25',
      capabilities: {},
      clientInfo: { name: 't', version: '1' },
    });
    expect(JSON.stringify(reply.error)).toContain('server_unavailable');
    expect(reply.error?.message ?? '').not.toMatch(/unknown|no server with that name/i);
    expect(JSON.stringify(reply.error)).toContain('database unreachable at start');
    await bridge.close();
  });
});
