import type { Readable, Writable } from 'node:stream';

/** What to start: never run through a shell. */
export interface SpawnSpec {
  command: string;
  args: readonly string[];
  /** Working directory; defaults to the engine's cwd. */
  cwd?: string;
  /** Merged over the engine's own environment; a value of `undefined` removes the variable. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Lines of stderr kept in the ring buffer (default 500). */
  stderrLines?: number;
}

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Epoch ms when the exit was seen. */
  at: number;
}

/** One running child process, in its own process group. */
export interface RunningProcess {
  readonly pid: number;
  readonly stdin: Writable;
  readonly stdout: Readable;
  /** Resolves once, when the process has exited (never rejects). */
  readonly exited: Promise<ExitInfo>;
  /** Set once the process has exited. */
  readonly exitInfo: ExitInfo | undefined;
  /** Last stderr lines, oldest first (bounded). */
  stderrTail(): string[];
  /** Called for every complete stderr line (without the newline). Returns an unsubscribe function. */
  onStderrLine(listener: (line: string) => void): () => void;
  /** SIGTERM to the process group, SIGKILL to the group after `timeoutMs`; resolves with the exit. */
  stop(timeoutMs: number): Promise<ExitInfo>;
}

export interface ProcessSpawner {
  /**
   * Starts the process. Throws a `SpawnError` synchronously-or-rejects when the command cannot be
   * found or started, with a message that says what to do.
   */
  spawn(spec: SpawnSpec): Promise<RunningProcess>;
}
