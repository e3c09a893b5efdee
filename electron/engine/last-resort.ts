/**
 * The last resort: an error nothing caught (a bug, a library's stray callback) is logged, through
 * the engine's masked log, and the engine keeps serving every other client and server instead of
 * exiting. Returns the uninstaller.
 */
export function keepServingThroughInternalErrors(log: (line: string) => void): () => void {
  const report = (what: string) => (err: unknown) => {
    const detail = err instanceof Error ? (err.stack ?? err.message) : String(err);
    log(`internal error (${what}), kept running; please report it: ${detail}`);
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
