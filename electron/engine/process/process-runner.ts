import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { systemClock, type Clock, type TimerHandle } from '../flow/clock.js';
import { buildChildEnv } from './child-env.js';
import { LineSplitter } from './line-splitter.js';
import { executableChecker, fileExists, getEnv, resolveCommand, SpawnError } from './resolve-command.js';
import { RingBuffer } from './ring-buffer.js';
import type { ExitInfo, ProcessSpawner, RunningProcess, SpawnSpec } from './types.js';

export { SpawnError } from './resolve-command.js';

const DEFAULT_STDERR_LINES = 500;
/** How long `exited` waits after the exit for stderr to drain, so the tail holds the last words. */
const STDERR_DRAIN_MS = 100;

export interface NodeProcessSpawnerOptions {
  /** Stamps ExitInfo.at and times stop()'s SIGKILL. */
  clock?: Clock;
}

/** Starts real child processes: no shell, each in its own process group (POSIX). */
export class NodeProcessSpawner implements ProcessSpawner {
  private readonly clock: Clock;

  constructor(options: NodeProcessSpawnerOptions = {}) {
    this.clock = options.clock ?? systemClock;
  }

  async spawn(spec: SpawnSpec): Promise<RunningProcess> {
    const platform = process.platform;
    const env = buildChildEnv(process.env, spec.env, platform);
    const cwd = checkCwd(spec.cwd);
    // Resolving up front turns a missing command into a clear error instead of a bare async ENOENT.
    const resolved = resolveCommand(spec.command, spec.args, {
      platform,
      env,
      cwd,
      isFile: executableChecker(platform),
      exists: fileExists,
    });
    const tail = new RingBuffer<string>(spec.stderrLines ?? DEFAULT_STDERR_LINES);

    let child: ChildProcess;
    try {
      child = spawn(resolved.file, resolved.args, {
        cwd,
        env,
        stdio: ['pipe', 'pipe', 'pipe'],
        shell: false,
        // Own process group, so stop() reaches grandchildren (e.g. what `npx` starts).
        detached: platform !== 'win32',
        windowsHide: true,
        windowsVerbatimArguments: resolved.viaShim === true,
      });
    } catch (err) {
      throw startError(err, spec.command, resolved.file);
    }
    // Listeners go on before any event can fire, so no early stderr or exit is missed.
    const proc = new NodeRunningProcess(child, tail, this.clock, platform);
    await new Promise<void>((resolve, reject) => {
      let spawned = false;
      child.once('spawn', () => {
        spawned = true;
        resolve();
      });
      child.on('error', (err) => {
        // After 'spawn' this is a failed kill or similar; the exit is what gets reported.
        if (!spawned) reject(startError(err, spec.command, resolved.file));
      });
    });
    return proc;
  }
}

export const nodeProcessSpawner = new NodeProcessSpawner();

class NodeRunningProcess implements RunningProcess {
  readonly pid: number;
  readonly stdin: Writable;
  readonly stdout: Readable;
  readonly exited: Promise<ExitInfo>;
  private info: ExitInfo | undefined;
  private readonly listeners = new Set<(line: string) => void>();
  private leaderExited = false;
  private stopping = false;
  private killTimer: TimerHandle | undefined;

  constructor(
    private readonly child: ChildProcess,
    private readonly tail: RingBuffer<string>,
    private readonly clock: Clock,
    private readonly platform: NodeJS.Platform,
  ) {
    const { stdin, stdout, stderr } = child;
    if (!stdin || !stdout || !stderr) throw new Error('child was spawned without stdio pipes');
    this.pid = child.pid ?? -1; // Undefined only when the spawn failed, and then spawn() rejects.
    this.stdin = stdin;
    this.stdout = stdout;

    // Writing to a child that died fails with EPIPE / ERR_STREAM_DESTROYED; unhandled, that would
    // crash the engine. The exit is what reports the failure.
    stdin.on('error', () => {});
    stdout.on('error', () => {});
    stderr.on('error', () => {});

    const splitter = new LineSplitter((line) => this.addStderrLine(line));
    let stderrDone = false;
    let onStderrDone: (() => void) | undefined;
    stderr.on('data', (chunk: Buffer) => splitter.push(chunk));
    const stderrEnded = () => {
      stderrDone = true;
      onStderrDone?.();
    };
    stderr.once('end', stderrEnded);
    stderr.once('close', stderrEnded);

    this.exited = new Promise<ExitInfo>((resolve) => {
      // 'exit', not 'close': 'close' waits for every holder of the pipes, grandchildren included.
      child.once('exit', (code, signal) => {
        const info: ExitInfo = { code, signal, at: this.clock.now() };
        this.onLeaderExit();
        const settle = () => {
          if (this.info) return;
          splitter.flush();
          this.info = info;
          resolve(info);
        };
        if (stderrDone) return settle();
        // A grandchild may hold stderr open for ever, so the wait is bounded.
        const drainTimer = setTimeout(settle, STDERR_DRAIN_MS);
        onStderrDone = () => {
          clearTimeout(drainTimer);
          settle();
        };
      });
    });
  }

  get exitInfo(): ExitInfo | undefined {
    return this.info;
  }

  stderrTail(): string[] {
    return this.tail.toArray();
  }

  onStderrLine(listener: (line: string) => void): () => void {
    // Wrapped so subscribing the same function twice yields two independent subscriptions.
    const entry = (line: string) => listener(line);
    this.listeners.add(entry);
    return () => this.listeners.delete(entry);
  }

  stop(timeoutMs: number): Promise<ExitInfo> {
    if (this.info) return Promise.resolve(this.info);
    if (this.stopping) return this.exited;
    this.stopping = true;
    if (this.leaderExited) {
      // Exited moments ago (stderr still draining): only stragglers in its group remain.
      this.forceKill();
      return this.exited;
    }
    this.politeKill();
    this.killTimer = this.clock.setTimeout(() => this.forceKill(), Math.max(0, timeoutMs));
    return this.exited;
  }

  private onLeaderExit(): void {
    this.leaderExited = true;
    if (this.killTimer !== undefined) this.clock.clearTimeout(this.killTimer);
    this.killTimer = undefined;
    // A stop must not leave grandchildren behind, even ones that ignored SIGTERM.
    if (this.stopping && this.platform !== 'win32') signalGroup(this.pid, 'SIGKILL');
  }

  private politeKill(): void {
    if (this.platform !== 'win32') {
      signalGroup(this.pid, 'SIGTERM', this.child);
      return;
    }
    // Windows has no SIGTERM: child.kill() is TerminateProcess on the leader alone, which would
    // orphan what a cmd shim started. Closing stdin is the MCP-defined polite way to ask for exit.
    this.stdin.end();
  }

  private forceKill(): void {
    if (this.platform !== 'win32') {
      signalGroup(this.pid, 'SIGKILL', this.child);
      return;
    }
    if (this.leaderExited) return;
    // /T walks the tree from the leader, so this must run while the leader is still alive.
    const killer = spawn(taskkillPath(), ['/pid', String(this.pid), '/T', '/F'], {
      shell: false,
      windowsHide: true,
      stdio: 'ignore',
    });
    killer.once('error', () => this.child.kill('SIGKILL'));
    killer.once('exit', (code) => {
      if (code !== 0) this.child.kill('SIGKILL');
    });
  }

  private addStderrLine(line: string): void {
    this.tail.push(line);
    for (const listener of this.listeners) {
      try {
        listener(line);
      } catch (err) {
        // One broken listener must not starve the others or the tail; still make it visible.
        process.emitWarning(`stderr line listener threw: ${String(err)}`, 'SwitchboardWarning');
      }
    }
  }
}

/**
 * SIGKILLs a process group synchronously, for cleanup while the engine itself is exiting. Only pass
 * the pid of a child that is still ours: a long-dead pid may belong to someone else by now.
 */
export function killProcessGroupSync(pid: number): void {
  if (!isSafePid(pid)) return;
  if (process.platform === 'win32') {
    spawnSync(taskkillPath(), ['/pid', String(pid), '/T', '/F'], {
      shell: false,
      windowsHide: true,
      stdio: 'ignore',
      timeout: 5_000,
    });
    return;
  }
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // Already gone (ESRCH) or not ours: nothing left to do during exit.
  }
}

// kill(-0) would signal our own group and kill(-1) every process we may signal.
function isSafePid(pid: number): boolean {
  return Number.isInteger(pid) && pid > 1;
}

function signalGroup(pid: number, signal: NodeJS.Signals, leader?: ChildProcess): void {
  if (!isSafePid(pid)) return;
  try {
    process.kill(-pid, signal);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ESRCH') return;
    // The group could not be signalled (EPERM?): at least reach the leader.
    leader?.kill(signal);
  }
}

function taskkillPath(): string {
  const root = getEnv(process.env, 'SystemRoot', true);
  return root ? path.win32.join(root, 'System32', 'taskkill.exe') : 'taskkill.exe';
}

function checkCwd(cwd: string | undefined): string {
  const dir = path.resolve(cwd ?? process.cwd());
  let stat: fs.Stats;
  try {
    stat = fs.statSync(dir);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'ENOENT';
    const reason = code === 'ENOENT' || code === 'ENOTDIR' ? 'does not exist' : `cannot be used (${code})`;
    throw new SpawnError(code, `working directory ${reason}: ${dir}. Create it or fix the server's "cwd".`, {
      cause: err,
    });
  }
  if (!stat.isDirectory()) {
    throw new SpawnError('ENOTDIR', `working directory is not a directory: ${dir}. Point "cwd" at a folder.`);
  }
  return dir;
}

function startError(err: unknown, command: string, file: string): SpawnError {
  const code = (err as NodeJS.ErrnoException | undefined)?.code ?? 'EINVAL';
  const detail = err instanceof Error ? err.message : String(err);
  const hint =
    code === 'ENOENT'
      ? 'Install it or give an absolute path.'
      : code === 'EACCES'
        ? 'Check that the file is executable and readable.'
        : 'Check the command and its arguments.';
  return new SpawnError(code, `could not start ${command} (${file}): ${detail}. ${hint}`, { cause: err });
}
