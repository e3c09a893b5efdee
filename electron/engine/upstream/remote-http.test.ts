import { describe, expect, it } from 'vitest';
import { ConnectionLostError, readSse } from './remote-http.js';

describe('readSse', () => {
  it('turns a stream that breaks after an event id into a ConnectionLostError that names the id', async () => {
    let sent = false;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent) return controller.error(new Error('socket hang up'));
        sent = true;
        controller.enqueue(
          new TextEncoder().encode('retry: 10\nid: 4-0\ndata: \n\nid: 4-1\ndata: {"a":1}\n\n'),
        );
      },
    });
    const events: string[] = [];
    const read = readSse(new Response(body), new AbortController().signal, {
      onEvent: (e) => events.push(e.data),
      maxEventBytes: 1000,
      log: () => {},
    });
    const err = await read.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectionLostError);
    expect(err).toMatchObject({ lastEventId: '4-1', notDelivered: false });
    expect(events).toEqual(['', '{"a":1}']); // the priming event has no data
  });
});
