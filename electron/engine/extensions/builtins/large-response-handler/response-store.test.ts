import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../../testing/fake-clock.js';
import { ResponseStore } from './response-store.js';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../..');
let dir: string;
beforeEach(() => {
  mkdirSync(path.join(REPO, '.tmp-test'), { recursive: true });
  dir = mkdtempSync(path.join(REPO, '.tmp-test', 'response-store-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const meta = { server: 'docs', method: 'tools/call', tool: 'dump' };

describe('ResponseStore', () => {
  it('saves and reads back a result, with a random id', async () => {
    const store = new ResponseStore({ dir, clock: new FakeClock(), maxAgeMs: 60_000 });
    const a = await store.save(meta, JSON.stringify({ content: [{ type: 'text', text: 'hello' }] }));
    const b = await store.save(meta, '{"n":2}');
    expect(a.id).toMatch(/^r-[0-9a-f]{16}$/);
    expect(a.id).not.toBe(b.id);
    expect(await store.read(a.id)).toEqual({
      id: a.id,
      storedAt: 1_000_000,
      ...meta,
      result: { content: [{ type: 'text', text: 'hello' }] },
    });
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('keeps at most maxFiles, deleting the oldest first', async () => {
    const clock = new FakeClock();
    const store = new ResponseStore({ dir, clock, maxAgeMs: 3_600_000, maxFiles: 3 });
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      ids.push((await store.save(meta, `{"i":${i}}`)).id);
      clock.advance(1000);
    }
    expect(readdirSync(dir)).toHaveLength(3);
    expect(await store.read(ids[0]!)).toBeUndefined();
    expect(await store.read(ids[1]!)).toBeUndefined();
    expect((await store.read(ids[4]!))?.result).toEqual({ i: 4 });
  });

  it('keeps at most maxBytes, but always the newest reply', async () => {
    const clock = new FakeClock();
    const store = new ResponseStore({ dir, clock, maxAgeMs: 3_600_000, maxBytes: 5000 });
    for (let i = 0; i < 4; i++) {
      await store.save(meta, JSON.stringify('x'.repeat(2000)));
      clock.advance(1);
    }
    expect(readdirSync(dir)).toHaveLength(2);
    const huge = await store.save(meta, JSON.stringify('y'.repeat(10_000)));
    expect(readdirSync(dir)).toHaveLength(1);
    expect(await store.read(huge.id)).toBeDefined();
  });

  it('sweeps replies older than maxAgeMs, using the stored clock time', async () => {
    const clock = new FakeClock();
    const store = new ResponseStore({ dir, clock, maxAgeMs: 10_000 });
    const old = await store.save(meta, '1');
    clock.advance(5000);
    const young = await store.save(meta, '2');
    clock.advance(5000);
    expect(await store.sweep()).toBe(1);
    expect(await store.read(old.id)).toBeUndefined();
    expect(await store.read(young.id)).toBeDefined();
    expect(readdirSync(dir)).toHaveLength(1);
  });

  it('rebuilds its index from the files of an earlier run and keeps bounding them', async () => {
    const clock = new FakeClock();
    const first = new ResponseStore({ dir, clock, maxAgeMs: 3_600_000 });
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      ids.push((await first.save(meta, `${i}`)).id);
      clock.advance(10);
    }
    const second = new ResponseStore({ dir, clock, maxAgeMs: 3_600_000, maxFiles: 2 });
    await second.load();
    expect(second.size).toBe(2);
    expect(await second.read(ids[0]!)).toBeUndefined();
    expect((await second.read(ids[2]!))?.result).toBe(2);
  });

  it('treats ids that are not its own as unknown', async () => {
    const store = new ResponseStore({ dir, clock: new FakeClock(), maxAgeMs: 1000 });
    expect(await store.read('../x')).toBeUndefined();
    expect(await store.read('r-0123456789abcdef')).toBeUndefined();
  });
});
