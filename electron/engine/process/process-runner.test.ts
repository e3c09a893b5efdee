import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { killProcessGroupSync, NodeProcessSpawner, SpawnError } from './process-runner.js';
import type { RunningProcess, SpawnSpec } from './types.js';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), '__fixtures__');
const posixOnly = it.skipIf(process.platform === 'win32');
const spawner = new NodeProcessSpawner();

// Every process a test starts (and every grandchild pid it learns) is killed afterwards.
const started: RunningProcess[] = [];
const grandchildren: number[] = [];

afterEach(async () => {
  for (const proc of started.splice(0)) {
    if (!proc.exitInfo) killProcessGroupSync(proc.pid);
    await Promise.race([proc.exited, delay(2_000)]);
  }
  for (const pid of grandchildren.splice(0)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
});

async function start(spec: Partial<SpawnSpec> & { script?: string }): Promise<RunningProcess> {
  const { script, ...rest } = spec;
  const proc = await spawner.spawn({
    command: process.execPath,
    args: script === undefined ? [] : ['-e', script],
    ...rest,
  });
  started.push(proc);
  return proc;
}

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function readLine(stream: Readable, timeoutMs = 5_000): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const onData = (chunk: Buffer) => {
      text += chunk.toString('utf8');
      const end = text.indexOf('\n');
      if (end === -1) return;
      done();
      resolve(text.slice(0, end));
    };
    const timer = setTimeout(() => {
      done();
      reject(new Error(`no line within ${timeoutMs} ms (got ${JSON.stringify(text)})`));
    }, timeoutMs);
    const done = () => {
      clearTimeout(timer);
      stream.off('data', onData);
    };
    stream.on('data', onData);
  });
}

/**
 * Dead means no such process, or a zombie: in a container whose init never reaps orphans, a killed
 * grandchild stays a zombie for ever, though it is gone in every way that matters.
 */
function isDead(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
  try {
    return fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.startsWith('Z') === true;
  } catch {
    return true; // Vanished between the two checks.
  }
}

async function waitDead(pid: number, timeoutMs = 3_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (isDead(pid)) return true;
    await delay(20);
  }
  return isDead(pid);
}

// Each test is bounded well below the global 30 s, so a hang shows up quickly.
describe('NodeProcessSpawner', { timeout: 10_000 }, () => {
  it('echoes stdin to stdout and exits 0 when stdin ends', async () => {
    const proc = await start({ script: 'process.stdin.pipe(process.stdout)' });
    expect(proc.pid).toBeGreaterThan(0);
    const line = readLine(proc.stdout);
    proc.stdin.write('hello\n');
    expect(await line).toBe('hello');
    proc.stdin.end();
    expect(await proc.exited).toMatchObject({ code: 0, signal: null });
    expect(proc.exitInfo).toEqual(await proc.exited);
  });

  it('merges env over the engine env, and undefined removes a variable', async () => {
    process.env.SWB_TEST_REMOVE = 'present';
    try {
      const proc = await start({
        script:
          'console.log(JSON.stringify([process.env.SWB_TEST_ADD, "SWB_TEST_REMOVE" in process.env, !!process.env.PATH]))',
        env: { SWB_TEST_ADD: 'added', SWB_TEST_REMOVE: undefined },
      });
      expect(JSON.parse(await readLine(proc.stdout))).toEqual(['added', false, true]);
    } finally {
      delete process.env.SWB_TEST_REMOVE;
    }
  });

  it('finds a bare command on the PATH the child gets', async () => {
    const proc = await start({
      command: path.basename(process.execPath),
      script: 'console.log("found")',
      env: { PATH: path.dirname(process.execPath) },
    });
    expect(await readLine(proc.stdout)).toBe('found');
  });

  it('runs in the given cwd', async () => {
    const dir = fs.realpathSync(os.tmpdir());
    const proc = await start({ script: 'console.log(process.cwd())', cwd: dir });
    expect(await readLine(proc.stdout)).toBe(dir);
  });

  it('rejects a missing command with a SpawnError that names the PATH searched', async () => {
    const err = await spawner
      .spawn({ command: 'swb-no-such-command-xyz', args: [], env: { PATH: '/nowhere/a:/nowhere/b' } })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SpawnError);
    expect((err as SpawnError).code).toBe('ENOENT');
    expect((err as SpawnError).message).toContain('command not found: swb-no-such-command-xyz');
    expect((err as SpawnError).message).toContain('searched PATH: /nowhere/a');
  });

  it('rejects a missing cwd clearly, before trying to start anything', async () => {
    const cwd = path.join(os.tmpdir(), 'swb-missing-dir-xyz', 'deeper');
    const err = await spawner.spawn({ command: process.execPath, args: [], cwd }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SpawnError);
    expect((err as SpawnError).message).toBe(
      `working directory does not exist: ${cwd}. Create it or fix the server's "cwd".`,
    );
    const file = fileURLToPath(import.meta.url);
    const notDir = await spawner.spawn({ command: process.execPath, args: [], cwd: file }).catch((e) => e);
    expect((notDir as SpawnError).code).toBe('ENOTDIR');
  });

  it('records the exit code', async () => {
    const proc = await start({ script: 'process.exit(7)' });
    const info = await proc.exited;
    expect(info).toMatchObject({ code: 7, signal: null });
    expect(Math.abs(info.at - Date.now())).toBeLessThan(5_000);
  });

  posixOnly('records the signal that killed it', async () => {
    const proc = await start({ script: 'process.kill(process.pid, "SIGTERM"); setInterval(() => {}, 1000)' });
    expect(await proc.exited).toMatchObject({ code: null, signal: 'SIGTERM' });
  });

  it('captures stderr lines across chunk boundaries and CRLF', async () => {
    const proc = await start({
      script: `
        const w = (s) => new Promise((r) => process.stderr.write(s, r));
        const pause = () => new Promise((r) => setTimeout(r, 20));
        (async () => { await w('hel'); await pause(); await w('lo\\r\\nwor'); await pause(); await w('ld\\nlast words'); })();`,
    });
    const seen: string[] = [];
    proc.onStderrLine((line) => seen.push(line));
    await proc.exited;
    // The unterminated last line is flushed before `exited` resolves.
    expect(proc.stderrTail()).toEqual(['hello', 'world', 'last words']);
    expect(seen).toEqual(['hello', 'world', 'last words']);
  });

  it('keeps only the last stderrLines lines', async () => {
    const proc = await start({
      script: 'for (let i = 0; i < 50; i++) process.stderr.write(`line ${i}\\n`)',
      stderrLines: 10,
    });
    await proc.exited;
    expect(proc.stderrTail()).toEqual(Array.from({ length: 10 }, (_, i) => `line ${40 + i}`));
  });

  it('stops notifying a listener once it unsubscribes', async () => {
    const proc = await start({ script: 'process.stdin.on("data", (d) => process.stderr.write(d))' });
    const seen: string[] = [];
    const off = proc.onStderrLine((line) => seen.push(line));
    const first = new Promise<void>((resolve) => proc.onStderrLine(() => resolve()));
    proc.stdin.write('one\n');
    await first;
    off();
    proc.stdin.end('two\n');
    await proc.exited;
    expect(seen).toEqual(['one']);
    expect(proc.stderrTail()).toEqual(['one', 'two']);
  });

  it('survives writes to the stdin of a process that has exited', async () => {
    const proc = await start({ script: 'process.exit(0)' });
    await proc.exited;
    for (let i = 0; i < 5; i++) proc.stdin.write('x'.repeat(65_536));
    await delay(50); // An unhandled EPIPE would surface here and fail the run.
    expect(proc.exitInfo?.code).toBe(0);
  });

  it('stop() on an exited process resolves at once with the same exit', async () => {
    const proc = await start({ script: 'process.exit(3)' });
    const info = await proc.exited;
    expect(await proc.stop(10_000)).toBe(info);
  });

  posixOnly('stop() ends a well-behaved process with SIGTERM', async () => {
    const proc = await start({ script: 'setInterval(() => {}, 1000)' });
    const first = proc.stop(5_000);
    expect(proc.stop(5_000)).toBe(first);
    expect(await first).toMatchObject({ code: null, signal: 'SIGTERM' });
  });

  posixOnly('stop() SIGKILLs a process that ignores SIGTERM once the timeout passes', async () => {
    const timeoutMs = 300;
    const proc = await start({ args: [path.join(fixtures, 'ignore-sigterm.mjs')] });
    expect(await readLine(proc.stdout)).toBe('ready');
    const begin = performance.now();
    const info = await proc.stop(timeoutMs);
    const elapsed = performance.now() - begin;
    expect(info.signal).toBe('SIGKILL');
    // Timers run on a millisecond clock, so allow for one millisecond of rounding.
    expect(elapsed).toBeGreaterThanOrEqual(timeoutMs - 1);
    expect(elapsed).toBeLessThan(timeoutMs + 2_000);
  });

  posixOnly('stop() kills grandchildren too, even ones that ignore SIGTERM', async () => {
    const proc = await start({ args: [path.join(fixtures, 'with-grandchild.mjs')] });
    const grandchild = Number(await readLine(proc.stdout));
    grandchildren.push(grandchild);
    expect(isDead(grandchild)).toBe(false);
    expect(await proc.stop(5_000)).toMatchObject({ signal: 'SIGTERM' });
    expect(await waitDead(grandchild)).toBe(true);
  });

  posixOnly('exited does not wait for a grandchild that still holds the pipes', async () => {
    const proc = await start({ args: [path.join(fixtures, 'with-grandchild.mjs'), '--exit'] });
    const grandchild = Number(await readLine(proc.stdout));
    grandchildren.push(grandchild);
    const begin = Date.now();
    expect(await proc.exited).toMatchObject({ code: 0, signal: null });
    expect(Date.now() - begin).toBeLessThan(1_000);
    expect(isDead(grandchild)).toBe(false);
    // The group outlives its leader; the engine's emergency cleanup still reaches it.
    killProcessGroupSync(proc.pid);
    expect(await waitDead(grandchild)).toBe(true);
  });

  posixOnly('killProcessGroupSync kills the whole group at once', async () => {
    const proc = await start({ args: [path.join(fixtures, 'ignore-sigterm.mjs')] });
    expect(await readLine(proc.stdout)).toBe('ready');
    killProcessGroupSync(proc.pid);
    expect(await proc.exited).toMatchObject({ signal: 'SIGKILL' });
    expect(() => killProcessGroupSync(proc.pid)).not.toThrow();
  });
});
