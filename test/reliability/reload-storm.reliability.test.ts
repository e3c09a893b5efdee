import { describe, expect, it } from 'vitest';
import { StdioRpcClient } from '../helpers/stdio-rpc-client.js';
import { makeWorkspace, startRun, SWITCHBOARD, waitUntil } from '../integration/run-harness.js';
import { startServe, untilServers } from '../integration/serve-harness.js';
import { scaled } from './scale.js';
import { cleanupAfterEach } from './storm-cleanup.js';
import { badSamples, formatSummary, strayTotals, summarize, type RpcChannel } from './storm-calls.js';
import { EventReader } from './storm-events.js';
import { checkHeld } from './storm-held.js';
import { HttpMcpSession } from './storm-http-session.js';
import { reloadStorm, type ReloadResult } from './storm-reload.js';
import { openStdioChannel } from './storm-stdio-channel.js';

// Issue 18 item 3: file-change restarts one after another while calls keep coming. Calls sent
// during a restart are held and go through: every one gets its result, once, and no restart waits
// for its drain timeout (only requests already sent to the old process may delay it).

const RESTARTS = scaled(25, 200);
const DRAIN_TIMEOUT_MS = 30_000;
const CONCURRENCY = scaled(6, 12);
const CALL_BOUND_MS = 60_000;
/** How much longer than the restarts it overlapped a call may take (a busy two-core machine). */
const HELD_SLACK_MS = 5_000;
/** Safety bound on the storm; the test's own timeout is 300 s. */
const STORM_BOUND_MS = scaled(100_000, 260_000);
/** Errors a file-change restart may give (README "What happens on a restart"); none expected here. */
const DOCUMENTED = new Set(['server_restarted', 'buffer_full']);

const cleanup = cleanupAfterEach();

/** The figure line, then what must hold whatever the surface. */
function check(surface: string, channels: RpcChannel[], { records, spans, stalled }: ReloadResult) {
  const summary = summarize(records);
  const held = checkHeld(records, spans, HELD_SLACK_MS);
  const { unknown, duplicate } = strayTotals(channels);
  console.log(
    `[reload-storm] ${surface}: ${formatSummary(summary)} unknownIds=${unknown} duplicates=${duplicate} ` +
      `restarts=${spans.length} longestRestartMs=${Math.max(0, ...spans.map((s) => s.durationMs))} ` +
      `maxHeldMs=${held.maxHeldMs}${stalled ? ` stalled=(${stalled})` : ''}`,
  );
  // A restart that waits for requests that were only held (never sent) lasts exactly the drain timeout.
  expect(spans.filter((s) => s.durationMs >= DRAIN_TIMEOUT_MS).map((s) => s.durationMs)).toEqual([]);
  expect(stalled).toBeUndefined();
  expect(spans.length, 'restarts (one per version written)').toBe(RESTARTS);
  expect(badSamples(records), 'calls without a result or an engine error').toEqual([]);
  expect(summary).toMatchObject({ hung: 0, lost: 0, misrouted: 0 });
  expect(Object.keys(summary.errors).filter((reason) => !DOCUMENTED.has(reason))).toEqual([]);
  expect({ unknown, duplicate }).toEqual({ unknown: 0, duplicate: 0 });
  expect(held.overdue.slice(0, 5)).toEqual([]);
  expect(summary.ok).toBeGreaterThan(RESTARTS);
}

/** What every storm here is bounded by (the deadline counts from now). */
const stormBounds = () => ({
  restarts: RESTARTS,
  drainTimeoutMs: DRAIN_TIMEOUT_MS,
  concurrency: CONCURRENCY,
  callBoundMs: CALL_BOUND_MS,
  deadline: Date.now() + STORM_BOUND_MS,
});

describe('reload storm', () => {
  it('serve: back-to-back file-change restarts under concurrent calls lose, double and stall nothing', async () => {
    const ws = makeWorkspace('v0');
    cleanup(() => ws.dispose());
    const engine = await startServe({
      echo: {
        command: process.execPath,
        args: [ws.server],
        cwd: ws.dir,
        env: { FIXTURE_VERSION_FILE: ws.versionFile },
        watch: [ws.versionFile],
        debounceMs: 60,
        drainTimeoutMs: DRAIN_TIMEOUT_MS,
      },
    });
    cleanup(() => engine.stop());
    await untilServers(engine, (s) => s.some((x) => x.name === 'echo' && x.state === 'ready'), 'echo');
    const events = await EventReader.open(engine.url, engine.token);
    cleanup(() => events.close());
    const sessions = await Promise.all(
      [1, 2, 3].map((i) => HttpMcpSession.open(`${engine.url}/mcp/echo`, `http${i}`)),
    );
    cleanup(() => Promise.all(sessions.map((s) => s.close())));
    const child = StdioRpcClient.spawn(process.execPath, [SWITCHBOARD, 'connect', 'echo'], {
      env: { SWITCHBOARD_HOME: engine.home },
    });
    cleanup(() => child.close());
    const channels: RpcChannel[] = [...sessions, await openStdioChannel('connect', child)];

    const result = await reloadStorm({
      channels,
      ...stormBounds(),
      restartOnce: async (r) => {
        const before = events.restarts('echo').length;
        ws.setVersion(`v${r}`);
        const what = `restart ${r} on /events`;
        await events.until(() => events.restarts('echo').length > before, DRAIN_TIMEOUT_MS + 20_000, what);
        return events.restarts('echo').at(-1)!;
      },
    });

    check('serve', channels, result);
    const restarts = events.restarts('echo');
    expect(restarts.filter((r) => r.outcome !== 'ready' || r.cause.kind !== 'file')).toEqual([]);
  });

  it('run: back-to-back file-change restarts under concurrent calls lose, double and stall nothing', async () => {
    const ws = makeWorkspace('v0');
    cleanup(() => ws.dispose());
    const client = startRun(ws, ['--debounce', '60', '--drain-timeout', String(DRAIN_TIMEOUT_MS)]);
    cleanup(() => client.close());
    const run = await openStdioChannel('run', client);
    // `run` reports each restart on stderr: "restarted NAME (file version.txt changed) ready in N ms".
    const done = () => client.stderrLines.filter((l) => /\] restarted .* ready in \d+ ms/.test(l));
    const failed = () => client.stderrLines.filter((l) => /\] restart of .* failed/.test(l));

    const result = await reloadStorm({
      channels: [run],
      ...stormBounds(),
      restartOnce: async (r) => {
        const before = done().length;
        ws.setVersion(`v${r}`);
        await waitUntil(() => done().length > before, DRAIN_TIMEOUT_MS + 20_000, `restart ${r} on stderr`);
        // Read as it arrives (every 20 ms): it ended about now, and began its duration earlier.
        const durationMs = Number(/ready in (\d+) ms/.exec(done().at(-1)!)![1]);
        return { startedAt: Date.now() - durationMs, durationMs };
      },
    });

    check('run', [run], result);
    expect(failed()).toEqual([]);
    expect((await client.close(15_000)).code).toBe(0);
  });
});
