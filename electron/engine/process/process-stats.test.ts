import { afterEach, describe, expect, it } from 'vitest';
import { NodeProcessSpawner } from './process-runner.js';
import { parseCpuTime, ProcessUsageSampler, readGroupsTotals, readGroupTotals } from './process-stats.js';
import type { RunningProcess } from './types.js';

const started: RunningProcess[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((p) => p.stop(1000)));
});

async function start(script: string): Promise<RunningProcess> {
  const proc = await new NodeProcessSpawner().spawn({ command: process.execPath, args: ['-e', script] });
  started.push(proc);
  return proc;
}

// Real processes on a machine that may be busy with other work: nothing here depends on how much CPU
// a process gets in a given time. Waits are for things that must happen (a busy loop burns CPU, a
// spawned grandchild shows up, a killed group goes), bounded only so a failure says what it waited
// for: far beyond what a loaded machine needs, within vitest's test timeout.
const EVENTUALLY = { timeout: 25_000, interval: 50 };

describe.runIf(process.platform === 'linux')('process usage (real processes)', () => {
  it('reads a busy process group as using CPU, and higher than an idle one', async () => {
    const busy = await start('for (;;) {}');
    const idle = await start('setInterval(() => {}, 1000)');
    const busySampler = new ProcessUsageSampler(busy.pid);
    const idleSampler = new ProcessUsageSampler(idle.pid);
    // The first sample has no interval to measure yet.
    expect((await busySampler.sample())?.cpuPercent).toBe(0);
    expect((await idleSampler.sample())?.cpuPercent).toBe(0);
    // Until the busy loop has had 500 ms of CPU, however long that takes on a loaded machine. An idle
    // Node process uses a fraction of that in all (its start-up included), so over the same interval
    // the busy group must read higher, whatever share of the cores either one was given.
    const startCpu = (await readGroupTotals(busy.pid))!.cpuMs;
    await expect
      .poll(async () => (await readGroupTotals(busy.pid))!.cpuMs - startCpu, EVENTUALLY)
      .toBeGreaterThanOrEqual(500);
    const busyUsage = (await busySampler.sample())!;
    const idleUsage = (await idleSampler.sample())!;
    for (const usage of [busyUsage, idleUsage]) {
      expect(Number.isFinite(usage.cpuPercent)).toBe(true);
      expect(usage.cpuPercent).toBeGreaterThanOrEqual(0);
      expect(usage.processes).toBe(1);
    }
    expect(busyUsage.cpuPercent).toBeGreaterThan(0);
    expect(busyUsage.cpuPercent).toBeGreaterThan(idleUsage.cpuPercent);
    expect(busyUsage.rssBytes).toBeGreaterThan(10 * 1024 * 1024);
  });

  it('counts grandchildren in the group and nothing once it is gone', async () => {
    const parent = await start(
      "require('child_process').spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' }); setInterval(() => {}, 1000)",
    );
    // The grandchild appears when the parent gets to spawn it; once there, the group is both.
    await expect.poll(async () => (await readGroupTotals(parent.pid))?.processes, EVENTUALLY).toBe(2);
    await parent.stop(1000);
    // stop() resolves when the leader exits; the grandchild's SIGKILL lands when it is scheduled.
    await expect.poll(() => readGroupTotals(parent.pid), EVENTUALLY).toBeUndefined();
  });
});

describe.runIf(process.platform === 'linux')('one read for many groups', () => {
  it('gives every live group its own totals from one pass, and none for a group that is gone', async () => {
    const a = await start('setInterval(() => {}, 1000)');
    const b = await start('setInterval(() => {}, 1000)');
    const gone = await start('process.exit(0)');
    await gone.exited;
    const totals = await readGroupsTotals(new Set([a.pid, b.pid, gone.pid]));
    expect([...totals.keys()].sort()).toEqual([a.pid, b.pid].sort());
    for (const pid of [a.pid, b.pid]) expect(totals.get(pid)).toMatchObject({ processes: 1 });
    expect(await readGroupsTotals(new Set())).toEqual(new Map());
  });

  it('turns totals read elsewhere into usage, as sample() does', () => {
    let now = 0;
    const sampler = new ProcessUsageSampler(1, () => now);
    expect(sampler.fromTotals({ cpuMs: 100, rssBytes: 10, processes: 1 })?.cpuPercent).toBe(0);
    now = 1000;
    expect(sampler.fromTotals({ cpuMs: 350, rssBytes: 20, processes: 2 })).toEqual({
      cpuPercent: 25,
      rssBytes: 20,
      processes: 2,
    });
    expect(sampler.fromTotals(undefined)).toBeUndefined();
  });
});

describe('parseCpuTime', () => {
  it('reads ps time formats', () => {
    expect(parseCpuTime('0:01.50')).toBe(1500);
    expect(parseCpuTime('01:02:03')).toBe(3723_000);
    expect(parseCpuTime('1-00:00:01')).toBe(86_401_000);
  });
});
