import { beforeEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../testing/fake-clock.js';
import { FakeSpawner, settle, type FakeProcess } from '../testing/fake-process.js';
import type { EngineEvent, RestartEvent, StateChangedEvent } from '../../shared/events.js';
import type { ExitInfo, RunningProcess } from '../process/types.js';
import { ServerActor } from './server-actor.js';
import { ProcessLink, type ProcessConnection } from './process-link.js';
import { DEFAULT_RESTART_POLICY } from './backoff.js';

class ScriptedHooks implements ProcessConnection {
  calls: string[] = [];
  gone: { generation: number; info: ExitInfo | undefined; unexpected: boolean }[] = [];
  /** What the next attach does: resolve, reject, or hang (never settle). */
  nextAttach: 'ok' | 'reject' | 'hang' = 'ok';

  async attach(proc: RunningProcess, generation: number): Promise<void> {
    this.calls.push(`attach:${generation}:${proc.pid}`);
    const mode = this.nextAttach;
    if (mode === 'reject') throw new Error('initialize returned an error');
    if (mode === 'hang') await new Promise(() => {});
  }

  async drain(): Promise<void> {
    this.calls.push('drain');
  }

  processGone(generation: number, info: ExitInfo | undefined, unexpected: boolean): void {
    this.calls.push(`gone:${generation}:${unexpected ? 'unexpected' : 'expected'}`);
    this.gone.push({ generation, info, unexpected });
  }

  stateChanged(): void {}

  onUnresponsive(): void {}
}

describe('ServerActor', () => {
  let clock: FakeClock;
  let spawner: FakeSpawner;
  let hooks: ScriptedHooks;
  let actor: ServerActor;
  let events: EngineEvent[];

  const states = () =>
    events.filter((e): e is StateChangedEvent => e.type === 'server.state').map((e) => `${e.from}>${e.to}`);
  const restarts = () => events.filter((e): e is RestartEvent => e.type === 'server.restart');

  beforeEach(() => {
    clock = new FakeClock();
    spawner = new FakeSpawner(() => clock.now());
    hooks = new ScriptedHooks();
    events = [];
    actor = new ServerActor({
      name: 'demo',
      link: new ProcessLink({
        spec: { command: 'node', args: ['server.js'] },
        spawner,
        connection: hooks,
        shutdownTimeoutMs: 1000,
      }),
      clock,
      random: () => 0.5,
      startupTimeoutMs: 5000,
      policy: { ...DEFAULT_RESTART_POLICY, baseDelayMs: 100 },
    });
    actor.on('event', (e) => events.push(e));
  });

  it('starts and reports each transition with a reason', async () => {
    await actor.start();
    expect(actor.state).toBe('ready');
    expect(states()).toEqual(['stopped>starting', 'starting>ready']);
    expect(events.every((e) => e.type !== 'server.state' || e.reason.length > 0)).toBe(true);
    expect(hooks.calls).toEqual([`attach:1:${spawner.last.pid}`]);
  });

  it('restarts on request: drain, stop the old process, start a new one', async () => {
    await actor.start();
    const first = spawner.last;
    await actor.restart({ kind: 'file', paths: ['/src/a.js'] });
    expect(actor.state).toBe('ready');
    expect(first.stopCalls).toBe(1);
    expect(spawner.spawned).toHaveLength(2);
    expect(hooks.calls).toEqual([
      `attach:1:${first.pid}`,
      'drain',
      'gone:1:expected',
      `attach:2:${spawner.last.pid}`,
    ]);
    expect(states()).toEqual(['stopped>starting', 'starting>ready', 'ready>restarting', 'restarting>ready']);
    const [restart] = restarts();
    expect(restart).toMatchObject({ outcome: 'ready', cause: { kind: 'file', paths: ['/src/a.js'] } });
    expect(actor.restartCount).toBe(1);
  });

  it('skips the drain when restarting a server that failed its health check', async () => {
    await actor.start();
    await actor.restart({ kind: 'health', detail: 'no answer to ping' });
    expect(hooks.calls).not.toContain('drain');
    expect(restarts().at(-1)).toMatchObject({ outcome: 'ready', cause: { kind: 'health' } });
  });

  it('coalesces restarts requested while one is queued', async () => {
    await actor.start();
    const a = actor.restart({ kind: 'user' });
    const b = actor.restart({ kind: 'user' });
    const c = actor.restart({ kind: 'user' });
    await Promise.all([a, b, c]);
    expect(spawner.spawned.length).toBeLessThanOrEqual(3);
    expect(spawner.spawned.length).toBeGreaterThanOrEqual(2);
  });

  it('recovers from a crash after a backoff delay', async () => {
    await actor.start();
    spawner.last.exit(1);
    await settle();
    expect(actor.state).toBe('backoff');
    expect(hooks.gone.at(-1)).toMatchObject({ generation: 1, unexpected: true });
    const backoff = events.at(-1) as StateChangedEvent;
    expect(backoff.reason).toMatch(/exit code 1; retry in 100 ms/);
    clock.advance(99);
    await settle();
    expect(spawner.spawned).toHaveLength(1);
    clock.advance(1);
    await settle();
    expect(actor.state).toBe('ready');
    expect(spawner.spawned).toHaveLength(2);
    expect(restarts().at(-1)).toMatchObject({ outcome: 'ready', cause: { kind: 'exit', code: 1 } });
  });

  it('backs off exponentially and stops at a crash loop until a file changes', async () => {
    await actor.start();
    const delays: number[] = [];
    for (let crash = 1; crash <= 4; crash++) {
      spawner.last.exit(2);
      await settle();
      expect(actor.state).toBe('backoff');
      const reason = (events.at(-1) as StateChangedEvent).reason;
      delays.push(Number(/retry in (\d+) ms/.exec(reason)?.[1]));
      clock.advance(delays.at(-1)!);
      await settle();
      expect(actor.state).toBe('ready');
    }
    expect(delays).toEqual([100, 200, 400, 800]);
    spawner.last.exit(2);
    await settle();
    expect(actor.state).toBe('failed');
    expect((events.at(-1) as StateChangedEvent).reason).toMatch(/crash loop: 5 failures in 60 s/);
    expect(clock.pending).toBe(0);
    clock.advance(120_000);
    await settle();
    expect(spawner.spawned).toHaveLength(5);
    await actor.restart({ kind: 'file', paths: ['/src/fixed.js'] });
    expect(actor.state).toBe('ready');
    expect(states().slice(-2)).toEqual(['failed>starting', 'starting>ready']);
  });

  it('treats a failed initialize as a crash and retries', async () => {
    hooks.nextAttach = 'reject';
    await actor.start();
    expect(actor.state).toBe('backoff');
    expect(actor.lastError).toMatch(/initialize failed/);
    expect(spawner.last.stopCalls).toBe(1);
    hooks.nextAttach = 'ok';
    clock.advance(100);
    await settle();
    expect(actor.state).toBe('ready');
    // The try after the failed start is the backoff's, and says so (not "restart requested").
    expect(restarts().map((r) => [r.cause, r.outcome])).toEqual([[{ kind: 'retry', attempt: 1 }, 'ready']]);
  });

  it('gives up on a start that takes longer than the startup timeout', async () => {
    hooks.nextAttach = 'hang';
    const started = actor.start();
    await settle();
    expect(actor.state).toBe('starting');
    clock.advance(5000);
    await started;
    expect(actor.state).toBe('backoff');
    expect(actor.lastError).toMatch(/startup timeout of 5000 ms/);
    expect(spawner.last.stopCalls).toBe(1);
  });

  it('sees a process that exits during startup', async () => {
    hooks.nextAttach = 'hang';
    const started = actor.start();
    await settle();
    spawner.last.stderr.push('Error: Cannot find module ./missing.js');
    spawner.last.exit(1);
    await started;
    expect(actor.state).toBe('backoff');
    expect(actor.lastError).toMatch(/exited during startup \(exit code 1\).*Cannot find module/);
  });

  it('fails at once when the command cannot be spawned', async () => {
    const err = new Error('command not found: nope');
    err.name = 'SpawnError';
    spawner.failNext = err;
    await actor.start();
    expect(actor.state).toBe('failed');
    expect(actor.lastError).toMatch(/command not found/);
    expect(clock.pending).toBe(0);
  });

  it('stop cancels a pending retry and stops the process', async () => {
    await actor.start();
    spawner.last.exit(1);
    await settle();
    expect(clock.pending).toBe(1);
    await actor.stop();
    expect(actor.state).toBe('stopped');
    expect(clock.pending).toBe(0);
    await actor.start();
    const proc: FakeProcess = spawner.last;
    await actor.stop('client closed stdin');
    expect(proc.stopCalls).toBe(1);
    expect((events.at(-1) as StateChangedEvent).reason).toBe('client closed stdin');
  });

  it('stop aborts a start in progress', async () => {
    hooks.nextAttach = 'hang';
    const started = actor.start();
    await settle();
    await Promise.all([started, actor.stop()]);
    expect(actor.state).toBe('stopped');
    expect(spawner.last.stopCalls).toBe(1);
  });

  it('ignores file changes while stopped', async () => {
    await actor.restart({ kind: 'file', paths: ['/x'] });
    expect(actor.state).toBe('stopped');
    expect(spawner.spawned).toHaveLength(0);
  });
});
