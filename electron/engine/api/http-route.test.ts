import { createServer, request, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_UNREAD_STREAM_BYTES, readBody, writeToStream } from './http-route.js';

/** Waits for things that must happen, however busy the machine. */
const EVENTUALLY = { timeout: 20_000 };
const servers: ReturnType<typeof createServer>[] = [];
afterEach(() => {
  for (const server of servers.splice(0)) server.close();
});

/** A loopback server whose one response is handed to `onResponse`; resolves with its port. */
async function serve(onResponse: (res: ServerResponse) => void): Promise<number> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/event-stream' });
    onResponse(res);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

describe('writeToStream', () => {
  it('closes the stream of a reader that stopped reading instead of holding all that is sent to it', async () => {
    let stalled: ServerResponse | undefined;
    const port = await serve((res) => (stalled = res));
    const client = request({ port, host: '127.0.0.1' });
    client.on('response', (incoming) => incoming.pause()); // never reads
    client.on('error', () => undefined);
    client.end();
    await expect.poll(() => stalled, EVENTUALLY).toBeDefined();
    const piece = `data: ${'x'.repeat(64 * 1024)}\n\n`;
    let written = 0;
    // Bounded: the kernel's buffers take a few MiB at most before the engine's own backlog grows.
    while (written < 4096 && writeToStream(stalled!, piece)) {
      written++;
      await new Promise((r) => setImmediate(r));
    }
    expect(written).toBeLessThan(4096);
    expect(written * piece.length).toBeGreaterThan(MAX_UNREAD_STREAM_BYTES);
    expect(stalled!.destroyed).toBe(true);
    expect(writeToStream(stalled!, piece)).toBe(false);
  });

  it('sends one message larger than the bound to a reader that keeps up', async () => {
    const big = 'y'.repeat(MAX_UNREAD_STREAM_BYTES + 1024);
    const port = await serve((res) => {
      expect(writeToStream(res, big)).toBe(true);
      res.end();
    });
    const received = await new Promise<number>((resolve) => {
      request({ port, host: '127.0.0.1' }, (incoming) => {
        let bytes = 0;
        incoming.on('data', (chunk: Buffer) => (bytes += chunk.length));
        incoming.on('end', () => resolve(bytes));
      }).end();
    });
    expect(received).toBe(big.length);
  });
});

describe('readBody', () => {
  it('settles "aborted" when the client hangs up mid-body, and "too-large" past the bound', async () => {
    const results: unknown[] = [];
    let arrived = 0;
    const server = createServer((req, res) => {
      arrived++;
      void readBody(req, 64).then((body) => {
        results.push(body);
        res.end();
      });
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    const hangUp = request({
      port,
      host: '127.0.0.1',
      method: 'POST',
      headers: { 'content-length': '1000' },
    });
    hangUp.on('error', () => undefined);
    hangUp.write('{"partial":');
    await expect.poll(() => arrived, EVENTUALLY).toBe(1);
    hangUp.destroy();
    await expect.poll(() => results.length, EVENTUALLY).toBe(1);
    const tooLarge = request({ port, host: '127.0.0.1', method: 'POST' });
    tooLarge.on('error', () => undefined);
    tooLarge.end('z'.repeat(200));
    await expect.poll(() => results.length, EVENTUALLY).toBe(2);
    expect(results).toEqual([
      { ok: false, problem: 'aborted' },
      { ok: false, problem: 'too-large' },
    ]);
  });
});
