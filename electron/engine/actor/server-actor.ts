import { EventEmitter } from 'node:events';
import { systemClock, type Clock, type TimerHandle } from '../flow/clock.js';
import { describeCause, type EngineEvent, type RestartCause, type ServerState } from '../../shared/events.js';
import { IllegalTransitionError, nextState, type Trigger } from './transitions.js';
import { backoffDelay, CrashHistory, DEFAULT_RESTART_POLICY, type RestartPolicy } from './backoff.js';
import { raceStartup, StartupFailure } from './startup-race.js';
import { AuthRequiredError, MissingSecretError } from './start-errors.js';
import type { Link, LinkLoss } from './link.js';

export interface ServerActorOptions {
  name: string;
  /** The local process or the remote connection this actor drives. */
  link: Link;
  /** Bound on one start or connect attempt (initialize included). */
  startupTimeoutMs: number;
  policy?: RestartPolicy;
  clock?: Clock;
  random?: () => number;
  /** Hides known secrets in an event before anyone (the link included) sees its text. */
  maskEvent?: (event: EngineEvent) => EngineEvent;
  /** Errors that are bugs in the engine itself; they must not vanish. */
  onInternalError?: (err: unknown) => void;
}

/** Start failures that retrying cannot fix: a bad command or cwd, a broken config, OAuth or URL. */
const FATAL_ERRORS: ReadonlySet<string> = new Set([
  'SpawnError',
  'ConfigError',
  'FatalConnectError',
  'OAuthError',
  'OAuthResponseError',
]);

/** States a start request acts on (the rest are running or on their way). */
const STARTABLE: ReadonlySet<ServerState> = new Set(['stopped', 'failed', 'needs-secret', 'needs-auth']);

/**
 * The one lifecycle of a server, local or remote (DESIGN §2, §4): start → ready; a crash or a
 * lost connection → backoff (exponential, jittered) → start again; too many failures in the
 * window → failed until a file changes or a person acts; a missing secret or sign-in → wait for
 * the person. Operations run one at a time through a queue, so a crash, a file change and a stop
 * never interleave half-way. Every change is a `server.state` event with a reason.
 */
export class ServerActor extends EventEmitter<{ event: [EngineEvent] }> {
  private current: ServerState = 'stopped';
  /** Counts start attempts, so a loss reported for an earlier one is not taken for the current. */
  private generation = 0;
  private queue: Promise<void> = Promise.resolve();
  private retryTimer: TimerHandle | undefined;
  private launchAbort: AbortController | undefined;
  private restartQueued = false;
  /** A loss reported while starting, after the link had opened: handled once ready. */
  private lossWhileStarting: LinkLoss | undefined;
  private readonly crashes: CrashHistory;
  private readonly clock: Clock;
  private readonly policy: RestartPolicy;
  private readonly random: () => number;
  private readonly link: Link;
  /** The last thing that went wrong, for status displays. */
  lastError: string | undefined;
  restartCount = 0;

  constructor(private readonly options: ServerActorOptions) {
    super();
    this.link = options.link;
    this.clock = options.clock ?? systemClock;
    this.policy = options.policy ?? DEFAULT_RESTART_POLICY;
    this.random = options.random ?? Math.random;
    this.crashes = new CrashHistory(this.policy);
    this.link.on('lost', (loss) => this.onLost(loss));
    this.link.on('hung', (detail) => void this.restart({ kind: 'health', detail }));
    this.link.on('signInLost', (err) => this.onSignInLost(err));
  }

  get name(): string {
    return this.options.name;
  }

  get state(): ServerState {
    return this.current;
  }

  get pid(): number | undefined {
    return this.link.pid;
  }

  start(): Promise<void> {
    return this.enqueue(async () => {
      if (!STARTABLE.has(this.current)) return;
      this.crashes.reset();
      this.transition('start', 'start requested');
      await this.launch({ kind: 'user' }, this.clock.now(), false);
    });
  }

  /** File change, user, config or health: a new process or connection. Coalesces with one queued. */
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
      await this.link.close(reason);
    });
  }

  private async handleRestart(cause: RestartCause): Promise<void> {
    const startedAt = this.clock.now();
    // A stopped server stays stopped until someone starts it; a file change is not consent.
    if (this.current === 'stopped' && cause.kind === 'file') return;
    if (this.current === 'starting' || this.current === 'restarting') return;
    this.cancelRetry();
    const wasReady = this.current === 'ready';
    if (!wasReady) this.crashes.reset();
    this.transition('restart', describeCause(cause));
    if (wasReady) {
      // A hung server will not finish its in-flight work: skip the drain and stop it now.
      if (cause.kind !== 'health') await this.link.drain();
      await this.link.close(describeCause(cause));
    }
    await this.launch(cause, startedAt, true);
  }

  /** One start or connect, bounded by the startup timeout and abortable by stop. */
  private async launch(cause: RestartCause, startedAt: number, isRestart: boolean): Promise<void> {
    const generation = ++this.generation;
    const abort = new AbortController();
    this.launchAbort = abort;
    this.lossWhileStarting = undefined;
    const timeoutMs = this.options.startupTimeoutMs;
    const attempt: Attempt = { cause, startedAt, isRestart };
    try {
      await raceStartup(this.link.open(abort.signal), { clock: this.clock, timeoutMs, abort });
    } catch (err) {
      await this.link.close('start failed');
      const timedOut = err instanceof StartupFailure && err.kind === 'timeout';
      if (abort.signal.aborted && !timedOut) return; // a stop is queued right behind us
      if (err instanceof MissingSecretError) return this.waitForPerson('need_secret', attempt, err);
      if (err instanceof AuthRequiredError) return this.waitForPerson('need_auth', attempt, err);
      const message = timedOut ? `${this.link.wording.notUp} ${err.message}` : errorText(err);
      const fatal = !timedOut && err instanceof Error && FATAL_ERRORS.has(err.name);
      return this.onStartFailure(attempt, this.link.explainStartFailure(message), fatal);
    }
    const durationMs = this.clock.now() - startedAt;
    this.lastError = undefined;
    const { up, upIn } = this.link.wording;
    this.transition('ready', isRestart ? `${describeCause(cause)}; ${upIn} ${durationMs} ms` : up);
    if (isRestart) this.restartCount++;
    this.reportRestart(attempt, 'ready');
    // The link broke between the end of its open and now: handle it as any loss.
    const loss = this.lossWhileStarting;
    if (loss && this.generation === generation) this.onLost(loss);
  }

  private onStartFailure(attempt: Attempt, message: string, fatal: boolean): void {
    this.lastError = message;
    const count = this.crashes.record(this.clock.now());
    this.reportRestart(attempt, 'failed', message);
    const { fatalHint } = this.link.wording;
    if (fatal) return this.giveUp(fatalHint ? `${message}; ${fatalHint}` : message);
    if (count >= this.policy.crashLoopCount) return this.giveUp(this.crashLoopReason(count, message));
    const delay = backoffDelay(this.policy, count, this.random);
    this.transition('crash', `start failed: ${message}; retry in ${delay} ms`);
    // The next try is the backoff's: it is recorded as a retry, not as what caused the first start.
    this.scheduleRetry(delay, { kind: 'retry', attempt: count }, this.clock.now());
  }

  /** Not a crash: nothing counts against the crash loop; setting the secret or signing in starts it. */
  private waitForPerson(trigger: 'need_secret' | 'need_auth', attempt: Attempt, err: Error): void {
    this.cancelRetry();
    this.lastError = err.message;
    this.reportRestart(attempt, 'failed', err.message);
    this.transition(trigger, err.message);
  }

  /** A restart (not a first start) ends in a `server.restart` event: ready, or failed and why. */
  private reportRestart(
    { cause, startedAt, isRestart }: Attempt,
    outcome: 'ready' | 'failed',
    error?: string,
  ): void {
    if (!isRestart) return;
    const durationMs = this.clock.now() - startedAt;
    const event = {
      type: 'server.restart',
      server: this.name,
      cause,
      startedAt,
      durationMs,
      outcome,
    } as const;
    this.publish(error === undefined ? event : { ...event, error });
  }

  /** The process exited or the connection broke on its own. */
  private onLost(loss: LinkLoss): void {
    if (this.current === 'starting' || this.current === 'restarting') this.lossWhileStarting = loss;
    if (this.current !== 'ready') return; // a start in progress sees the failure itself
    const generation = this.generation;
    void this.enqueue(async () => {
      if (this.current !== 'ready' || this.generation !== generation) return;
      this.lastError = loss.message;
      const count = this.crashes.record(this.clock.now());
      if (count >= this.policy.crashLoopCount) this.giveUp(this.crashLoopReason(count, loss.message));
      else {
        const delay = backoffDelay(this.policy, count, this.random);
        this.transition('crash', `${loss.message}; ${this.link.wording.againIn} ${delay} ms`);
        this.scheduleRetry(delay, loss.cause, loss.at);
      }
      await this.link.close('connection lost');
    });
  }

  /** A ready server's sign-in is gone (revoked, refresh refused): wait for the person. */
  private onSignInLost(err: AuthRequiredError): void {
    if (this.current !== 'ready') return; // a start in progress sees the failure itself
    void this.enqueue(async () => {
      if (this.current !== 'ready') return;
      this.lastError = err.message;
      this.transition('need_auth', err.message);
      await this.link.close('sign-in needed');
    });
  }

  private scheduleRetry(delay: number, cause: RestartCause, startedAt: number): void {
    this.cancelRetry();
    this.retryTimer = this.clock.setTimeout(() => {
      this.retryTimer = undefined;
      void this.enqueue(async () => {
        if (this.current !== 'backoff') return;
        this.transition('retry', `${this.link.wording.againAfter} ${describeCause(cause)}`);
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
    return `crash loop: ${count} failures in ${seconds} s (last: ${last}); ${this.link.wording.giveUpHint}`;
  }

  private transition(trigger: Trigger, reason: string): void {
    const from = this.current;
    const to = nextState(from, trigger);
    if (!to) throw new IllegalTransitionError(from, trigger);
    this.current = to;
    const event = this.masked({
      type: 'server.state',
      server: this.name,
      from,
      to,
      reason,
      at: this.clock.now(),
    });
    // The link first: requests must be held (or refused) before anyone hears of the change.
    if (event.type === 'server.state') this.link.stateChanged(from, to, event.reason);
    this.emit('event', event);
  }

  private publish(event: EngineEvent): void {
    this.emit('event', this.masked(event));
  }

  private masked(event: EngineEvent): EngineEvent {
    return this.options.maskEvent ? this.options.maskEvent(event) : event;
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

interface Attempt {
  cause: RestartCause;
  startedAt: number;
  isRestart: boolean;
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
