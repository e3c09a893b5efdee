import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ECHO_FIXTURE, InProcessEngine } from './gateway-harness.js';
import { initializeRequest } from '../helpers/initialize-request.js';

/** A raw Streamable HTTP client: the SDK's would resume by itself, this one shows each step. */
let engine: InProcessEngine;

beforeAll(async () => {
  engine = new InProcessEngine({});
  engine.writeConfig({ echo: { command: process.execPath, args: [ECHO_FIXTURE] } });
  await engine.start();
  await engine.until(() => engine.state('echo') === 'ready', 'echo ready');
}, 30_000);
afterAll(() => engine.stop());

interface SseEvent {
  id?: string;
  data: string;
  retry?: string;
}

/** Reads SSE events from a response body, handing each to `onEvent`; `false` from it stops reading. */
async function readEvents(res: Response, onEvent: (e: SseEvent) => boolean | void): Promise<void> {
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value;
    let end: number;
    while ((end = buffer.indexOf('\n\n')) !== -1) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const event: SseEvent = { data: '' };
      for (const line of block.split('\n')) {
        const [field, ...rest] = line.split(':');
        const text = rest.join(':').replace(/^ /, '');
        if (field === 'id') event.id = text;
        else if (field === 'data') event.data += text;
        else if (field === 'retry') event.retry = text;
      }
      if (block.startsWith(':')) continue; // a keep-alive comment
      if (onEvent(event) === false) return void (await reader.cancel());
    }
  }
}

async function openSession(): Promise<string> {
  const res = await fetch(`${engine.url}/mcp/echo`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
    body: JSON.stringify(initializeRequest('raw')),
  });
  await res.text();
  return res.headers.get('mcp-session-id')!;
}

const headers = (session: string, extra: Record<string, string> = {}) => ({
  'mcp-session-id': session,
  'mcp-protocol-version': '2025-11-25',
  ...extra,
});

const resume = (session: string, lastEventId: string) =>
  fetch(`${engine.url}/mcp/echo`, {
    headers: headers(session, { accept: 'text/event-stream', 'last-event-id': lastEventId }),
  });

/** The engine sees a dropped connection a moment after the client drops it: until then, 409. */
async function resumeOnceDropped(session: string, lastEventId: string): Promise<Response> {
  let res = await resume(session, lastEventId);
  for (let attempt = 0; res.status === 409 && attempt < 200; attempt++) {
    await res.body?.cancel();
    await new Promise((r) => setTimeout(r, 25));
    res = await resume(session, lastEventId);
  }
  return res;
}

describe('resumable streams (2025-11-25)', () => {
  it('a POST stream cut mid-call is resumed with Last-Event-ID: the result arrives, once', async () => {
    const session = await openSession();
    const cut = new AbortController();
    const post = await fetch(`${engine.url}/mcp/echo`, {
      method: 'POST',
      headers: headers(session, {
        'content-type': 'application/json',
        accept: 'text/event-stream, application/json',
      }),
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 7,
        method: 'tools/call',
        params: { name: 'slow', arguments: { ms: 3000 } },
      }),
      signal: cut.signal,
    });
    expect(post.headers.get('content-type')).toBe('text/event-stream');
    let primed: SseEvent | undefined;
    await readEvents(post, (e) => {
      primed = e;
      return false; // the client drops the connection right after the priming event
    });
    cut.abort();
    expect(primed).toMatchObject({ data: '', retry: expect.stringMatching(/^\d+$/) });
    expect(primed!.id).toMatch(/^\d+-0$/);

    const resumed = await resumeOnceDropped(session, primed!.id!);
    expect(resumed.status).toBe(200);
    const messages: unknown[] = [];
    await readEvents(resumed, (e) => void (e.data && messages.push(JSON.parse(e.data))));
    expect(messages).toEqual([
      { jsonrpc: '2.0', id: 7, result: { content: [{ type: 'text', text: 'done' }] } },
    ]);

    // Delivered whole: there is nothing left to resume, and nothing comes twice.
    const again = await resume(session, primed!.id!);
    expect(again.status).toBe(400);
    expect(await again.json()).toMatchObject({
      error: { message: expect.stringMatching(/nothing to resume/) },
    });
  });

  it('the GET stream is resumed after a dropped connection; a second connection to it gets 409', async () => {
    const session = await openSession();
    const first = await fetch(`${engine.url}/mcp/echo`, {
      headers: headers(session, { accept: 'text/event-stream' }),
    });
    let id: string | undefined;
    await readEvents(first, (e) => {
      id = e.id;
      return false; // dropped right after the priming event
    });
    expect(id).toMatch(/^\d+-0$/);
    const resumed = await resumeOnceDropped(session, id!);
    expect(resumed.status).toBe(200);
    const second = await resume(session, id!);
    expect(second.status).toBe(409);
    await second.body?.cancel();
    await resumed.body?.cancel();
  });
});
