import type { JsonRpcResponse } from '../helpers/stdio-rpc-client.js';
import { textOf } from '../integration/run-harness.js';
import { reasonOf } from './storm-calls.js';
import { killBelow } from './storm-proc-tree.js';

/** Where the server is now: its pid (from the fixture's `version` tool) or why there is none. */
export interface ServerNow {
  pid?: number;
  reason?: string;
}

/** Reads the `version` tool's reply: `{ version, pid }`, or the engine's error reason. */
export function serverNowFrom(reply: JsonRpcResponse): ServerNow {
  if (reply.error) return { reason: reasonOf(reply.error) };
  return { pid: (JSON.parse(textOf(reply)) as { pid: number }).pid };
}

export interface KillerOptions {
  /** The process this test started (serve, run): only processes below it running `script` are killed. */
  root: number;
  script: string;
  /** Asks the server for its pid; the call waits while the server restarts. */
  now: () => Promise<ServerNow>;
  /** Brings the server back after a crash loop (a watched file write, a restart through the API). */
  revive: () => Promise<unknown>;
  /** The error reason `now()` gets from a server that gave up after a crash loop (`crash_loop`, over run and serve alike). */
  givenUp: string;
  intervalMs: number;
  maxKills: number;
  deadline: number;
  done: () => boolean;
}

export interface KillerFigures {
  kills: number;
  revives: number;
  killed: number[];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * SIGKILLs the server every `intervalMs` (plus the time it takes to come back and say its pid),
 * until `done()`, the deadline or `maxKills`. Five crashes within a minute are a crash loop: the
 * engine then stops restarting, so the storm revives it (as a person would) and goes on.
 */
export async function killLoop(o: KillerOptions): Promise<KillerFigures> {
  const figures: KillerFigures = { kills: 0, revives: 0, killed: [] };
  while (!o.done() && Date.now() < o.deadline && figures.kills < o.maxKills) {
    await sleep(o.intervalMs);
    const now = await o.now().catch((): ServerNow => ({}));
    if (o.done()) break;
    if (now.pid !== undefined && !figures.killed.includes(now.pid) && killBelow(o.root, now.pid, o.script)) {
      figures.kills++;
      figures.killed.push(now.pid);
    } else if (now.reason === o.givenUp) {
      figures.revives++;
      await o.revive().catch(() => undefined);
    }
  }
  return figures;
}
