import type { ProcessConnection } from '../actor/process-link.js';
import type { ExitInfo, RunningProcess } from '../process/types.js';
import { LineFramer } from '../jsonrpc/line-framer.js';
import { LineWriter } from '../jsonrpc/line-writer.js';
import { describeCause } from '../../shared/events.js';
import { UpstreamCore, type UpstreamOptions } from './upstream-core.js';
import { UpstreamError } from './upstream-error.js';

export type { UpstreamInfo } from './upstream.js';

export interface StdioUpstreamOptions extends UpstreamOptions {
  /** The server's stderr, line by line. */
  onStderr: (line: string) => void;
  /** A process was attached (each start and restart): its log gets a mark. */
  onProcessStarted?: (pid: number | undefined) => void;
}

/**
 * A local server's upstream: the one connection core over the process's stdio, one JSON-RPC
 * message per line. A new process (restart, crash recovery) is a new connection: the core
 * initializes it, sends what it held and re-lists.
 */
export class StdioUpstream extends UpstreamCore implements ProcessConnection {
  private proc: RunningProcess | undefined;
  private writer: LineWriter | undefined;
  private generation = 0;

  constructor(private readonly stdio: StdioUpstreamOptions) {
    super(stdio);
  }

  // ---- ProcessConnection --------------------------------------------------------------------------

  /** The process is up: take its pipes and initialize it. */
  async attach(proc: RunningProcess, generation: number, signal: AbortSignal): Promise<void> {
    this.proc = proc;
    this.generation = generation;
    await this.connect(signal);
  }

  /** The process of `generation` is gone: what it was asked and never answered gets an error. */
  processGone(generation: number, info: ExitInfo | undefined, unexpected: boolean): void {
    if (generation !== this.generation) return;
    const how = info ? describeCause({ kind: 'exit', code: info.code, signal: info.signal }) : 'stopped';
    void this.closeWith(unexpected ? 'SERVER_EXITED' : 'SERVER_RESTARTED', how);
  }

  /** A ping went unanswered: the process hangs, and its link restarts it. */
  onUnresponsive(listener: (detail: string) => void): void {
    this.on('unhealthy', listener);
  }

  // ---- the transport ------------------------------------------------------------------------------

  protected async openTransport(): Promise<void> {
    const proc = this.proc;
    if (!proc) throw new Error('no process to talk to');
    const generation = this.generation;
    this.writer = new LineWriter(proc.stdin, (err) =>
      this.options.log(`cannot write to the server: ${err.message}`),
    );
    const framer = new LineFramer({
      maxMessageBytes: this.maxMessageBytes,
      onLine: (line) => {
        if (generation === this.generation) this.onLine(line);
      },
      onOversize: (info) =>
        this.options.log(`ignored a ${info.bytes}-byte message from the server (over the limit)`),
    });
    proc.stdout.on('data', (chunk: Buffer) => framer.push(chunk));
    proc.stdout.on('end', () => framer.end());
    this.stdio.onProcessStarted?.(proc.pid);
    proc.onStderrLine(this.stdio.onStderr);
  }

  /** Everything comes on stdout: nothing more to open. */
  protected async openStreams(): Promise<void> {}

  protected answersInline(): boolean {
    return false;
  }

  protected async transmit(body: string): Promise<void> {
    // The process went away: the lifecycle is about to say so (and hold or refuse what comes next).
    if (!this.writer) throw new UpstreamError('SERVER_UNAVAILABLE', this.options.server, 'not running');
    this.writer.write(Buffer.from(body, 'utf8'));
  }

  /** The process itself is stopped by its link; here its pipes are let go. */
  protected async closeTransport(): Promise<void> {
    this.writer = undefined;
    this.proc = undefined;
  }

  private onLine(line: Buffer): void {
    let value: unknown;
    try {
      value = JSON.parse(line.toString('utf8'));
    } catch {
      return this.options.log(
        `ignored a line on the server's stdout that is not JSON-RPC: ${line.toString('utf8', 0, 200)}`,
      );
    }
    this.receive(value);
  }
}
