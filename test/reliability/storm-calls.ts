import { EngineErrors } from '../../electron/shared/errors.js';
import type { JsonRpcResponse } from '../helpers/stdio-rpc-client.js';
import { textOf } from '../integration/run-harness.js';

/** One surface's way to send a request and hear its reply (HTTP session, connect child, run child). */
export interface RpcChannel {
  readonly label: string;
  /** Rejects with HungError when no reply came within `timeoutMs`, with another error when the transport broke. */
  request(method: string, params: unknown, timeoutMs: number): Promise<JsonRpcResponse>;
  /** Replies nobody waited for: ids never sent (`unknown`) and second replies to one id (`duplicate`). */
  strays(): { unknown: number; duplicate: number };
}

export class HungError extends Error {}

export type Outcome = 'ok' | 'error' | 'hung' | 'lost' | 'misrouted';

export interface CallRecord {
  channel: string;
  start: number;
  end: number;
  outcome: Outcome;
  /** `data.reason` of an error reply, else `code N`. */
  reason?: string;
  detail?: string;
}

export interface StormOptions {
  channels: RpcChannel[];
  /** Upper bound on calls in all. */
  calls: number;
  concurrency: number;
  /** Pause between one worker's calls, so the calls spread over the storm instead of one burst. */
  gapMs: number;
  /** A call with no reply by then counts as hung. */
  timeoutMs: number;
  /** No call starts after this (ms since the epoch). */
  deadline: number;
  /** Ends the storm early (e.g. when the restarts are all done). */
  stop?: () => boolean;
  /** Every `every`-th call is `slow` (`ms`), so that a restart often finds requests in flight to drain. */
  slow?: { every: number; ms: number };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** `echo` calls with unique texts (some `slow` ones) from `concurrency` workers, bounded in count and time. */
export async function echoStorm(opts: StormOptions): Promise<CallRecord[]> {
  const records: CallRecord[] = [];
  let next = 0;
  const worker = async (w: number) => {
    while (next < opts.calls && Date.now() < opts.deadline && !opts.stop?.()) {
      const i = next++;
      const channel = opts.channels[i % opts.channels.length]!;
      const slow = opts.slow && i % opts.slow.every === 0 ? opts.slow.ms : undefined;
      const record = await callOnce(channel, `${channel.label}#${i}/w${w}`, slow, opts.timeoutMs);
      records.push(record);
      // After an error a client pauses, as a retrying one would: else a server that gave up turns
      // the storm into a spin of instant errors.
      const pause = record.outcome === 'ok' ? opts.gapMs : Math.max(opts.gapMs, 100);
      if (pause > 0) await sleep(pause * (0.5 + Math.random()));
    }
  };
  await Promise.all(Array.from({ length: opts.concurrency }, (_, w) => worker(w)));
  return records;
}

/** `echo` answers with its text, `slow` with "done": anything else went to the wrong caller. */
async function callOnce(
  channel: RpcChannel,
  echo: string,
  slowMs: number | undefined,
  timeoutMs: number,
): Promise<CallRecord> {
  const start = Date.now();
  const base = { channel: channel.label, start };
  const [params, text] =
    slowMs === undefined
      ? [{ name: 'echo', arguments: { text: echo } }, echo]
      : [{ name: 'slow', arguments: { ms: slowMs } }, 'done'];
  try {
    const reply = await channel.request('tools/call', params, timeoutMs);
    const end = Date.now();
    if (reply.error) return { ...base, end, outcome: 'error', reason: reasonOf(reply.error) };
    const got = textOf(reply);
    if (got !== text)
      return { ...base, end, outcome: 'misrouted', detail: `sent ${text}, got ${got.slice(0, 80)}` };
    return { ...base, end, outcome: 'ok' };
  } catch (err) {
    const outcome = err instanceof HungError ? 'hung' : 'lost';
    return { ...base, end: Date.now(), outcome, detail: (err as Error).message };
  }
}

export function reasonOf(error: NonNullable<JsonRpcResponse['error']>): string {
  const reason = (error.data as { reason?: unknown } | undefined)?.reason;
  return typeof reason === 'string' ? reason : `code ${error.code}`;
}

/** Every `data.reason` the engine documents (README "Errors Switchboard returns"). */
export const ENGINE_REASONS: ReadonlySet<string> = new Set(Object.values(EngineErrors).map((e) => e.reason));

/** Stray replies over all channels. */
export function strayTotals(channels: readonly RpcChannel[]): { unknown: number; duplicate: number } {
  const strays = channels.map((c) => c.strays());
  return {
    unknown: strays.reduce((n, s) => n + s.unknown, 0),
    duplicate: strays.reduce((n, s) => n + s.duplicate, 0),
  };
}

export interface StormSummary {
  calls: number;
  ok: number;
  errors: Record<string, number>;
  hung: number;
  lost: number;
  misrouted: number;
  maxMs: number;
}

export function summarize(records: readonly CallRecord[]): StormSummary {
  const summary: StormSummary = { calls: 0, ok: 0, errors: {}, hung: 0, lost: 0, misrouted: 0, maxMs: 0 };
  for (const r of records) {
    summary.calls++;
    summary.maxMs = Math.max(summary.maxMs, r.end - r.start);
    if (r.outcome === 'error') summary.errors[r.reason!] = (summary.errors[r.reason!] ?? 0) + 1;
    else summary[r.outcome]++;
  }
  return summary;
}

export function formatSummary(s: StormSummary): string {
  const errors = Object.entries(s.errors)
    .map(([reason, n]) => `${reason}:${n}`)
    .join(',');
  return `calls=${s.calls} ok=${s.ok} errors={${errors}} hung=${s.hung} lost=${s.lost} misrouted=${s.misrouted} maxMs=${s.maxMs}`;
}

/** The first few records that are neither results nor documented errors, for assertion messages. */
export function badSamples(records: readonly CallRecord[], limit = 5): string[] {
  return records
    .filter((r) => r.outcome !== 'ok' && !(r.outcome === 'error' && ENGINE_REASONS.has(r.reason!)))
    .slice(0, limit)
    .map((r) => `${r.channel} ${r.outcome} after ${r.end - r.start} ms: ${r.reason ?? r.detail ?? ''}`);
}
