import { describe, expect, it } from 'vitest';
import { StdioRpcClient } from '../helpers/stdio-rpc-client.js';
import {
  ECHO_SERVER,
  isAlive,
  makeWorkspace,
  startRun,
  SWITCHBOARD,
  waitUntil,
} from '../integration/run-harness.js';
import { startServe, untilServers } from '../integration/serve-harness.js';
import { scaled } from './scale.js';
import { cleanupAfterEach } from './storm-cleanup.js';
import {
  badSamples,
  echoStorm,
  formatSummary,
  strayTotals,
  summarize,
  type CallRecord,
  type RpcChannel,
} from './storm-calls.js';
import { controlOf } from './storm-control.js';
import { HttpMcpSession } from './storm-http-session.js';
import { killLoop, serverNowFrom, type KillerFigures } from './storm-killer.js';
import { openStdioChannel } from './storm-stdio-channel.js';

// Issue 18 item 3: calls while the server is SIGKILLed again and again, through every surface.
// Each call must end in a result or an engine error, within a bound, answered once, to its caller.

const CALLS = scaled(200, 10_000); // per surface
const CONCURRENCY = scaled(8, 48);
/** Pause between one worker's calls: small runs spread few calls over many kills. */
const GAP_MS = scaled(160, 10);
/** A safety bound on the whole storm (calls held through restarts stretch it); under the 300 s test timeout. */
const STORM_BOUND_MS = scaled(120_000, 250_000);
const CALL_BOUND_MS = 60_000;
const KILL_EVERY_MS = 200;
const SCRIPT = 'echo-server.mjs';

const cleanup = cleanupAfterEach();

function storm(channels: RpcChannel[], stormDeadline: number): Promise<CallRecord[]> {
  return echoStorm({
    channels,
    calls: CALLS,
    concurrency: CONCURRENCY,
    gapMs: GAP_MS,
    timeoutMs: CALL_BOUND_MS,
    deadline: stormDeadline,
  });
}

/** The figure line, then what must hold for one surface. */
function check(surface: string, records: CallRecord[], channels: RpcChannel[], kills: KillerFigures) {
  const summary = summarize(records);
  const { unknown, duplicate } = strayTotals(channels);
  console.log(
    `[kill-storm] ${surface}: ${formatSummary(summary)} unknownIds=${unknown} duplicates=${duplicate} ` +
      `kills=${kills.kills} revives=${kills.revives}`,
  );
  expect(badSamples(records), `${surface}: calls without a result or an engine error`).toEqual([]);
  expect(summary).toMatchObject({ calls: CALLS, hung: 0, lost: 0, misrouted: 0 });
  expect({ unknown, duplicate }).toEqual({ unknown: 0, duplicate: 0 });
  expect(summary.ok).toBeGreaterThan(0);
}

describe.skipIf(process.platform !== 'linux')('kill storm', () => {
  it('serve: /mcp/echo sessions and a `connect` child while the server is SIGKILLed every ~200 ms', async () => {
    const engine = await startServe({ echo: { command: process.execPath, args: [ECHO_SERVER] } });
    cleanup(() => engine.stop());
    await untilServers(engine, (s) => s.some((x) => x.name === 'echo' && x.state === 'ready'), 'echo');
    const sessions = await Promise.all(
      [1, 2, 3, 4].map((i) => HttpMcpSession.open(`${engine.url}/mcp/echo`, `http${i}`)),
    );
    cleanup(() => Promise.all(sessions.map((s) => s.close())));
    const child = StdioRpcClient.spawn(process.execPath, [SWITCHBOARD, 'connect', 'echo'], {
      env: { SWITCHBOARD_HOME: engine.home },
    });
    cleanup(() => child.close());
    const connect = await openStdioChannel('connect', child);
    const control = controlOf(engine);

    const deadline = Date.now() + STORM_BOUND_MS;
    let done = false;
    const killer = killLoop({
      root: engine.child.pid!,
      script: SCRIPT,
      now: async () => serverNowFrom(await control.tool('echo', 'version')),
      // Five crashes in a minute are a crash loop; a restart through the API ends it.
      revive: () => control.call('POST', '/api/v1/servers/echo/restart'),
      givenUp: 'crash_loop',
      intervalMs: KILL_EVERY_MS,
      maxKills: CALLS,
      deadline,
      done: () => done,
    });
    const [http, bridged] = await Promise.all([storm(sessions, deadline), storm([connect], deadline)]);
    done = true;
    const kills = await killer;

    check('serve /mcp/echo', http, sessions, kills);
    check('serve connect', bridged, [connect], kills);
    expect(kills.kills).toBeGreaterThanOrEqual(scaled(10, 50));
    await waitUntil(() => kills.killed.every((pid) => !isAlive(pid)), 10_000, 'killed servers to be gone');
  });

  it('run: `switchboard run -- node echo-server.mjs` while its server is SIGKILLed every ~200 ms', async () => {
    const ws = makeWorkspace('v1');
    cleanup(() => ws.dispose());
    const client = startRun(ws, ['--debounce', '60']);
    cleanup(() => client.close());
    const run = await openStdioChannel('run', client);

    const deadline = Date.now() + STORM_BOUND_MS;
    let done = false;
    let version = 1;
    const killer = killLoop({
      root: client.pid,
      script: SCRIPT,
      now: async () =>
        serverNowFrom(await run.request('tools/call', { name: 'version', arguments: {} }, 30_000)),
      // `run` leaves a crash loop when a watched file changes: the workspace is watched.
      revive: async () => ws.setVersion(`v${++version}`),
      givenUp: 'crash_loop',
      intervalMs: KILL_EVERY_MS,
      maxKills: CALLS,
      deadline,
      done: () => done,
    });
    const records = await storm([run], deadline);
    done = true;
    const kills = await killer;

    check('run', records, [run], kills);
    expect(kills.kills).toBeGreaterThanOrEqual(scaled(10, 50));
    expect((await client.close(15_000)).code).toBe(0);
    await waitUntil(() => kills.killed.every((pid) => !isAlive(pid)), 10_000, 'killed servers to be gone');
  });
});
