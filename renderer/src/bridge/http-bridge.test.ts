import { describe, expect, it } from 'vitest';
import { BridgeError } from './bridge.js';
import { HttpBridge } from './http-bridge.js';

type Sent = { url: string; init: RequestInit | undefined };

function fakeFetch(answer: (url: string, init?: RequestInit) => Response | Promise<Response>) {
  const sent: Sent[] = [];
  const fn = (async (input: RequestInfo | URL, init?: RequestInit) => {
    sent.push({ url: String(input), init });
    return answer(String(input), init);
  }) as typeof fetch;
  return { fn, sent };
}

/** An EventSource the test drives by hand. */
class FakeEventSource {
  static last: FakeEventSource | undefined;
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSED = 2;
  readonly CLOSED = 2;
  readyState = 0;
  onopen: (() => void) | null = null;
  onmessage: ((m: MessageEvent<string>) => void) | null = null;
  onerror: (() => void) | null = null;
  closed = false;
  constructor(
    readonly url: string,
    readonly init?: EventSourceInit,
  ) {
    FakeEventSource.last = this;
  }
  close() {
    this.closed = true;
  }
}

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

describe('HttpBridge', () => {
  it('derives method, path, query and body from the API table, with the session cookie', async () => {
    const { fn, sent } = fakeFetch(() => json(200, { server: 'a b', lines: ['x'] }));
    const bridge = new HttpBridge({ fetch: fn, baseUrl: 'http://127.0.0.1:9' });
    expect(await bridge.call('getLogs', { server: 'a b', lines: 5, search: 'err' })).toEqual({
      server: 'a b',
      lines: ['x'],
    });
    await bridge.call('putServer', { server: 'n', config: { command: 'node' } });
    await bridge.call('removeServer', { server: 'n' });
    expect(sent.map((s) => [s.init?.method, s.url, s.init?.body])).toEqual([
      ['GET', 'http://127.0.0.1:9/api/v1/servers/a%20b/logs?lines=5&search=err', undefined],
      ['PUT', 'http://127.0.0.1:9/api/v1/servers/n', JSON.stringify({ config: { command: 'node' } })],
      ['DELETE', 'http://127.0.0.1:9/api/v1/servers/n', undefined],
    ]);
    expect(sent.every((s) => s.init?.credentials === 'same-origin')).toBe(true);
  });

  it("turns a refusal into a BridgeError with the engine's words and problems", async () => {
    const problems = [{ path: 'config.command', message: 'required' }];
    const bridge = new HttpBridge({ fetch: fakeFetch(() => json(400, { error: 'invalid', problems })).fn });
    const err = await bridge.call('putServer', { server: 'n', config: {} }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BridgeError);
    expect(err).toMatchObject({ status: 400, message: 'invalid', problems });

    const away = new HttpBridge({
      fetch: fakeFetch(() => Promise.reject(new TypeError('fetch failed'))).fn,
    });
    await expect(away.call('listServers', {})).rejects.toMatchObject({
      status: 0,
      message: expect.stringMatching(/cannot be reached/),
    });
    const notJson = new HttpBridge({ fetch: fakeFetch(() => new Response('<html>', { status: 502 })).fn });
    await expect(notJson.call('listServers', {})).rejects.toMatchObject({ message: /answered 502/ });
  });

  it('signs in by posting the code, never putting it in a URL', async () => {
    const { fn, sent } = fakeFetch(() => new Response(null, { status: 204 }));
    await new HttpBridge({ fetch: fn }).signIn({ code: 'abc' });
    expect(sent[0]).toMatchObject({ url: '/auth/session', init: { method: 'POST', body: '{"code":"abc"}' } });
    const refused = new HttpBridge({ fetch: fakeFetch(() => json(401, { error: 'used already' })).fn });
    await expect(refused.signIn({ code: 'abc' })).rejects.toMatchObject({
      status: 401,
      message: 'used already',
    });
  });

  it('streams items, reports open and lost, and tells a refused stream (401) from an engine away', async () => {
    let probeStatus = 401;
    const { fn } = fakeFetch(() => json(probeStatus, {}));
    const bridge = new HttpBridge({
      fetch: fn,
      EventSource: FakeEventSource as unknown as typeof EventSource,
    });
    const items: unknown[] = [];
    const statuses: string[] = [];
    const stop = bridge.subscribe(
      'followLogs',
      { server: 'a', lines: 10 },
      {
        item: (i) => items.push(i),
        status: (s) => statuses.push(s),
      },
    );
    const source = FakeEventSource.last!;
    expect(source.url).toBe('/api/v1/servers/a/logs?follow=1&lines=10');
    expect(source.init).toEqual({ withCredentials: true });
    source.onopen!();
    source.onmessage!({ data: '"a line"' } as MessageEvent<string>);
    expect(items).toEqual(['a line']);
    // A dropped connection: EventSource retries by itself.
    source.onerror!();
    expect(statuses).toEqual(['open', 'lost']);
    // Refused: the bridge asks the engine why; 401 means sign in again.
    source.readyState = FakeEventSource.CLOSED;
    source.onerror!();
    await new Promise((r) => setTimeout(r, 1100));
    expect(statuses.at(-1)).toBe('unauthorized');
    expect(FakeEventSource.last).toBe(source);

    // Refused for another reason (engine restarting): it opens a new stream.
    probeStatus = 503;
    source.onerror!();
    await new Promise((r) => setTimeout(r, 1100));
    expect(FakeEventSource.last).not.toBe(source);
    stop();
    expect(FakeEventSource.last!.closed).toBe(true);
  });
});
