import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { LineWriter } from './line-writer.js';

function sink() {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (c: Buffer) => (text += c.toString()));
  return { stream, text: () => text };
}

describe('LineWriter', () => {
  it('terminates each message with a newline', async () => {
    const { stream, text } = sink();
    const writer = new LineWriter(stream);
    writer.write(Buffer.from('{"a":1}'));
    writer.write(Buffer.from('{"b":2}'));
    await new Promise((r) => setImmediate(r));
    expect(text()).toBe('{"a":1}\n{"b":2}\n');
  });

  it('holds other messages while a long line passes through, then sends them after it', async () => {
    const { stream, text } = sink();
    const writer = new LineWriter(stream);
    writer.beginStream();
    writer.streamPiece(Buffer.from('{"result":"aaa'));
    writer.write(Buffer.from('{"error":"late"}'));
    writer.streamPiece(Buffer.from('bbb","id":1}'));
    writer.endStream();
    await new Promise((r) => setImmediate(r));
    expect(text()).toBe('{"result":"aaabbb","id":1}\n{"error":"late"}\n');
  });

  it('reports a broken stream once and stops writing', () => {
    const stream = new PassThrough();
    const errors: string[] = [];
    const writer = new LineWriter(stream, (err) => errors.push(err.message));
    stream.destroy(new Error('EPIPE'));
    return new Promise<void>((resolve) =>
      setImmediate(() => {
        expect(errors).toEqual(['EPIPE']);
        expect(writer.write(Buffer.from('x'))).toBe(false);
        resolve();
      }),
    );
  });
});
