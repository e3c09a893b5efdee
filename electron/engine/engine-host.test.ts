import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EngineAlreadyRunningError, hostEngine } from './engine-host.js';
import { writeEngineInfo } from './http/engine-info.js';
import { engineOptions, makeEchoHome } from '../../test/helpers/echo-home.js';

const cleanups: (() => unknown)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

function makeHome(): string {
  const home = makeEchoHome('host');
  cleanups.push(() => rmSync(home, { recursive: true, force: true }));
  return home;
}

describe('hostEngine', () => {
  it('publishes engine.json while it runs, and stops every server and removes it on stop', async () => {
    const home = makeHome();
    const hosted = await hostEngine(engineOptions(home));
    const info = JSON.parse(readFileSync(path.join(home, 'engine.json'), 'utf8')) as {
      url: string;
      pid: number;
    };
    expect(info.url).toBe(hosted.engine.url);
    expect(info.pid).toBe(process.pid);
    await expect
      .poll(() => hosted.engine.supervisor.snapshot().servers[0]?.state, { timeout: 15_000 })
      .toBe('ready');
    const pids = hosted.engine.supervisor.pids();
    expect(pids).toHaveLength(1);
    await Promise.all([hosted.stop(), hosted.stop()]); // twice (tray Quit and a signal) is one stop
    expect(existsSync(path.join(home, 'engine.json'))).toBe(false);
    expect(() => process.kill(pids[0]!, 0)).toThrow();
  });

  it('refuses a home another live engine serves, naming it and what to do', async () => {
    const home = makeHome();
    const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    cleanups.push(() => other.kill());
    await writeEngineInfo(home, {
      pid: other.pid!,
      host: '127.0.0.1',
      port: 1,
      url: 'http://127.0.0.1:1',
      token: 't',
      startedAt: 0,
    });
    const refused = await hostEngine(engineOptions(home)).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(EngineAlreadyRunningError);
    expect((refused as Error).message).toContain(`pid ${other.pid}`);
    expect((refused as Error).message).toContain('SWITCHBOARD_HOME');
    expect((refused as EngineAlreadyRunningError).running.url).toBe('http://127.0.0.1:1');
  });

  it('takes over a home whose engine.json was left by an engine that died', async () => {
    const home = makeHome();
    const dead = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
    await new Promise((r) => dead.once('exit', r));
    await writeEngineInfo(home, {
      pid: dead.pid!,
      host: 'x',
      port: 1,
      url: 'http://x',
      token: 't',
      startedAt: 0,
    });
    const hosted = await hostEngine(engineOptions(home));
    cleanups.push(() => hosted.stop());
    const info = JSON.parse(readFileSync(path.join(home, 'engine.json'), 'utf8')) as { pid: number };
    expect(info.pid).toBe(process.pid);
  });
});
