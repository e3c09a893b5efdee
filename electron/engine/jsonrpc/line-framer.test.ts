import { describe, expect, it } from 'vitest';
import { LineFramer, type OversizeInfo } from './line-framer.js';

function collect(max = 1024) {
  const lines: string[] = [];
  const oversize: OversizeInfo[] = [];
  const framer = new LineFramer({
    maxMessageBytes: max,
    onLine: (line) => lines.push(line.toString()),
    onOversize: (info) => oversize.push(info),
  });
  return { framer, lines, oversize };
}

describe('LineFramer', () => {
  it('splits lines across chunk boundaries', () => {
    const { framer, lines } = collect();
    framer.push(Buffer.from('{"a":1}\n{"b"'));
    framer.push(Buffer.from(':2}\n{"c":3}'));
    expect(lines).toEqual(['{"a":1}', '{"b":2}']);
    framer.push(Buffer.from('\n'));
    expect(lines).toEqual(['{"a":1}', '{"b":2}', '{"c":3}']);
  });

  it('strips CR and skips blank lines', () => {
    const { framer, lines } = collect();
    framer.push(Buffer.from('{"a":1}\r\n\n  \r\n{"b":2}\n'));
    expect(lines).toEqual(['{"a":1}', '{"b":2}']);
  });

  it('emits a trailing line without newline on end', () => {
    const { framer, lines } = collect();
    framer.push(Buffer.from('{"a":1}'));
    expect(lines).toEqual([]);
    framer.end();
    expect(lines).toEqual(['{"a":1}']);
  });

  it('keeps multi-byte characters split across chunks intact', () => {
    const { framer, lines } = collect();
    const bytes = Buffer.from('{"t":"héllo✓"}\n');
    framer.push(bytes.subarray(0, 8));
    framer.push(bytes.subarray(8, 9));
    framer.push(bytes.subarray(9));
    expect(lines).toEqual(['{"t":"héllo✓"}']);
  });

  it('discards a line over the cap, reports it once with its head, and recovers', () => {
    const { framer, lines, oversize } = collect(100);
    const big = `{"jsonrpc":"2.0","id":42,"method":"x","params":"${'y'.repeat(500)}"}`;
    framer.push(Buffer.from(big.slice(0, 60)));
    framer.push(Buffer.from(big.slice(60, 300)));
    framer.push(Buffer.from(`${big.slice(300)}\n{"ok":true}\n`));
    expect(oversize).toHaveLength(1);
    expect(oversize[0]!.bytes).toBe(big.length);
    expect(oversize[0]!.head.toString()).toContain('"id":42');
    expect(oversize[0]!.tail.toString().endsWith('y"}')).toBe(true);
    expect(lines).toEqual(['{"ok":true}']);
  });

  it('accepts a line exactly at the cap', () => {
    const { framer, lines, oversize } = collect(10);
    framer.push(Buffer.from('0123456789\n01234567890\n'));
    expect(lines).toEqual(['0123456789']);
    expect(oversize).toHaveLength(1);
  });

  it('handles a 1 MiB line delivered in 64 KiB chunks', () => {
    const { framer, lines } = collect(2 * 1024 * 1024);
    const payload = Buffer.from(`{"x":"${'z'.repeat(1024 * 1024)}"}\n`);
    for (let i = 0; i < payload.length; i += 65536) framer.push(payload.subarray(i, i + 65536));
    expect(lines).toHaveLength(1);
    expect(lines[0]!.length).toBe(payload.length - 1);
  });

  describe('cut-through', () => {
    function streamingFramer(max: number, accept: (head: string) => boolean) {
      const events: string[] = [];
      const pieces: string[] = [];
      const framer = new LineFramer({
        maxMessageBytes: max,
        onLine: (line) => events.push(`line:${line.toString()}`),
        onOversize: (info) =>
          events.push(`oversize:${info.bytes}:${info.wasStreaming}:${info.tail.toString().slice(-8)}`),
        cutThrough: {
          thresholdBytes: 10,
          start: (head) => accept(head.toString()),
          piece: (piece) => pieces.push(piece.toString()),
          end: (ends) =>
            events.push(
              `end:${ends.bytes}:${ends.head.toString().slice(0, 5)}:${ends.tail.toString().slice(-5)}`,
            ),
        },
      });
      return { framer, events, pieces };
    }

    it('passes a long line through in pieces as they arrive and reports its ends', () => {
      const { framer, events, pieces } = streamingFramer(1000, () => true);
      framer.push(Buffer.from('{"result":'));
      expect(pieces).toEqual([]);
      framer.push(Buffer.from('"abcdef'));
      expect(pieces.join('')).toBe('{"result":"abcdef');
      framer.push(Buffer.from('ghij","id":7}\n{"s":1}\n'));
      expect(pieces.join('')).toBe('{"result":"abcdefghij","id":7}');
      expect(events).toEqual(['end:30:{"res:d":7}', 'line:{"s":1}']);
    });

    it('holds a line the caller declines and delivers it whole', () => {
      const { framer, events, pieces } = streamingFramer(1000, () => false);
      framer.push(Buffer.from('{"method":"x","params":"0123456789"}\n'));
      expect(pieces).toEqual([]);
      expect(events).toEqual(['line:{"method":"x","params":"0123456789"}']);
    });

    it('ends a passed-through line that outgrows the cap and reports it as oversized', () => {
      const { framer, events } = streamingFramer(40, () => true);
      framer.push(Buffer.from('{"result":"' + 'z'.repeat(20)));
      framer.push(Buffer.from('z'.repeat(30) + '","id":9}\n{"ok":1}\n'));
      expect(events[0]).toMatch(/^end:/);
      expect(events[1]).toBe('oversize:70:true:,"id":9}');
      expect(events[2]).toBe('line:{"ok":1}');
    });
  });
});
