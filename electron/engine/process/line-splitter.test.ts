import { describe, expect, it } from 'vitest';
import { LineSplitter, TRUNCATED_MARK } from './line-splitter.js';

function split(chunks: (string | Buffer)[], maxBytes?: number): { lines: string[]; flushed: string[] } {
  const lines: string[] = [];
  const splitter = new LineSplitter((line) => lines.push(line), maxBytes);
  for (const chunk of chunks) splitter.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  const before = lines.length;
  splitter.flush();
  return { lines: lines.slice(0, before), flushed: lines.slice(before) };
}

describe('LineSplitter', () => {
  it('joins a line split across chunks', () => {
    expect(split(['hel', 'lo\nwor', 'ld\n']).lines).toEqual(['hello', 'world']);
  });

  it('handles several lines in one chunk and empty lines', () => {
    expect(split(['a\n\nb\n']).lines).toEqual(['a', '', 'b']);
  });

  it('strips \\r\\n, even when the \\r and \\n arrive in different chunks', () => {
    expect(split(['one\r\ntwo\r', '\n']).lines).toEqual(['one', 'two']);
  });

  it('keeps a lone \\r inside a line', () => {
    expect(split(['50%\r100%\n']).lines).toEqual(['50%\r100%']);
  });

  it('flushes a last line without a newline, and nothing when there is none', () => {
    expect(split(['done\npartial'])).toEqual({ lines: ['done'], flushed: ['partial'] });
    expect(split(['done\n']).flushed).toEqual([]);
  });

  it('decodes a multi-byte character split across chunks', () => {
    const bytes = Buffer.from('héllo\n');
    expect(split([bytes.subarray(0, 2), bytes.subarray(2)]).lines).toEqual(['héllo']);
  });

  it('cuts long lines at the byte limit with a marker and resumes at the next line', () => {
    const { lines } = split(['x'.repeat(6), 'y'.repeat(10), '\nnext\n'], 8);
    expect(lines).toEqual(['xxxxxxyy' + TRUNCATED_MARK, 'next']);
  });

  it('does not mark a line that fits exactly, with or without \\r', () => {
    expect(split(['12345678\n', '12345678\r\n'], 8).lines).toEqual(['12345678', '12345678']);
    expect(split(['123456789\n'], 8).lines).toEqual(['12345678' + TRUNCATED_MARK]);
  });

  it('never cuts a character in half', () => {
    // 'é' is two bytes; a limit of 4 falls inside the third one.
    expect(split(['aééé\n'], 4).lines).toEqual(['aé' + TRUNCATED_MARK]);
  });

  it('bounds memory for an endless line: the default limit is 8 KiB', () => {
    const lines: string[] = [];
    const splitter = new LineSplitter((line) => lines.push(line));
    for (let i = 0; i < 100; i++) splitter.push(Buffer.alloc(64 * 1024, 0x61));
    splitter.push(Buffer.from('\n'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toBe('a'.repeat(8192) + TRUNCATED_MARK);
  });
});
