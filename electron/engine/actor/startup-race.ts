import type { Clock } from '../flow/clock.js';
import type { ExitInfo } from '../process/types.js';
import { describeCause } from '../../shared/events.js';

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
 * Waits for the connection to initialize, whichever comes first: success, the process exiting,
 * the startup timeout, or an abort (stop requested).
 */
export function raceStartup(
  attach: Promise<void>,
  exited: Promise<ExitInfo>,
  opts: { clock: Clock; timeoutMs: number; signal: AbortSignal },
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let settled = false;
    const settle = (err?: StartupFailure) => {
      if (settled) return;
      settled = true;
      opts.clock.clearTimeout(timer);
      opts.signal.removeEventListener('abort', onAbort);
      if (err) reject(err);
      else resolve();
    };
    const timer = opts.clock.setTimeout(
      () =>
        settle(new StartupFailure('timeout', `not ready within the startup timeout of ${opts.timeoutMs} ms`)),
      opts.timeoutMs,
    );
    const onAbort = () => settle(new StartupFailure('aborted', 'start aborted'));
    if (opts.signal.aborted) return onAbort();
    opts.signal.addEventListener('abort', onAbort);
    attach.then(
      () => settle(),
      (err: unknown) =>
        settle(new StartupFailure('attach', `initialize failed: ${(err as Error).message ?? String(err)}`)),
    );
    exited.then((info) =>
      settle(
        new StartupFailure(
          'exited',
          `exited during startup (${describeCause({ kind: 'exit', code: info.code, signal: info.signal })})`,
        ),
      ),
    );
  });
}
