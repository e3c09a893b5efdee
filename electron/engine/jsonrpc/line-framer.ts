/**
 * Newline-delimited framing over a byte stream, with a hard cap on message size.
 * Chunks are kept as-is until a newline arrives, so a large message costs one concat,
 * not one per chunk; a line that outgrows the cap is discarded as it streams in
 * (only its ends are kept, so an id can still be read for the error reply).
 * Optionally, a long line can be passed through piece by piece as it arrives (cut-through),
 * so a proxy need not hold a whole large reply before the client sees its first byte.
 */
const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;
const HEAD_BYTES = 512;
const TAIL_BYTES = 512;

export interface OversizeInfo {
  /** Bytes seen for the discarded line (at least the cap + 1). */
  bytes: number;
  /** The first bytes of the line, to look for an id. */
  head: Buffer;
  /** The last bytes of the line (replies often carry their id at the end). */
  tail: Buffer;
  /** True when the first part of the line had already been passed through (cut-through). */
  wasStreaming: boolean;
}

export interface CutThrough {
  /** Lines longer than this are offered for cut-through. */
  thresholdBytes: number;
  /** Decides from the first bytes whether to pass this line through as it arrives. */
  start(head: Buffer): boolean;
  /** A piece of the line being passed through (no newline). */
  piece(piece: Buffer): void;
  /** The line ended; its last bytes let the caller read a trailing id. */
  end(info: { head: Buffer; tail: Buffer; bytes: number }): void;
}

export interface LineFramerOptions {
  maxMessageBytes: number;
  onLine: (line: Buffer) => void;
  onOversize: (info: OversizeInfo) => void;
  cutThrough?: CutThrough;
}

interface Ends {
  bytes: number;
  head: Buffer;
  tail: Buffer;
}

export class LineFramer {
  private parts: Buffer[] = [];
  private pendingBytes = 0;
  private discarding: (Ends & { wasStreaming: boolean }) | undefined;
  private streaming: Ends | undefined;
  private cutThroughDeclined = false;

  constructor(private readonly options: LineFramerOptions) {}

  push(chunk: Buffer): void {
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf(NEWLINE, start);
      if (nl === -1) {
        this.keep(chunk.subarray(start));
        return;
      }
      this.keep(chunk.subarray(start, nl));
      this.completeLine();
      start = nl + 1;
    }
  }

  /** The stream ended: a trailing line without a newline still counts. */
  end(): void {
    if (this.pendingBytes > 0 || this.discarding || this.streaming) this.completeLine();
  }

  private keep(piece: Buffer): void {
    if (piece.length === 0) return;
    if (this.discarding) {
      this.discarding.bytes += piece.length;
      this.discarding.tail = keepTail(this.discarding.tail, piece);
      return;
    }
    const { maxMessageBytes, cutThrough } = this.options;
    if (this.streaming) {
      const streaming = this.streaming;
      streaming.bytes += piece.length;
      streaming.tail = keepTail(streaming.tail, piece);
      if (streaming.bytes > maxMessageBytes) {
        // Already partly sent: end what was passed through, then treat the rest as oversized.
        this.streaming = undefined;
        cutThrough!.end(streaming);
        this.discarding = { ...streaming, wasStreaming: true };
        return;
      }
      cutThrough!.piece(piece);
      return;
    }
    const total = this.pendingBytes + piece.length;
    if (total > maxMessageBytes) {
      const head = Buffer.concat([...this.parts, piece], Math.min(HEAD_BYTES, total));
      this.discarding = { bytes: total, head, tail: keepTail(Buffer.alloc(0), piece), wasStreaming: false };
      this.parts = [];
      this.pendingBytes = 0;
      return;
    }
    if (cutThrough && !this.cutThroughDeclined && total > cutThrough.thresholdBytes) {
      const head = Buffer.concat([...this.parts, piece], Math.min(HEAD_BYTES, total));
      if (cutThrough.start(head)) {
        for (const part of this.parts) cutThrough.piece(part);
        cutThrough.piece(piece);
        this.streaming = { bytes: total, head, tail: keepTail(Buffer.alloc(0), piece) };
        this.parts = [];
        this.pendingBytes = 0;
        return;
      }
      this.cutThroughDeclined = true;
    }
    this.parts.push(piece);
    this.pendingBytes = total;
  }

  private completeLine(): void {
    this.cutThroughDeclined = false;
    if (this.streaming) {
      const streaming = this.streaming;
      this.streaming = undefined;
      this.options.cutThrough!.end(streaming);
      return;
    }
    if (this.discarding) {
      const info = this.discarding;
      this.discarding = undefined;
      this.options.onOversize(info);
      return;
    }
    if (this.pendingBytes === 0) return;
    let line = this.parts.length === 1 ? this.parts[0]! : Buffer.concat(this.parts, this.pendingBytes);
    this.parts = [];
    this.pendingBytes = 0;
    if (line[line.length - 1] === CARRIAGE_RETURN) line = line.subarray(0, line.length - 1);
    if (line.length === 0 || isBlank(line)) return;
    this.options.onLine(line);
  }
}

function keepTail(previous: Buffer, piece: Buffer): Buffer {
  if (piece.length >= TAIL_BYTES) return Buffer.from(piece.subarray(piece.length - TAIL_BYTES));
  const joined = Buffer.concat([previous, piece]);
  return joined.length > TAIL_BYTES ? joined.subarray(joined.length - TAIL_BYTES) : joined;
}

function isBlank(line: Buffer): boolean {
  for (const byte of line) {
    if (byte !== 0x20 && byte !== 0x09 && byte !== CARRIAGE_RETURN) return false;
  }
  return true;
}
