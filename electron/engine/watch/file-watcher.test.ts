import { writeFileSync } from 'node:fs';
import { mkdir, mkdtemp, rename, rm, unlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { watch as chokidarWatch, type ChokidarOptions } from 'chokidar';
import { afterEach, describe, expect, it } from 'vitest';
import type { ChangeBatch } from './debounce.js';
import { FileWatcher, type FileWatcherOptions } from './file-watcher.js';

const DEBOUNCE_MS = 50;
/** Long enough for a stray native event plus the debounce to have shown up. */
const QUIET_MS = 400;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let dir: string;
let watcher: FileWatcher | undefined;
let logs: string[];
let batches: ChangeBatch[];

afterEach(async () => {
  await watcher?.close();
  watcher = undefined;
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function setup(files: Record<string, string>, options: Partial<FileWatcherOptions> = {}) {
  dir = await mkdtemp(path.join(os.tmpdir(), 'switchboard-watch-'));
  for (const [rel, content] of Object.entries(files)) await put(rel, content);
  logs = [];
  batches = [];
  watcher = new FileWatcher({
    watch: ['.'],
    cwd: dir,
    debounceMs: DEBOUNCE_MS,
    log: (line) => logs.push(line),
    ...options,
  });
  watcher.on('change', (b) => batches.push(b));
  await watcher.start();
  return watcher;
}

async function put(rel: string, content = String(Math.random())) {
  const abs = path.join(dir, rel);
  await mkdir(path.dirname(abs), { recursive: true });
  await writeFile(abs, content);
}

const abs = (rel: string) => path.join(dir, rel);

/** Waits until `n` batches arrived, failing after `timeoutMs`. */
async function waitForBatches(n: number, timeoutMs = 3000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (batches.length < n) {
    if (Date.now() > until) throw new Error(`expected ${n} change batch(es), got ${batches.length}`);
    await sleep(10);
  }
}

/** Waits until the batches so far name every expected path, then checks they name nothing else. */
async function expectChangedPaths(expected: string[], timeoutMs = 3000): Promise<void> {
  const seen = () => new Set(batches.flatMap((b) => b.paths));
  const until = Date.now() + timeoutMs;
  while (!expected.every((p) => seen().has(p))) {
    if (Date.now() > until) throw new Error(`expected changes to ${expected.join(', ')}, saw ${[...seen()]}`);
    await sleep(10);
  }
  // Under load two writes may land in separate bursts; what matters is which paths came through.
  expect([...seen()].sort()).toEqual([...expected].sort());
}

describe('FileWatcher', () => {
  it('emits one debounced change for a changed file', async () => {
    const w = await setup({ 'server.js': 'v1' });
    expect(w.mode).toBe('native');
    expect(w.roots).toEqual([dir]);
    await put('server.js', 'v2');
    await waitForBatches(1);
    expect(batches[0]?.paths).toEqual([abs('server.js')]);
    expect(batches[0]?.first).toBe(abs('server.js'));
  });

  it('coalesces a burst of 20 writes into exactly one change', async () => {
    // A wider window than elsewhere so a loaded CI machine cannot split the burst.
    await setup({ 'a.js': '0', 'b.js': '0' }, { debounceMs: 150 });
    // Synchronous writes: all 20 land before any watcher event is processed.
    for (let i = 0; i < 20; i++) writeFileSync(abs(i % 2 ? 'a.js' : 'b.js'), String(i));
    await waitForBatches(1);
    await sleep(QUIET_MS);
    expect(batches).toHaveLength(1);
    expect(new Set(batches[0]?.paths)).toEqual(new Set([abs('a.js'), abs('b.js')]));
    expect(batches[0]?.count).toBeGreaterThanOrEqual(2);
  });

  it('ignores node_modules, logs, .git, swap and backup files', async () => {
    await setup({ 'node_modules/x.js': '1', '.git/HEAD': 'ref', 'keep.js': '1' });
    await put('node_modules/x.js');
    await put('node_modules/deep/y.js');
    await put('a.log');
    await put('.git/HEAD');
    await put('x.swp');
    await put('y~');
    await sleep(QUIET_MS);
    expect(batches).toEqual([]);
    // Still alive, and none of the ignored files slipped into the next batch.
    await put('keep.js');
    await expectChangedPaths([abs('keep.js')]);
  });

  it('watches only matching files for a glob', async () => {
    const w = await setup(
      { 'src/a.ts': '1', 'src/b.js': '1', 'other/c.ts': '1' },
      { watch: ['src/**/*.ts'] },
    );
    expect(w.roots).toEqual([abs('src')]);
    await put('src/b.js');
    await put('other/c.ts');
    await sleep(QUIET_MS);
    expect(batches).toEqual([]);
    await put('src/deep/d.ts');
    await put('src/a.ts');
    await expectChangedPaths([abs('src/deep/d.ts'), abs('src/a.ts')]);
  });

  it('filters by extension', async () => {
    await setup({ 'a.js': '1', 'b.md': '1', 'c.ts': '1' }, { extensions: ['ts,.json'] });
    await put('a.js');
    await put('b.md');
    await sleep(QUIET_MS);
    expect(batches).toEqual([]);
    await put('c.ts');
    await put('d.json');
    await expectChangedPaths([abs('c.ts'), abs('d.json')]);
  });

  it('watches a single file through an atomic save (write temp, rename over)', async () => {
    await setup({ 'server.js': '1', 'other.js': '1' }, { watch: ['server.js'] });
    await put('other.js');
    await put('.server.js.tmp123', 'new');
    await rename(abs('.server.js.tmp123'), abs('server.js'));
    await expectChangedPaths([abs('server.js')]);
    await sleep(QUIET_MS);
    await put('server.js', 'again');
    await waitForBatches(batches.length + 1);
    expect(batches.at(-1)?.paths).toEqual([abs('server.js')]);
  });

  it('triggers on deletions but not on new empty directories', async () => {
    await setup({ 'a.js': '1' });
    await mkdir(abs('newdir'));
    await sleep(QUIET_MS);
    expect(batches).toEqual([]);
    await unlink(abs('a.js'));
    await waitForBatches(1);
    expect(batches[0]?.paths).toEqual([abs('a.js')]);
  });

  it('works in forced polling mode', async () => {
    const w = await setup({ 'a.js': '1' }, { usePolling: true });
    expect(w.mode).toBe('polling');
    await put('a.js', 'changed');
    await waitForBatches(1);
    expect(batches[0]?.paths).toEqual([abs('a.js')]);
    expect(logs).toEqual([]);
  });

  it('stops emitting after close()', async () => {
    const w = await setup({ 'a.js': '1' });
    await put('a.js', '2');
    // Close with a burst still pending: it must be dropped, not flushed late.
    await w.close();
    await put('a.js', '3');
    await sleep(QUIET_MS);
    expect(batches).toEqual([]);
  });

  it('watches a root that does not exist yet, without delaying the others', async () => {
    await setup({ 'src/deep/er/a.js': '1' }, { watch: ['src', 'later/sub'] });
    expect(logs).toEqual([expect.stringContaining(`${abs('later/sub')} does not exist yet`)]);
    // chokidar 5 says 'ready' too early when a path is missing; edits right after start must count.
    await put('src/deep/er/a.js', '2');
    await expectChangedPaths([abs('src/deep/er/a.js')]);
    await put('later/sub/server.js');
    await expectChangedPaths([abs('src/deep/er/a.js'), abs('later/sub/server.js')]);
  });

  describe('fallback to polling', () => {
    const enospc = () =>
      Object.assign(new Error('ENOSPC: System limit for number of file watchers reached, watch'), {
        code: 'ENOSPC',
      });

    /** A real chokidar watcher whose native instance reports ENOSPC. */
    const failingNative =
      (when: 'before-ready' | 'after-ready', seen: ChokidarOptions[]) =>
      (paths: string[], options: ChokidarOptions) => {
        seen.push(options);
        const w = chokidarWatch(paths, options);
        if (!options.usePolling) {
          if (when === 'before-ready') setImmediate(() => w.emit('error', enospc()));
          else w.once('ready', () => setTimeout(() => w.emit('error', enospc()), 20));
        }
        return w;
      };

    it('falls back when native watching fails to start', async () => {
      const seen: ChokidarOptions[] = [];
      const w = await setup({ 'a.js': '1' }, { createWatcher: failingNative('before-ready', seen) });
      expect(w.mode).toBe('polling');
      expect(seen.map((o) => o.usePolling)).toEqual([false, true]);
      expect(seen[1]?.interval).toBe(300);
      expect(logs).toHaveLength(1);
      expect(logs[0]).toMatch(/ENOSPC.*falling back to polling every 300 ms/);
      expect(logs[0]).toMatch(/ulimit|max_user_watches/);
      await put('a.js', '2');
      await waitForBatches(1);
      expect(batches[0]?.paths).toEqual([abs('a.js')]);
    });

    it('falls back when native watching errors later, logging once', async () => {
      const seen: ChokidarOptions[] = [];
      const w = await setup({ 'a.js': '1' }, { createWatcher: failingNative('after-ready', seen) });
      expect(w.mode).toBe('native');
      const until = Date.now() + 3000;
      while (w.mode !== 'polling' || seen.length < 2) {
        if (Date.now() > until) throw new Error('did not fall back');
        await sleep(10);
      }
      await sleep(100);
      expect(logs).toHaveLength(1);
      await put('a.js', '2');
      await waitForBatches(1);
      expect(batches[0]?.paths).toEqual([abs('a.js')]);
    });

    it('falls back when creating the native watcher throws', async () => {
      let calls = 0;
      const w = await setup(
        { 'a.js': '1' },
        {
          createWatcher: (paths, options) => {
            calls++;
            if (!options.usePolling)
              throw Object.assign(new Error('EMFILE: too many open files'), { code: 'EMFILE' });
            return chokidarWatch(paths, options);
          },
        },
      );
      expect(calls).toBe(2);
      expect(w.mode).toBe('polling');
      expect(logs).toEqual([expect.stringContaining('EMFILE')]);
    });
  });
});

describe('FileWatcher and quick successive saves', () => {
  it('sees the last of two saves made 20 ms apart, even with a tiny debounce', async () => {
    const { mkdtempSync, writeFileSync, readFileSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const path = await import('node:path');
    const dir = mkdtempSync(path.join(tmpdir(), 'sb-quick-'));
    const file = path.join(dir, 'a.json');
    writeFileSync(file, 'v0');
    const { FileWatcher } = await import('./file-watcher.js');
    const watcher = new FileWatcher({ watch: [file], cwd: dir, debounceMs: 1, log: () => {} });
    const seen: string[] = [];
    watcher.on('change', () => seen.push(readFileSync(file, 'utf8')));
    await watcher.start();
    try {
      writeFileSync(file, 'v1');
      await new Promise((r) => setTimeout(r, 20));
      writeFileSync(file, 'v2');
      const deadline = Date.now() + 3000;
      while (!seen.includes('v2') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(seen.at(-1)).toBe('v2');
    } finally {
      await watcher.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
