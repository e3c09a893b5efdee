import type { Writable } from 'node:stream';

const NEWLINE = Buffer.from('\n');

/**
 * Writes newline-terminated messages to a stream, one write per message (measured: cheaper than
 * corking a tick's worth into one writev, at concurrency 1 and 32 alike). While a long line is being
 * passed through piece by piece, other messages wait so that nothing lands inside it.
 */
export class LineWriter {
  private closed = false;
  private heldDuringStream: Buffer[] | undefined;
  private corked = false;

  constructor(
    private readonly stream: Writable,
    private readonly onError: (err: Error) => void = () => {},
  ) {
    stream.on('error', (err) => {
      this.closed = true;
      this.onError(err);
    });
  }

  get writable(): boolean {
    return !this.closed && !this.stream.destroyed && this.stream.writable;
  }

  write(line: Buffer): boolean {
    if (this.heldDuringStream) {
      this.heldDuringStream.push(line);
      return true;
    }
    if (!this.writable) return false;
    this.corkUntilNextTick();
    this.stream.write(Buffer.concat([line, NEWLINE], line.length + 1));
    return true;
  }

  /**
   * Messages written in the same tick leave in one system call: under load (many requests arriving
   * together) that saves a write per message; alone, a message still leaves before any I/O wait.
   */
  private corkUntilNextTick(): void {
    if (this.corked) return;
    this.corked = true;
    this.stream.cork();
    process.nextTick(() => {
      this.corked = false;
      this.stream.uncork();
    });
  }

  /** Starts a line that will arrive in pieces; other writes wait until `endStream`. */
  beginStream(): void {
    this.heldDuringStream ??= [];
  }

  streamPiece(piece: Buffer): void {
    if (this.writable) this.stream.write(piece);
  }

  endStream(): void {
    const held = this.heldDuringStream;
    this.heldDuringStream = undefined;
    if (this.writable) this.stream.write(NEWLINE);
    for (const line of held ?? []) this.write(line);
  }
}
