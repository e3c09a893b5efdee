import { EventEmitter } from 'node:events';
import { systemClock, type Clock, type TimerHandle } from '../flow/clock.js';
import { backoffDelay, CrashHistory, DEFAULT_RESTART_POLICY, type RestartPolicy } from '../actor/backoff.js';
import { AuthRequiredError, MissingSecretError } from '../actor/start-errors.js';
import { IllegalTransitionError, nextState, type Trigger } from '../actor/transitions.js';
import { describeCause, type EngineEvent, type RestartCause, type ServerState } from '../../shared/events.js';
import type { RemoteConnection } from './remote-connection.js';

export interface RemoteServerOptions {
  name: string;
  /** Where the server is, for reasons a person reads ("cannot reach mcp.example.com"). */
  describe: string;
  connection: RemoteConnection;
  /** Bound on one connect attempt (initialize included). */
  startupTimeoutMs: number;
  policy?: RestartPolicy;
  clock?: Clock;
  random?: () => number;
  /** Errors that are bugs in the engine itself; they must not vanish. */
  onInternalError?: (err: unknown) => void;
}

/** Failures that retrying cannot fix: a missing secret, a broken OAuth setup, a bad URL. */
function isFatal(err: unknown): boolean {
  return (
    err instanceof Error &&
    (err.name === 'ConfigError' ||
      err.name === 'FatalConnectError' ||
      err.name === 'OAuthError' ||
      err.name === 'OAuthResponseError')
  );
}

/** States a start request acts on (the rest are running or on their way). */
const STARTABLE: ReadonlySet<ServerState> = new Set(['stopped', 'failed', 'needs-secret', 'needs-auth']);

/**
 * The lifecycle of one remote server, as ServerActor is for a local process (DESIGN §2, §4):
 * connect → ready; a lost connection → backoff (exponential, jittered) → connect again; too many
 * failures in the window → failed until a person acts. Every change is a `server.state` event with
 * a reason. Operations run one at a time through a queue.
 */
export class RemoteServer extends EventEmitter<{ event: [EngineEvent] }> {
  private current: ServerState = 'stopped';
  private queue: Promise<void> = Promise.resolve();
  private retryTimer: TimerHandle | undefined;
  private attemptAbort: AbortController | undefined;
  private restartQueued = false;
  /** A loss reported while connecting, after connect had already succeeded. */
  private lossWhileConnecting: string | undefined;
  private readonly crashes: CrashHistory;
  private readonly clock: Clock;
  private readonly policy: RestartPolicy;
  private readonly random: () => number;
  lastError: string | undefined;
  restartCount = 0;

  constructor(private readonly options: RemoteServerOptions) {
    super();
    this.clock = options.clock ?? systemClock;
    this.policy = options.policy ?? DEFAULT_RESTART_POLICY;
    this.random = options.random ?? Math.random;
    this.crashes = new CrashHistory(this.policy);
    options.connection.on('unhealthy', (reason) => this.connectionLost(reason));
    options.connection.on('authRequired', (err) => this.authLost(err));
  }

  get name(): string {
    return this.options.name;
  }

  get state(): ServerState {
    return this.current;
  }

  /** A remote server has no local process (the supervisor asks every server for one). */
  get pid(): undefined {
    return undefined;
  }

  start(): Promise<void> {
    return this.enqueue(async () => {
      if (!STARTABLE.has(this.current)) return;
      this.crashes.reset();
      this.transition('start', 'start requested');
      await this.attempt({ kind: 'user' }, this.clock.now(), false);
    });
  }

  /** A user or config asks for a fresh connection. Coalesces with a restart already queued. */
  restart(cause: RestartCause): Promise<void> {
    if (this.restartQueued) return this.queue;
    this.restartQueued = true;
    return this.enqueue(async () => {
      this.restartQueued = false;
      const startedAt = this.clock.now();
      if (this.current === 'stopped' && cause.kind === 'file') return;
      if (this.current === 'starting' || this.current === 'restarting') return;
      this.cancelRetry();
      if (this.current !== 'ready') this.crashes.reset();
      const wasReady = this.current === 'ready';
      this.transition('restart', describeCause(cause));
      if (wasReady) {
        if (cause.kind !== 'health') await this.options.connection.drain();
        await this.options.connection.close(describeCause(cause));
      }
      await this.attempt(cause, startedAt, true);
    });
  }

  stop(reason = 'stop requested'): Promise<void> {
    this.cancelRetry();
    this.attemptAbort?.abort();
    return this.enqueue(async () => {
      this.cancelRetry();
      if (this.current === 'stopped') return;
      this.transition('stop', reason);
      await this.options.connection.close(reason);
    });
  }

  /** One connect, bounded by the startup timeout and abortable by stop. */
  private async attempt(cause: RestartCause, startedAt: number, isRestart: boolean): Promise<void> {
    const abort = new AbortController();
    this.attemptAbort = abort;
    this.lossWhileConnecting = undefined;
    const timeoutMs = this.options.startupTimeoutMs;
    let timedOut = false;
    const timer = this.clock.setTimeout(() => {
      timedOut = true;
      abort.abort();
    }, timeoutMs);
    try {
      await this.options.connection.connect(abort.signal);
    } catch (err) {
      await this.options.connection.close('connect failed');
      if (abort.signal.aborted && !timedOut) return; // a stop is queued right behind us
      if (err instanceof MissingSecretError)
        return this.waitForPerson('need_secret', cause, startedAt, isRestart, err);
      if (err instanceof AuthRequiredError)
        return this.waitForPerson('need_auth', cause, startedAt, isRestart, err);
      const message = timedOut
        ? `not connected within the startup timeout of ${timeoutMs} ms`
        : (err as Error).message;
      return this.onFailure(cause, startedAt, isRestart, message, !timedOut && isFatal(err));
    } finally {
      this.clock.clearTimeout(timer);
    }
    const durationMs = this.clock.now() - startedAt;
    this.lastError = undefined;
    this.transition(
      'ready',
      isRestart ? `${describeCause(cause)}; connected in ${durationMs} ms` : 'connected',
    );
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
    // The connection broke between the end of connect and now: handle it as any loss.
    if (this.lossWhileConnecting !== undefined) this.connectionLost(this.lossWhileConnecting);
  }

  /** The upstream saw the connection break (stream ended, server unreachable, ping unanswered). */
  private connectionLost(reason: string): void {
    if (this.current === 'starting' || this.current === 'restarting') this.lossWhileConnecting = reason;
    if (this.current !== 'ready') return; // a connect in progress sees the failure itself
    void this.enqueue(async () => {
      if (this.current !== 'ready') return;
      const message = `connection to ${this.options.describe} lost: ${reason}`;
      this.lastError = message;
      const count = this.crashes.record(this.clock.now());
      if (count >= this.policy.crashLoopCount) {
        this.transition('give_up', this.giveUpReason(count, message));
      } else {
        const delay = backoffDelay(this.policy, count, this.random);
        this.transition('crash', `${message}; reconnecting in ${delay} ms`);
        this.scheduleRetry(delay, { kind: 'connection', detail: message }, this.clock.now());
      }
      await this.options.connection.close('connection lost');
    });
  }

  private onFailure(
    cause: RestartCause,
    startedAt: number,
    isRestart: boolean,
    message: string,
    fatal: boolean,
  ): void {
    const reason = `cannot connect: ${message}`;
    this.lastError = reason;
    const now = this.clock.now();
    const count = this.crashes.record(now);
    if (isRestart)
      this.publish({
        type: 'server.restart',
        server: this.name,
        cause,
        startedAt,
        durationMs: now - startedAt,
        outcome: 'failed',
        error: reason,
      });
    if (fatal) return this.transition('give_up', `${reason}; fix it, then restart the server`);
    if (count >= this.policy.crashLoopCount)
      return this.transition('give_up', this.giveUpReason(count, reason));
    const delay = backoffDelay(this.policy, count, this.random);
    this.transition('crash', `${reason}; retry in ${delay} ms`);
    this.scheduleRetry(delay, cause, startedAt);
  }

  /**
   * Not a failure to connect: a secret is missing or a sign-in is needed. Nothing counts against
   * the crash loop; setting the secret or signing in starts it.
   */
  private waitForPerson(
    trigger: 'need_secret' | 'need_auth',
    cause: RestartCause,
    startedAt: number,
    isRestart: boolean,
    err: Error,
  ): void {
    this.lastError = err.message;
    if (isRestart)
      this.publish({
        type: 'server.restart',
        server: this.name,
        cause,
        startedAt,
        durationMs: this.clock.now() - startedAt,
        outcome: 'failed',
        error: err.message,
      });
    this.transition(trigger, err.message);
  }

  /** A connected server's sign-in is gone (revoked, refresh refused): wait for the person. */
  private authLost(err: AuthRequiredError): void {
    if (this.current !== 'ready') return; // a connect in progress sees the failure itself
    void this.enqueue(async () => {
      if (this.current !== 'ready') return;
      this.lastError = err.message;
      this.transition('need_auth', err.message);
      await this.options.connection.close('sign-in needed');
    });
  }

  private giveUpReason(count: number, last: string): string {
    const seconds = Math.round(this.policy.crashLoopWindowMs / 1000);
    return `gave up after ${count} failures in ${seconds} s (last: ${last}); check that the server is up and the URL and headers are right, then restart it`;
  }

  private scheduleRetry(delay: number, cause: RestartCause, startedAt: number): void {
    this.cancelRetry();
    this.retryTimer = this.clock.setTimeout(() => {
      this.retryTimer = undefined;
      void this.enqueue(async () => {
        if (this.current !== 'backoff') return;
        this.transition('retry', `reconnecting after ${describeCause(cause)}`);
        await this.attempt(cause, startedAt, true);
      });
    }, delay);
  }

  private cancelRetry(): void {
    if (this.retryTimer !== undefined) this.clock.clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
  }

  private transition(trigger: Trigger, reason: string): void {
    const from = this.current;
    const to = nextState(from, trigger);
    if (!to) throw new IllegalTransitionError(from, trigger);
    this.current = to;
    // The upstream first: requests must be held (or failed) before anyone hears of the change.
    this.options.connection.stateChanged(from, to, reason);
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
