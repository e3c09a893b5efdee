import { StringDecoder } from 'node:string_decoder';

/** Longest line kept, in bytes; longer lines are cut and end with TRUNCATED_MARK. */
export const MAX_LINE_BYTES = 8 * 1024;
export const TRUNCATED_MARK = '…';

const LF = 0x0a;
const CR = 0x0d;

/**
 * Turns a byte stream into lines. Works on bytes, so chunk boundaries inside a line, a "\r\n" or a
 * multi-byte character are harmless; memory per partial line is bounded by `maxBytes`.
 */
export class LineSplitter {
  private parts: Buffer[] = [];
  private length = 0;
  private overflowed = false;

  constructor(
    private readonly onLine: (line: string) => void,
    private readonly maxBytes = MAX_LINE_BYTES,
  ) {}

  push(chunk: Buffer): void {
    let start = 0;
    while (start < chunk.length) {
      const newline = chunk.indexOf(LF, start);
      this.append(chunk.subarray(start, newline === -1 ? chunk.length : newline));
      if (newline === -1) return;
      this.emit();
      start = newline + 1;
    }
  }

  /** Emits a last line that never got its newline (the stream ended). */
  flush(): void {
    if (this.length > 0 || this.overflowed) this.emit();
  }

  private append(bytes: Buffer): void {
    // One byte over the limit is kept so a "\r" right at the limit does not count as truncation.
    const room = this.maxBytes + 1 - this.length;
    if (bytes.length > room) {
      this.overflowed = true;
      bytes = bytes.subarray(0, room);
    }
    if (bytes.length === 0) return;
    this.parts.push(bytes);
    this.length += bytes.length;
  }

  private emit(): void {
    let line = Buffer.concat(this.parts, this.length);
    let truncated = this.overflowed;
    this.parts = [];
    this.length = 0;
    this.overflowed = false;
    if (!truncated && line[line.length - 1] === CR) line = line.subarray(0, -1);
    if (line.length > this.maxBytes) truncated = true;
    if (!truncated) {
      this.onLine(line.toString('utf8'));
      return;
    }
    // StringDecoder.write holds back a character cut in half instead of emitting U+FFFD.
    this.onLine(new StringDecoder('utf8').write(line.subarray(0, this.maxBytes)) + TRUNCATED_MARK);
  }
}
