import type { Clock } from '../flow/clock.js';

export type StartupFailureKind = 'timeout' | 'exited' | 'aborted' | 'attach';

/** Why a start attempt did not reach ready; `message` is written for a person. */
export class StartupFailure extends Error {
  constructor(
    readonly kind: StartupFailureKind,
    message: string,
  ) {
    super(message);
    this.name = 'StartupFailure';
  }
}

/**
 * Waits for a link to open, whichever comes first: success, its own failure (rejected as it is),
 * the startup timeout (which aborts `abort`, so a connect in progress ends too), or an abort from
 * outside (a stop). An open that ignores the signal is left behind, never waited for.
 */
export function raceStartup(
  open: Promise<void>,
  opts: { clock: Clock; timeoutMs: number; abort: AbortController },
): Promise<void> {
  const { signal } = opts.abort;
  return new Promise<void>((resolve, reject) => {
    let settled = false;
    const settle = (err?: unknown) => {
      if (settled) return;
      settled = true;
      opts.clock.clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      if (err) reject(err);
      else resolve();
    };
    const timer = opts.clock.setTimeout(() => {
      settle(new StartupFailure('timeout', `within the startup timeout of ${opts.timeoutMs} ms`));
      opts.abort.abort();
    }, opts.timeoutMs);
    const onAbort = () => settle(new StartupFailure('aborted', 'start aborted'));
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort);
    open.then(
      () => settle(),
      (err: unknown) => settle(err ?? new Error('the start failed')),
    );
  });
}
