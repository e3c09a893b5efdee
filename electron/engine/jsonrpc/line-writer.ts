import type { Writable } from 'node:stream';

const NEWLINE = Buffer.from('\n');

/**
 * Writes newline-terminated messages to a stream, corking for the rest of the tick so that a
 * burst of messages leaves as one writev instead of one syscall each.
 */
export class LineWriter {
  private corked = false;
  private closed = false;

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
    if (!this.writable) return false;
    if (!this.corked) {
      this.corked = true;
      this.stream.cork();
      process.nextTick(() => {
        this.corked = false;
        this.stream.uncork();
      });
    }
    this.stream.write(line);
    this.stream.write(NEWLINE);
    return true;
  }
}
