import { describe, expect, it } from 'vitest';
import { SseParser, type SseEvent } from './sse-parser.js';

function parse(chunks: (string | Uint8Array)[], opts: { maxEventBytes?: number } = {}) {
  const events: SseEvent[] = [];
  const retries: number[] = [];
  const oversize: number[] = [];
  const parser = new SseParser({
    onEvent: (e) => events.push(e),
    onRetry: (ms) => retries.push(ms),
    onOversize: (chars) => oversize.push(chars),
    ...opts,
  });
  for (const chunk of chunks) parser.push(chunk);
  parser.end();
  return { events, retries, oversize, lastEventId: parser.lastEventId };
}

/** Every way of cutting `text` into two chunks, plus one byte at a time. */
function splits(text: string): Uint8Array[][] {
  const bytes = Buffer.from(text, 'utf8');
  const out: Uint8Array[][] = [[...bytes].map((b) => Uint8Array.of(b))];
  for (let i = 0; i <= bytes.length; i++) out.push([bytes.subarray(0, i), bytes.subarray(i)]);
  return out;
}

describe('SseParser', () => {
  it('reads events with names, ids and multi-line data', () => {
    const { events, lastEventId } = parse([
      'event: endpoint\ndata: /messages?s=1\n\n',
      'id: 7\ndata: {"a":1}\ndata: {"b":2}\n\n',
      'data:no-space\n\n',
    ]);
    expect(events).toEqual([
      { event: 'endpoint', data: '/messages?s=1', id: undefined },
      { event: 'message', data: '{"a":1}\n{"b":2}', id: '7' },
      { event: 'message', data: 'no-space', id: '7' },
    ]);
    expect(lastEventId).toBe('7');
  });

  it('ignores comments, unknown fields and events without data, but keeps their ids', () => {
    const { events, lastEventId, retries } = parse([
      ': keep-alive\n\n',
      'id: prime-1\nretry: 250\n\n',
      'foo: bar\ndata\n\n',
      'retry: soon\n\n',
    ]);
    // "data" alone is a data line with an empty value: an event with empty data.
    expect(events).toEqual([{ event: 'message', data: '', id: 'prime-1' }]);
    expect(lastEventId).toBe('prime-1');
    expect(retries).toEqual([250]);
  });

  it('takes only the first space after the colon, and keeps colons in values', () => {
    const { events } = parse(['data:  two spaces: kept\n\n']);
    expect(events[0]?.data).toBe(' two spaces: kept');
  });

  it('accepts LF, CR and CRLF line ends, mixed', () => {
    const { events } = parse(['data: a\r\ndata: b\rdata: c\n\r\nevent: x\rdata: d\r\r']);
    expect(events).toEqual([
      { event: 'message', data: 'a\nb\nc', id: undefined },
      { event: 'x', data: 'd', id: undefined },
    ]);
  });

  it('gives the same events however the stream is cut, including inside CRLF and UTF-8 characters', () => {
    const text =
      '\uFEFFevent: message\r\nid: é1\r\ndata: {"text":"héllo 🌍"}\r\n\r\n: c\r\ndata: second\r\n\r\n';
    const expected = parse([text]).events;
    expect(expected).toEqual([
      { event: 'message', data: '{"text":"héllo 🌍"}', id: 'é1' },
      { event: 'message', data: 'second', id: 'é1' },
    ]);
    for (const chunks of splits(text)) expect(parse(chunks).events).toEqual(expected);
  });

  it('drops an event that the stream ends inside of', () => {
    expect(parse(['data: complete\n\ndata: cut off\n']).events).toEqual([
      { event: 'message', data: 'complete', id: undefined },
    ]);
  });

  it('ignores ids that contain NUL', () => {
    expect(parse(['id: ok\n\nid: bad\0id\ndata: x\n\n']).lastEventId).toBe('ok');
  });

  it('drops an event over the size limit whole and goes on with the next', () => {
    const big = 'x'.repeat(100);
    const { events, oversize } = parse([`data: ${big}\n`, `data: more\n\n`, 'data: small\n\n'], {
      maxEventBytes: 50,
    });
    expect(events).toEqual([{ event: 'message', data: 'small', id: undefined }]);
    expect(oversize).toHaveLength(1);
    // The same when the long line arrives in pieces without a line end.
    const pieces = parse(['data: ', big.slice(0, 40), big.slice(40), '\n\n', 'data: ok\n\n'], {
      maxEventBytes: 50,
    });
    expect(pieces.events).toEqual([{ event: 'message', data: 'ok', id: undefined }]);
  });
});
