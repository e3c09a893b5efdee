/** The signals that ask a command to stop, and the exit code each one ends with (128 + N). */
export const STOP_SIGNALS = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 } as const;

/**
 * Calls `onStop` on the first stop signal. A second one means the person will not wait: `lastResort`
 * runs (kill the servers' process groups) and the process exits at once. Returns an unsubscribe.
 */
export function onStopSignals(
  onStop: (signal: keyof typeof STOP_SIGNALS, exitCode: number) => void,
  lastResort: () => void,
): () => void {
  let received = false;
  const listeners = Object.entries(STOP_SIGNALS).map(([signal, code]) => {
    const listener = () => {
      if (received) {
        lastResort();
        process.exit(code);
      }
      received = true;
      onStop(signal as keyof typeof STOP_SIGNALS, code);
    };
    process.on(signal, listener);
    return [signal, listener] as const;
  });
  return () => {
    for (const [signal, listener] of listeners) process.off(signal, listener);
  };
}
