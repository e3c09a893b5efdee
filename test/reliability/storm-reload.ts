import { echoStorm, type CallRecord, type RpcChannel } from './storm-calls.js';

/** One restart as the engine reports it. */
export interface RestartSpan {
  startedAt: number;
  durationMs: number;
}

export interface ReloadOptions {
  channels: RpcChannel[];
  restarts: number;
  drainTimeoutMs: number;
  concurrency: number;
  callBoundMs: number;
  /** No restart and no call starts after this (ms since the epoch). */
  deadline: number;
  /** Writes version `r` to the watched file; resolves with that restart once it is over. */
  restartOnce: (r: number) => Promise<RestartSpan>;
}

export interface ReloadResult {
  records: CallRecord[];
  spans: RestartSpan[];
  /** Why the restarts stopped early: one sat out its drain timeout, or one never came. */
  stalled: string | undefined;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * File-change restarts one after another (each as soon as the last is over, or a moment later),
 * with calls from every channel all along; every seventh call is `slow`, so that a restart mostly
 * finds a request in flight to drain while new ones arrive and are held.
 */
export async function reloadStorm(o: ReloadOptions): Promise<ReloadResult> {
  const spans: RestartSpan[] = [];
  let stalled: string | undefined;
  let writing = true;
  const writer = (async () => {
    for (let r = 1; r <= o.restarts && Date.now() < o.deadline; r++) {
      const span = await o.restartOnce(r);
      spans.push(span);
      // One restart that sat out its drain timeout is the failure looked for: stop there, so the
      // storm stays bounded (hundreds of them would take hours).
      if (span.durationMs >= o.drainTimeoutMs) return void (stalled = `restart ${r}: ${span.durationMs} ms`);
      await sleep(Math.random() * 100);
    }
  })()
    .catch((err: Error) => void (stalled = err.message))
    .finally(() => (writing = false));
  const records = await echoStorm({
    channels: o.channels,
    calls: 1_000_000, // bounded by the writer, the deadline and the test's timeout
    concurrency: o.concurrency,
    gapMs: 10,
    timeoutMs: o.callBoundMs,
    deadline: o.deadline,
    stop: () => !writing,
    slow: { every: 7, ms: 150 },
  });
  await writer;
  return { records, spans, stalled };
}
