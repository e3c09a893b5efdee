import { afterEach, describe, expect, it } from 'vitest';
import { NodeProcessSpawner } from './process-runner.js';
import { parseCpuTime, ProcessUsageSampler, readGroupTotals } from './process-stats.js';
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

describe.runIf(process.platform === 'linux')('process usage (real processes)', () => {
  it('sees a busy process group use CPU and an idle one not', async () => {
    const busy = await start('for (;;) {}');
    const idle = await start('setInterval(() => {}, 1000)');
    const busySampler = new ProcessUsageSampler(busy.pid);
    const idleSampler = new ProcessUsageSampler(idle.pid);
    await busySampler.sample();
    await idleSampler.sample();
    await new Promise((r) => setTimeout(r, 600));
    const busyUsage = await busySampler.sample();
    const idleUsage = await idleSampler.sample();
    expect(busyUsage!.cpuPercent).toBeGreaterThan(30);
    expect(idleUsage!.cpuPercent).toBeLessThan(20);
    expect(busyUsage!.rssBytes).toBeGreaterThan(10 * 1024 * 1024);
  });

  it('counts grandchildren in the group and nothing once it is gone', async () => {
    const parent = await start(
      "require('child_process').spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' }); setInterval(() => {}, 1000)",
    );
    await new Promise((r) => setTimeout(r, 300));
    expect((await readGroupTotals(parent.pid))?.processes).toBe(2);
    await parent.stop(1000);
    expect(await readGroupTotals(parent.pid)).toBeUndefined();
  });
});

describe('parseCpuTime', () => {
  it('reads ps time formats', () => {
    expect(parseCpuTime('0:01.50')).toBe(1500);
    expect(parseCpuTime('01:02:03')).toBe(3723_000);
    expect(parseCpuTime('1-00:00:01')).toBe(86_401_000);
  });
});
