import { mkdtempSync, readFileSync, rmSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RestartHistory, type RestartRecord } from './restart-history.js';

let dir: string;
beforeEach(() => (dir = mkdtempSync(path.join(tmpdir(), 'sb-history-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const record = (i: number, server = 'notes'): RestartRecord => ({
  server,
  at: 1000 + i,
  cause: i % 2 ? { kind: 'file', paths: [`/src/${i}.ts`] } : { kind: 'exit', code: 1, signal: null },
  durationMs: 100 + i,
  outcome: 'ready',
});

describe('RestartHistory', () => {
  it('keeps each server’s restarts, and they survive a new instance (an engine restart)', async () => {
    const history = new RestartHistory(dir);
    await history.append(record(1));
    await history.append(record(2));
    await history.append(record(3, 'other'));
    const again = new RestartHistory(dir);
    expect((await again.read('notes')).map((r) => r.at)).toEqual([1001, 1002]);
    expect((await again.read('other')).map((r) => r.cause)).toEqual([{ kind: 'file', paths: ['/src/3.ts'] }]);
  });

  it('stays bounded, keeping the newest', async () => {
    const history = new RestartHistory(dir, 5);
    for (let i = 0; i < 23; i++) await history.append(record(i));
    const lines = readFileSync(path.join(dir, 'notes.jsonl'), 'utf8').trim().split('\n');
    expect(lines.length).toBeLessThan(10);
    expect((await history.read('notes')).map((r) => r.at)).toEqual([1018, 1019, 1020, 1021, 1022]);
  });

  it('skips a line cut short by a crash and keeps the rest', async () => {
    const history = new RestartHistory(dir);
    await history.append(record(1));
    appendFileSync(path.join(dir, 'notes.jsonl'), '{"server":"notes","at":');
    appendFileSync(path.join(dir, 'notes.jsonl'), '\n');
    await history.append(record(2));
    expect((await new RestartHistory(dir).read('notes')).map((r) => r.at)).toEqual([1001, 1002]);
  });
});
