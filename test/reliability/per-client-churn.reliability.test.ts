import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isAlive, REPO, waitUntil } from '../integration/run-harness.js';
import { startServe, untilServers } from '../integration/serve-harness.js';
import { scaled } from './scale.js';
import { cleanupAfterEach } from './storm-cleanup.js';
import { HttpMcpSession } from './storm-http-session.js';
import { descendantsOf } from './storm-proc-tree.js';
import { mib, rssBytes } from './storm-proc-usage.js';

// Issue 21: client sessions opened and ended again and again on a per-client server. Each gets a
// process of its own; once its session ends, nothing of it may stay behind.

const SESSIONS = scaled(40, 1000);
const AT_ONCE = 4;
/** Sessions before the baseline, at the same concurrency: pools and compiled code grow, then stay. */
const WARM_UP = 24;
/**
 * A leak check, not timing: the second half of the sessions may not grow the engine by more than
 * 10 % of where the first half left it (V8 keeps what a first burst of work made it grow by).
 */
const rssBound = (half: number) => half * 1.1;
const CHURN_BOUND_MS = scaled(90_000, 600_000);
const RAW_SERVER = path.join(REPO, 'test/fixtures/raw-server.mjs');

const cleanup = cleanupAfterEach();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.skipIf(process.platform !== 'linux')('per-client churn', () => {
  it('sessions opened and ended on a per-client server leave no process and no memory behind', async () => {
    const engine = await startServe({
      own: { command: process.execPath, args: [RAW_SERVER], sessions: 'per-client' },
    });
    cleanup(() => engine.stop());
    const enginePid = engine.child.pid!;
    await untilServers(engine, (s) => s[0]?.state === 'ready', 'own ready');
    const shared = new Set(descendantsOf(enginePid)); // the shared upstream, for the aggregated view
    const url = `${engine.url}/mcp/own`;
    const seen = new Set<number>();
    const problems: string[] = [];

    /** One session: initialize (its process starts), a call, DELETE (its process goes). */
    const session = async (label: string) => {
      const s = await HttpMcpSession.open(url, label);
      for (const pid of descendantsOf(enginePid)) if (!shared.has(pid)) seen.add(pid);
      const reply = await s.request('tools/list', {}, 30_000);
      if (!reply.result) problems.push(`${label}: ${JSON.stringify(reply)}`);
      await s.close();
    };
    const settled = async () => {
      await waitUntil(
        () => descendantsOf(enginePid).every((pid) => shared.has(pid)),
        10_000,
        'only the shared upstream left',
      );
      await sleep(1000);
      return rssBytes(enginePid);
    };

    /** `count` sessions, AT_ONCE at a time; the number done. */
    const churn = async (count: number, prefix: string, deadline: number) => {
      let next = 0;
      await Promise.all(
        Array.from({ length: AT_ONCE }, async () => {
          while (next < count && Date.now() < deadline && problems.length < 10)
            await session(`${prefix}${next++}`);
        }),
      );
      return next;
    };
    await churn(WARM_UP, 'warm-up ', Date.now() + CHURN_BOUND_MS);
    const before = await settled();
    const deadline = Date.now() + CHURN_BOUND_MS;
    const first = await churn(SESSIONS / 2, 'a', deadline);
    const half = await settled();
    const next = first + (await churn(SESSIONS / 2, 'b', deadline));
    const after = await settled();
    const orphans = [...seen].filter(isAlive);
    console.log(
      `[per-client churn] sessions=${next} own processes=${seen.size} orphans=${orphans.length} ` +
        `rssMiB ${mib(before)}->${mib(half)}->${mib(after)}`,
    );

    expect(problems).toEqual([]);
    expect(next).toBe(SESSIONS);
    expect(seen.size).toBeGreaterThanOrEqual(SESSIONS); // each session had a process of its own
    expect(orphans, 'processes of ended sessions still alive').toEqual([]);
    expect(after).toBeLessThanOrEqual(rssBound(half));
  });
});
