import { PassThrough } from 'node:stream';
import type { ExitInfo, ProcessSpawner, RunningProcess, SpawnSpec } from '../process/types.js';

let nextPid = 50_000;

/** A stand-in process for unit tests of the actor's logic; integration tests use real ones. */
export class FakeProcess implements RunningProcess {
  readonly pid = nextPid++;
  readonly stdin = new PassThrough();
  readonly stdout = new PassThrough();
  exitInfo: ExitInfo | undefined;
  readonly exited: Promise<ExitInfo>;
  stopCalls = 0;
  stderr: string[] = [];
  private resolveExit!: (info: ExitInfo) => void;

  constructor(private readonly now: () => number) {
    this.exited = new Promise((resolve) => (this.resolveExit = resolve));
  }

  stderrTail(): string[] {
    return [...this.stderr];
  }

  onStderrLine(): () => void {
    return () => {};
  }

  /** Simulates the process ending on its own. */
  exit(code: number | null, signal: NodeJS.Signals | null = null): void {
    if (this.exitInfo) return;
    this.exitInfo = { code, signal, at: this.now() };
    this.resolveExit(this.exitInfo);
  }

  stop(): Promise<ExitInfo> {
    this.stopCalls++;
    this.exit(null, 'SIGTERM');
    return this.exited;
  }
}

export class FakeSpawner implements ProcessSpawner {
  readonly spawned: FakeProcess[] = [];
  readonly specs: SpawnSpec[] = [];
  /** When set, the next spawn rejects with this error. */
  failNext: Error | undefined;

  constructor(private readonly now: () => number) {}

  async spawn(spec: SpawnSpec): Promise<RunningProcess> {
    this.specs.push(spec);
    if (this.failNext) {
      const err = this.failNext;
      this.failNext = undefined;
      throw err;
    }
    const proc = new FakeProcess(this.now);
    this.spawned.push(proc);
    return proc;
  }

  get last(): FakeProcess {
    const proc = this.spawned.at(-1);
    if (!proc) throw new Error('nothing spawned yet');
    return proc;
  }
}

/** Lets queued promise callbacks run. */
export const settle = () => new Promise<void>((resolve) => setImmediate(resolve));
