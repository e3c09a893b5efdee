/** Reports allowed per minute; past that they are counted, not written (see below). */
const MAX_REPORTS_PER_MINUTE = 10;

/**
 * The last resort: an error nothing caught (a bug, a library's stray callback) is logged, through
 * the engine's masked log, and the engine keeps serving every other client and server instead of
 * exiting. Bounded: an error the report itself causes (a log whose stream is gone) must not turn
 * into a loop that spins a core, so past 10 a minute reports are only counted. Returns the
 * uninstaller.
 */
export function keepServingThroughInternalErrors(
  log: (line: string) => void,
  now: () => number = Date.now,
): () => void {
  let windowStart = 0;
  let reported = 0;
  let suppressed = 0;
  const report = (what: string) => (err: unknown) => {
    const at = now();
    if (at - windowStart >= 60_000) {
      windowStart = at;
      reported = 0;
    }
    if (reported >= MAX_REPORTS_PER_MINUTE) {
      suppressed++;
      return;
    }
    reported++;
    const detail = err instanceof Error ? (err.stack ?? err.message) : String(err);
    const more = suppressed > 0 ? ` (${suppressed} more were not logged)` : '';
    suppressed = 0;
    try {
      log(`internal error (${what}), kept running; please report it${more}: ${detail}`);
    } catch {
      // nowhere to say it: keep serving all the same
    }
  };
  const onException = report('uncaught exception');
  const onRejection = report('unhandled rejection');
  process.on('uncaughtException', onException);
  process.on('unhandledRejection', onRejection);
  return () => {
    process.off('uncaughtException', onException);
    process.off('unhandledRejection', onRejection);
  };
}
