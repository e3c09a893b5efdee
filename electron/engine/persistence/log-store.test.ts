import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LogStore } from './log-store.js';

let dir: string;
beforeEach(() => (dir = mkdtempSync(path.join(tmpdir(), 'sb-logs-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('LogStore', () => {
  it('returns the last lines, also after a restart of the engine', async () => {
    const logs = new LogStore({ dir: path.join(dir, 'logs') });
    for (let i = 0; i < 10; i++) logs.append('notes', `line ${i}`);
    expect(await logs.tail('notes', 3)).toEqual(['line 7', 'line 8', 'line 9']);
    logs.close();
    const again = new LogStore({ dir: path.join(dir, 'logs') });
    again.append('notes', 'line 10');
    expect(await again.tail('notes', 2)).toEqual(['line 9', 'line 10']);
    again.close();
  });

  it('rotates by size and keeps a bounded number of files', async () => {
    const logs = new LogStore({ dir, maxBytes: 1000, maxFiles: 2 });
    for (let i = 0; i < 500; i++) logs.append('chatty', `${String(i).padStart(4, '0')} ${'x'.repeat(40)}`);
    logs.close();
    const files = readdirSync(dir).sort();
    expect(files).toEqual(['chatty.log', 'chatty.log.1', 'chatty.log.2']);
    for (const f of files) expect(statSync(path.join(dir, f)).size).toBeLessThanOrEqual(1000);
    const again = new LogStore({ dir, maxBytes: 1000, maxFiles: 2 });
    const tail = await again.tail('chatty', 30);
    expect(tail).toHaveLength(30);
    expect(tail.at(-1)).toMatch(/^0499 /);
    expect(tail[0]).toMatch(/^0470 /);
    again.close();
  });
});

describe('LogStore when the disk says no', () => {
  it('reports once and goes on without that log', () => {
    const errors: string[] = [];
    const notADir = path.join(dir, 'plain-file');
    writeFileSync(notADir, 'x');
    const logs = new LogStore({ dir: path.join(notADir, 'logs'), onError: (s) => errors.push(s) });
    logs.append('a', 'one');
    logs.append('a', 'two');
    expect(errors).toEqual(['a']);
    logs.close();
  });
});
