import { EventEmitter } from 'node:events';
import type { ExitInfo, ProcessSpawner, RunningProcess, SpawnSpec } from '../process/types.js';
import { describeCause, type RestartCause, type ServerState } from '../../shared/events.js';
import type { Link, LinkEvents, LinkWording } from './link.js';
import { StartupFailure } from './startup-race.js';
import { meaningfulStderrLine } from './stderr-reason.js';

/** What talks to a local server's process: the shared upstream (`serve`) or the pass-through (`run`). */
export interface ProcessConnection {
  /** The process is up: connect to it and initialize it. Resolve once it can take traffic. */
  attach(proc: RunningProcess, generation: number, signal: AbortSignal): Promise<void>;
  /** A planned restart: hold new work and let in-flight work finish (bounded by the connection). */
  drain(): Promise<void>;
  /** The process of `generation` is gone; anything still waiting on it must be answered. */
  processGone(generation: number, info: ExitInfo | undefined, unexpected: boolean): void;
  /** The lifecycle's state: whether messages flow, wait or are refused. */
  stateChanged(from: ServerState, to: ServerState, reason: string): void;
  /** Tells `listener` when the process stops answering pings (hung): it is restarted. */
  onUnresponsive(listener: (detail: string) => void): void;
}

export interface ProcessLinkOptions {
  /** What to start; a function is asked at every launch (config references are filled in then). */
  spec: SpawnSpec | (() => SpawnSpec | Promise<SpawnSpec>);
  spawner: ProcessSpawner;
  connection: ProcessConnection;
  shutdownTimeoutMs: number;
}

const LOCAL_WORDING: LinkWording = {
  up: 'started',
  upIn: 'ready in',
  notUp: 'not ready',
  againIn: 'retry in',
  againAfter: 'retrying after',
  giveUpHint: 'waiting for a file change or a restart',
};

/** A local server: one process per generation, its stdio handed to the connection. */
export class ProcessLink extends EventEmitter<LinkEvents> implements Link {
  readonly wording = LOCAL_WORDING;
  private proc: RunningProcess | undefined;
  /** The latest process, kept after it ended: its stderr explains why. */
  private latest: RunningProcess | undefined;
  private generation = 0;
  private readonly goneGenerations = new Set<number>();

  constructor(private readonly options: ProcessLinkOptions) {
    super();
    options.connection.onUnresponsive((detail) => this.emit('hung', detail));
  }

  get pid(): number | undefined {
    return this.proc?.pid;
  }

  async open(signal: AbortSignal): Promise<void> {
    const generation = ++this.generation;
    this.latest = undefined;
    const spec = typeof this.options.spec === 'function' ? await this.options.spec() : this.options.spec;
    const proc = await this.options.spawner.spawn(spec);
    this.proc = proc;
    this.latest = proc;
    void proc.exited.then((info) => this.onExit(proc, generation, info));
    await untilExit(this.options.connection.attach(proc, generation, signal), proc.exited);
  }

  drain(): Promise<void> {
    return this.options.connection.drain();
  }

  async close(): Promise<void> {
    const proc = this.proc;
    if (!proc) return;
    this.proc = undefined;
    const generation = this.generation;
    const info = await proc.stop(this.options.shutdownTimeoutMs);
    this.markGone(generation, info, false);
  }

  stateChanged(from: ServerState, to: ServerState, reason: string): void {
    this.options.connection.stateChanged(from, to, reason);
  }

  explainStartFailure(message: string): string {
    return this.withStderrHint(message);
  }

  private onExit(proc: RunningProcess, generation: number, info: ExitInfo): void {
    if (proc !== this.proc) return; // stopped on purpose, or already replaced
    this.proc = undefined;
    this.markGone(generation, info, true);
    const cause: RestartCause = { kind: 'exit', code: info.code, signal: info.signal };
    this.emit('lost', { message: this.withStderrHint(describeCause(cause)), cause, at: info.at });
  }

  private markGone(generation: number, info: ExitInfo | undefined, unexpected: boolean): void {
    if (this.goneGenerations.has(generation)) return;
    this.goneGenerations.add(generation);
    if (this.goneGenerations.size > 64) this.goneGenerations.delete(Math.min(...this.goneGenerations));
    this.options.connection.processGone(generation, info, unexpected);
  }

  private withStderrHint(message: string): string {
    const why = meaningfulStderrLine(this.latest?.stderrTail() ?? []);
    return why ? `${message}; last stderr: ${why.slice(0, 300)}` : message;
  }
}

/** The connection's initialize, unless the process exits first. */
function untilExit(attach: Promise<void>, exited: Promise<ExitInfo>): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    attach.then(resolve, (err: unknown) =>
      reject(new StartupFailure('attach', `initialize failed: ${(err as Error).message ?? String(err)}`)),
    );
    void exited.then((info) => {
      const how = describeCause({ kind: 'exit', code: info.code, signal: info.signal });
      reject(new StartupFailure('exited', `exited during startup (${how})`));
    });
  });
}
