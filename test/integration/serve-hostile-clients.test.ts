import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ECHO_SERVER } from './run-harness.js';
import { startServe, untilServers, type ServedEngine } from './serve-harness.js';
import { HttpMcpSession } from '../reliability/storm-http-session.js';

// Clients that break the rules must not hurt the engine or the clients that keep them.

let engine: ServedEngine | undefined;
afterEach(async () => {
  await engine?.stop();
  engine = undefined;
});

const MCP_HEADERS = {
  'content-type': 'application/json',
  accept: 'application/json, text/event-stream',
};

/** Starts a POST that promises a megabyte, sends 200 bytes, then hangs up. */
function abortedUpload(url: string, path: string, extraHeaders = ''): Promise<void> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect(Number(port), hostname, () => {
      socket.write(
        `POST ${path} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nContent-Type: application/json\r\n` +
          `Accept: application/json, text/event-stream\r\n${extraHeaders}Content-Length: 1000000\r\n\r\n` +
          `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"echo","arguments":{"text":"${'x'.repeat(120)}`,
      );
      setTimeout(() => socket.destroy(), 50);
    });
    socket.on('close', () => resolve());
    socket.on('error', () => undefined);
  });
}

async function rpc(url: string, body: unknown, session?: string): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { ...MCP_HEADERS, ...(session ? { 'mcp-session-id': session } : {}) },
    body: JSON.stringify(body),
  });
}

/** A Streamable HTTP session with the server, initialized; its id. */
async function openSession(url: string): Promise<string> {
  return (await HttpMcpSession.open(url, 'hostile')).sessionId;
}

describe('switchboard serve with clients that break the rules', () => {
  it('keeps serving when clients hang up in the middle of a request body', async () => {
    engine = await startServe({ echo: { command: process.execPath, args: [ECHO_SERVER] } });
    await untilServers(engine, (s) => s[0]?.state === 'ready', 'echo ready');
    const auth = `Authorization: Bearer ${engine.token}\r\n`;
    await abortedUpload(engine.url, '/mcp/echo');
    await abortedUpload(engine.url, '/mcp');
    await abortedUpload(engine.url, '/api/v1/config', auth);
    // Fifty at once, as slow clients giving up together.
    await Promise.all(
      Array.from({ length: 50 }, (_, i) => abortedUpload(engine!.url, i % 2 ? '/mcp' : '/mcp/echo')),
    );

    const session = await openSession(`${engine.url}/mcp/echo`);
    const reply = await rpc(
      `${engine.url}/mcp/echo`,
      {
        jsonrpc: '2.0',
        id: 1,
        method: 'tools/call',
        params: { name: 'echo', arguments: { text: 'still here' } },
      },
      session,
    );
    expect(await reply.json()).toMatchObject({ id: 1, result: { content: [{ text: 'still here' }] } });
    expect(engine.child.exitCode).toBeNull();
    expect(engine.stderr()).not.toMatch(/internal error|Error: aborted/);
  });

  it('refuses a request id still in flight in the same session, and answers the first one', async () => {
    engine = await startServe({ echo: { command: process.execPath, args: [ECHO_SERVER] } });
    await untilServers(engine, (s) => s[0]?.state === 'ready', 'echo ready');
    const url = `${engine.url}/mcp/echo`;
    const session = await openSession(url);
    const call = (text: string) => ({
      jsonrpc: '2.0',
      id: 7,
      method: 'tools/call',
      params: {
        name: text === 'first' ? 'slow' : 'echo',
        arguments: text === 'first' ? { ms: 500 } : { text },
      },
    });
    // Asking for SSE first makes the engine send headers at once: then the first is in its hands.
    const first = await fetch(url, {
      method: 'POST',
      headers: { ...MCP_HEADERS, accept: 'text/event-stream, application/json', 'mcp-session-id': session },
      body: JSON.stringify(call('first')),
    });
    expect(first.headers.get('content-type')).toBe('text/event-stream');
    const second = await rpc(url, call('second'), session);
    expect(second.status).toBe(400);
    expect(await second.json()).toMatchObject({
      id: 7,
      error: { code: -32076, data: { reason: 'duplicate_request_id' } },
    });
    // The priming event (an id and empty data, for resuming) carries no message.
    const events = (await first.text()).split('\n').filter((l) => l.startsWith('data: ') && l.length > 6);
    expect(events.map((l) => JSON.parse(l.slice(6)) as unknown)).toMatchObject([
      { id: 7, result: { content: [{ text: 'done' }] } },
    ]);
    // Once answered, the id is free again.
    const again = await rpc(url, call('again'), session);
    expect(await again.json()).toMatchObject({ id: 7, result: { content: [{ text: 'again' }] } });
  });

  it('answers a request nested too deeply to pass on with invalid_request, not an internal error', async () => {
    engine = await startServe({ echo: { command: process.execPath, args: [ECHO_SERVER] } });
    await untilServers(engine, (s) => s[0]?.state === 'ready', 'echo ready');
    const url = `${engine.url}/mcp/echo`;
    const session = await openSession(url);
    const deep = `${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}`;
    const body = `{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"echo","arguments":${deep}}}`;
    const reply = await fetch(url, {
      method: 'POST',
      headers: { ...MCP_HEADERS, 'mcp-session-id': session },
      body,
    });
    expect(await reply.json()).toMatchObject({
      id: 3,
      error: { code: -32600, data: { detail: expect.stringMatching(/nested too deeply/) } },
    });
  });
});
