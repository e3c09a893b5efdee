import { MissingSecretError } from './start-errors.js';
import { EventEmitter } from 'node:events';
import { systemClock, type Clock, type TimerHandle } from '../flow/clock.js';
import type { ExitInfo, ProcessSpawner, RunningProcess, SpawnSpec } from '../process/types.js';
import { describeCause, type EngineEvent, type RestartCause, type ServerState } from '../../shared/events.js';
import { IllegalTransitionError, nextState, type Trigger } from './transitions.js';
import { backoffDelay, CrashHistory, DEFAULT_RESTART_POLICY, type RestartPolicy } from './backoff.js';
import { raceStartup, StartupFailure } from './startup-race.js';

/** What the actor needs from whoever talks to the process (pass-through proxy, shared upstream). */
export interface ConnectionHooks {
  /** The process is up: connect to it and initialize it. Resolve once it can take traffic. */
  attach(proc: RunningProcess, generation: number, signal: AbortSignal): Promise<void>;
  /** A planned restart: hold new work and let in-flight work finish (bounded by the hook). */
  drain(): Promise<void>;
  /** The process of `generation` is gone; anything still waiting on it must be answered. */
  processGone(generation: number, info: ExitInfo | undefined, unexpected: boolean): void;
}

export interface ServerActorOptions {
  name: string;
  /** What to start; a function is asked at every launch (config references are filled in then). */
  spec: SpawnSpec | (() => SpawnSpec | Promise<SpawnSpec>);
  spawner: ProcessSpawner;
  hooks: ConnectionHooks;
  startupTimeoutMs: number;
  shutdownTimeoutMs: number;
  policy?: RestartPolicy;
  clock?: Clock;
  random?: () => number;
  /** Errors that are bugs in the engine itself; they must not vanish. */
  onInternalError?: (err: unknown) => void;
}

/** A start failure that retrying cannot fix (command not found, bad cwd, missing secret). */
function isFatalStartError(err: unknown): boolean {
  return err instanceof Error && (err.name === 'SpawnError' || err.name === 'ConfigError');
}

/**
 * One actor per server: owns its process, its state and its retries. Lifecycle operations run one
 * at a time through a queue, so a crash, a file change and a stop never interleave half-way.
 */
export class ServerActor extends EventEmitter<{ event: [EngineEvent] }> {
  private current: ServerState = 'stopped';
  private proc: RunningProcess | undefined;
  private generation = 0;
  private readonly goneGenerations = new Set<number>();
  private queue: Promise<void> = Promise.resolve();
  private retryTimer: TimerHandle | undefined;
  private launchAbort: AbortController | undefined;
  private restartQueued = false;
  private readonly crashes: CrashHistory;
  private readonly clock: Clock;
  private readonly policy: RestartPolicy;
  private readonly random: () => number;
  /** The last thing that went wrong, for status displays. */
  lastError: string | undefined;
  restartCount = 0;

  constructor(private readonly options: ServerActorOptions) {
    super();
    this.clock = options.clock ?? systemClock;
    this.policy = options.policy ?? DEFAULT_RESTART_POLICY;
    this.random = options.random ?? Math.random;
    this.crashes = new CrashHistory(this.policy);
  }

  get name(): string {
    return this.options.name;
  }

  get state(): ServerState {
    return this.current;
  }

  get pid(): number | undefined {
    return this.proc?.pid;
  }

  get process(): RunningProcess | undefined {
    return this.proc;
  }

  start(): Promise<void> {
    return this.enqueue(async () => {
      if (this.current !== 'stopped' && this.current !== 'failed' && this.current !== 'needs-secret') return;
      this.crashes.reset();
      this.transition('start', 'start requested');
      await this.launch({ kind: 'user' }, this.clock.now(), false);
    });
  }

  /** File change, user or config: a new process. Coalesces with a restart already queued. */
  restart(cause: RestartCause): Promise<void> {
    if (this.restartQueued) return this.queue;
    this.restartQueued = true;
    return this.enqueue(async () => {
      this.restartQueued = false;
      await this.handleRestart(cause);
    });
  }

  stop(reason = 'stop requested'): Promise<void> {
    this.cancelRetry();
    this.launchAbort?.abort();
    return this.enqueue(async () => {
      this.cancelRetry();
      if (this.current === 'stopped') return;
      this.transition('stop', reason);
      await this.stopProcess();
    });
  }

  private async handleRestart(cause: RestartCause): Promise<void> {
    const startedAt = this.clock.now();
    switch (this.current) {
      case 'stopped':
        // A stopped server stays stopped until someone starts it; a file change is not consent.
        if (cause.kind === 'file') return;
        break;
      case 'failed':
      case 'needs-secret':
      case 'backoff':
        this.cancelRetry();
        this.crashes.reset();
        break;
      case 'ready':
        this.transition('restart', describeCause(cause));
        // A hung server will not finish its in-flight work: skip the drain and stop it now.
        if (cause.kind !== 'health') await this.options.hooks.drain();
        await this.stopProcess();
        await this.launch(cause, startedAt, true);
        return;
      default:
        return;
    }
    this.transition('restart', describeCause(cause));
    await this.launch(cause, startedAt, true);
  }

  private async launch(cause: RestartCause, startedAt: number, isRestart: boolean): Promise<void> {
    const generation = ++this.generation;
    const abort = new AbortController();
    this.launchAbort = abort;
    let proc: RunningProcess;
    try {
      const spec = typeof this.options.spec === 'function' ? await this.options.spec() : this.options.spec;
      proc = await this.options.spawner.spawn(spec);
    } catch (err) {
      if (err instanceof MissingSecretError) return this.waitForSecret(cause, startedAt, isRestart, err);
      this.onStartFailure(cause, startedAt, isRestart, (err as Error).message, isFatalStartError(err));
      return;
    }
    this.proc = proc;
    void proc.exited.then((info) => this.onExit(proc, generation, info));
    try {
      await raceStartup(this.options.hooks.attach(proc, generation, abort.signal), proc.exited, {
        clock: this.clock,
        timeoutMs: this.options.startupTimeoutMs,
        signal: abort.signal,
      });
    } catch (err) {
      await this.stopProcess();
      if (abort.signal.aborted) return; // a stop is queued right behind us
      const reason = err instanceof StartupFailure ? err.message : String(err);
      this.onStartFailure(cause, startedAt, isRestart, this.withStderrHint(reason, proc), false);
      return;
    }
    const durationMs = this.clock.now() - startedAt;
    this.lastError = undefined;
    this.transition('ready', isRestart ? `${describeCause(cause)}; ready in ${durationMs} ms` : 'started');
    if (isRestart) {
      this.restartCount++;
      this.publish({
        type: 'server.restart',
        server: this.name,
        cause,
        startedAt,
        durationMs,
        outcome: 'ready',
      });
    }
  }

  private onStartFailure(
    cause: RestartCause,
    startedAt: number,
    isRestart: boolean,
    message: string,
    fatal: boolean,
  ): void {
    this.lastError = message;
    const now = this.clock.now();
    const count = this.crashes.record(now);
    if (isRestart) {
      this.publish({
        type: 'server.restart',
        server: this.name,
        cause,
        startedAt,
        durationMs: now - startedAt,
        outcome: 'failed',
        error: message,
      });
    }
    if (fatal) return this.giveUp(message);
    if (count >= this.policy.crashLoopCount) return this.giveUp(this.crashLoopReason(count, message));
    const delay = backoffDelay(this.policy, count, this.random);
    this.transition('crash', `start failed: ${message}; retry in ${delay} ms`);
    this.scheduleRetry(delay, cause, startedAt);
  }

  /** Not a crash: nothing counts against the crash loop, and setting the secret starts it. */
  private waitForSecret(
    cause: RestartCause,
    startedAt: number,
    isRestart: boolean,
    err: MissingSecretError,
  ): void {
    this.cancelRetry();
    this.lastError = err.message;
    if (isRestart) {
      this.publish({
        type: 'server.restart',
        server: this.name,
        cause,
        startedAt,
        durationMs: this.clock.now() - startedAt,
        outcome: 'failed',
        error: err.message,
      });
    }
    this.transition('need_secret', err.message);
  }

  private onExit(proc: RunningProcess, generation: number, info: ExitInfo): void {
    if (proc !== this.proc) return; // stopped on purpose, or already replaced
    this.proc = undefined;
    this.markGone(generation, info, true);
    if (this.current !== 'ready') return; // a start attempt sees the exit through raceStartup
    void this.enqueue(async () => {
      if (this.current !== 'ready' || this.generation !== generation) return;
      const cause: RestartCause = { kind: 'exit', code: info.code, signal: info.signal };
      const message = this.withStderrHint(describeCause(cause), proc);
      this.lastError = message;
      const count = this.crashes.record(this.clock.now());
      if (count >= this.policy.crashLoopCount) return this.giveUp(this.crashLoopReason(count, message));
      const delay = backoffDelay(this.policy, count, this.random);
      this.transition('crash', `${message}; retry in ${delay} ms`);
      this.scheduleRetry(delay, cause, info.at);
    });
  }

  private scheduleRetry(delay: number, cause: RestartCause, startedAt: number): void {
    this.cancelRetry();
    this.retryTimer = this.clock.setTimeout(() => {
      this.retryTimer = undefined;
      void this.enqueue(async () => {
        if (this.current !== 'backoff') return;
        this.transition('retry', `retrying after ${describeCause(cause)}`);
        await this.launch(cause, startedAt, true);
      });
    }, delay);
  }

  private cancelRetry(): void {
    if (this.retryTimer !== undefined) this.clock.clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
  }

  private giveUp(reason: string): void {
    this.cancelRetry();
    this.transition('give_up', reason);
  }

  private crashLoopReason(count: number, last: string): string {
    const seconds = Math.round(this.policy.crashLoopWindowMs / 1000);
    return `crash loop: ${count} failures in ${seconds} s (last: ${last}); waiting for a file change or a restart`;
  }

  private async stopProcess(): Promise<void> {
    const proc = this.proc;
    if (!proc) return;
    this.proc = undefined;
    const generation = this.generation;
    const info = await proc.stop(this.options.shutdownTimeoutMs);
    this.markGone(generation, info, false);
  }

  private markGone(generation: number, info: ExitInfo | undefined, unexpected: boolean): void {
    if (this.goneGenerations.has(generation)) return;
    this.goneGenerations.add(generation);
    if (this.goneGenerations.size > 64) this.goneGenerations.delete(Math.min(...this.goneGenerations));
    this.options.hooks.processGone(generation, info, unexpected);
  }

  private withStderrHint(message: string, proc: RunningProcess): string {
    const last = proc
      .stderrTail()
      .filter((l) => l.trim())
      .at(-1);
    return last ? `${message}; last stderr: ${last.trim().slice(0, 300)}` : message;
  }

  private transition(trigger: Trigger, reason: string): void {
    const from = this.current;
    const to = nextState(from, trigger);
    if (!to) throw new IllegalTransitionError(from, trigger);
    this.current = to;
    this.publish({ type: 'server.state', server: this.name, from, to, reason, at: this.clock.now() });
  }

  private publish(event: EngineEvent): void {
    this.emit('event', event);
  }

  private enqueue(operation: () => Promise<void>): Promise<void> {
    const next = this.queue.then(operation).catch((err: unknown) => {
      if (this.options.onInternalError) this.options.onInternalError(err);
      else throw err;
    });
    this.queue = next;
    return next;
  }
}
