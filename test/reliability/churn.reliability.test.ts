import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ECHO_SERVER, isAlive, REPO, waitUntil } from '../integration/run-harness.js';
import { startServe, untilServers } from '../integration/serve-harness.js';
import { scaled } from './scale.js';
import { cleanupAfterEach } from './storm-cleanup.js';
import { controlOf } from './storm-control.js';
import { descendantsOf } from './storm-proc-tree.js';
import { fdCount, mib, rssBytes } from './storm-proc-usage.js';

// Issue 18 item 3: servers started and stopped again and again through the control API. Nothing
// may stay behind (processes, file descriptors, memory) once they are stopped and the engine ends.

const CYCLES = scaled(60, 1000);
const WARM_UP_CYCLES = 3; // per server: first spawns load code and grow pools that then stay
const FD_SLACK = 4;
/** Leak checks, not timing: a leak of 100 KiB a cycle would pass 1000 cycles at 100 MiB. */
const RSS_SLACK_BYTES = scaled(48, 64) * 1024 * 1024;
const CHURN_BOUND_MS = scaled(90_000, 270_000);
const RAW_SERVER = path.join(REPO, 'test/fixtures/raw-server.mjs');

// The SDK fixture with a grandchild (a process group to take down), and dependency-free servers
// that start in a few tens of ms, so that a thousand cycles fit the test's time.
const servers: Record<string, unknown> = {
  grand: { command: process.execPath, args: [ECHO_SERVER], env: { FIXTURE_GRANDCHILD: '1' } },
  raw1: { command: process.execPath, args: [RAW_SERVER] },
  raw2: { command: process.execPath, args: [RAW_SERVER] },
  raw3: { command: process.execPath, args: [RAW_SERVER] },
};
for (const entry of Object.values(servers)) (entry as { autoStart: boolean }).autoStart = false;

const cleanup = cleanupAfterEach();

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.skipIf(process.platform !== 'linux')('churn', () => {
  it('start/stop cycles through the control API leave no process, fd or memory behind', async () => {
    const engine = await startServe(servers);
    cleanup(() => engine.stop());
    const enginePid = engine.child.pid!;
    const { call } = controlOf(engine);
    await untilServers(engine, (s) => s.length === 4 && s.every((x) => x.state === 'stopped'), 'stopped');
    const seen = new Set<number>();
    const problems: string[] = [];

    /** One cycle: start (answers once ready), note the processes, stop (answers once gone). */
    const cycle = async (name: string) => {
      const started = await call<{ state: string }>('POST', `/api/v1/servers/${name}/start`);
      if (started.body.state !== 'ready') problems.push(`${name} start: ${JSON.stringify(started.body)}`);
      for (const pid of descendantsOf(enginePid)) seen.add(pid);
      const stopped = await call<{ state: string }>('POST', `/api/v1/servers/${name}/stop`);
      if (stopped.body.state !== 'stopped') problems.push(`${name} stop: ${JSON.stringify(stopped.body)}`);
    };
    const settled = async () => {
      await waitUntil(() => descendantsOf(enginePid).length === 0, 10_000, 'no server process left');
      await sleep(1000); // let sockets close and timers fire before reading the figures
      return { fds: fdCount(enginePid), rss: rssBytes(enginePid) };
    };

    for (let i = 0; i < WARM_UP_CYCLES; i++) await Promise.all(Object.keys(servers).map(cycle));
    const before = await settled();

    // One worker per server, all at once; each takes the next cycle while any is left.
    let next = 0;
    const deadline = Date.now() + CHURN_BOUND_MS;
    const counts: Record<string, number> = {};
    await Promise.all(
      Object.keys(servers).map(async (name) => {
        while (next < CYCLES && Date.now() < deadline && problems.length < 10) {
          next++;
          await cycle(name);
          counts[name] = (counts[name] ?? 0) + 1;
        }
      }),
    );
    const after = await settled();
    const orphansWhileUp = [...seen].filter(isAlive);

    engine.child.kill('SIGTERM');
    const code = await new Promise<number | null>((resolve) => engine.child.once('exit', resolve));
    await waitUntil(() => [...seen].every((pid) => !isAlive(pid)), 10_000, 'every server process gone').catch(
      () => undefined,
    );
    const orphans = [...seen].filter(isAlive);
    console.log(
      `[churn] cycles=${next} (${Object.entries(counts)
        .map(([n, c]) => `${n}:${c}`)
        .join(',')}) pids=${seen.size} orphans=${orphans.length} (while up ${orphansWhileUp.length}) ` +
        `fds ${before.fds}->${after.fds} rssMiB ${mib(before.rss)}->${mib(after.rss)}`,
    );

    expect(problems).toEqual([]);
    expect(next).toBe(CYCLES);
    expect(orphansWhileUp, 'processes of stopped servers still alive').toEqual([]);
    expect(code).toBe(143);
    expect(orphans, 'processes alive after SIGTERM to serve').toEqual([]);
    expect(seen.size).toBeGreaterThanOrEqual(CYCLES); // each cycle had its own process
    expect(after.fds).toBeLessThanOrEqual(before.fds + FD_SLACK);
    expect(after.rss).toBeLessThanOrEqual(before.rss + RSS_SLACK_BYTES);
  });
});
