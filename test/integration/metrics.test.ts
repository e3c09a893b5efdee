// /metrics of a real `switchboard serve`: requests through both surfaces, restarts, states, sessions.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ECHO_SERVER, SWITCHBOARD } from './run-harness.js';
import { startServe, untilServers, type ServedEngine } from './serve-harness.js';

let engine: ServedEngine;
const clients: Client[] = [];

beforeAll(async () => {
  engine = await startServe({ echo: { command: process.execPath, args: [ECHO_SERVER] } });
  await untilServers(engine, (s) => s[0]?.state === 'ready', 'echo ready');
}, 30_000);
afterAll(async () => {
  await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
  await engine?.stop();
});

/** The value of one series in the Prometheus text, or undefined. */
function series(text: string, name: string, labels: Record<string, string>): number | undefined {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue;
    const inside = line.slice(name.length + 1, line.indexOf('}'));
    if (wanted.every((w) => inside.split(',').includes(w)))
      return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return undefined;
}

describe('GET /metrics', () => {
  it('counts requests from both surfaces, restarts by cause, states, sessions and event-loop lag', async () => {
    const http = new Client({ name: 'metrics-test', version: '1' });
    await http.connect(new StreamableHTTPClientTransport(new URL('/mcp/echo', engine.url)));
    const socket = new Client({ name: 'metrics-test', version: '1' });
    await socket.connect(
      new StdioClientTransport({
        command: process.execPath,
        args: [SWITCHBOARD, 'connect', 'echo'],
        env: { ...process.env, SWITCHBOARD_HOME: engine.home } as Record<string, string>,
      }),
    );
    clients.push(http, socket);
    for (let i = 0; i < 3; i++) await http.callTool({ name: 'echo', arguments: { text: 'x' } });
    await socket.callTool({ name: 'echo', arguments: { text: 'y' } });
    await fetch(`${engine.url}/api/v1/servers/echo/restart`, {
      method: 'POST',
      headers: { authorization: `Bearer ${engine.token}` },
    });
    await untilServers(engine, (s) => s[0]?.state === 'ready', 'echo ready again');

    const res = await fetch(`${engine.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/plain/);
    const text = await res.text();
    const calls = { server: 'echo', method: 'tools/call', status: 'ok' };
    expect(series(text, 'switchboard_requests_total', calls)).toBe(4);
    expect(series(text, 'switchboard_request_duration_seconds_count', calls)).toBe(4);
    expect(series(text, 'switchboard_restarts_total', { server: 'echo', cause: 'user' })).toBe(1);
    expect(series(text, 'switchboard_server_state', { server: 'echo', state: 'ready' })).toBe(1);
    expect(series(text, 'switchboard_server_state', { server: 'echo', state: 'failed' })).toBe(0);
    expect(series(text, 'switchboard_sessions', { surface: 'http' })).toBe(1);
    expect(series(text, 'switchboard_sessions', { surface: 'socket' })).toBe(1);
    expect(text).toMatch(/^nodejs_eventloop_lag_seconds \d/m);
  });
});
