import type { Writable } from 'node:stream';

const NEWLINE = Buffer.from('\n');

/**
 * Writes newline-terminated messages to a stream, corking for the rest of the tick so that a
 * burst of messages leaves as one writev instead of one syscall each. While a long line is being
 * passed through piece by piece, other messages wait so that nothing lands inside it.
 */
export class LineWriter {
  private corked = false;
  private closed = false;
  private heldDuringStream: Buffer[] | undefined;

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
    this.corkForTick();
    this.stream.write(line);
    this.stream.write(NEWLINE);
    return true;
  }

  /** Starts a line that will arrive in pieces; other writes wait until `endStream`. */
  beginStream(): void {
    this.heldDuringStream ??= [];
  }

  streamPiece(piece: Buffer): void {
    if (!this.writable) return;
    this.corkForTick();
    this.stream.write(piece);
  }

  endStream(): void {
    const held = this.heldDuringStream;
    this.heldDuringStream = undefined;
    if (this.writable) {
      this.corkForTick();
      this.stream.write(NEWLINE);
    }
    for (const line of held ?? []) this.write(line);
  }

  private corkForTick(): void {
    if (this.corked) return;
    this.corked = true;
    this.stream.cork();
    process.nextTick(() => {
      this.corked = false;
      this.stream.uncork();
    });
  }
}
