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

  it('keeps only the lines a search matches, still the newest ones, across rotations', async () => {
    const logs = new LogStore({ dir, maxBytes: 200, maxFiles: 3 });
    for (let i = 0; i < 40; i++) logs.append('notes', i % 5 === 0 ? `ERROR ${i}` : `info ${i}`);
    expect(await logs.tail('notes', 3, (l) => l.startsWith('ERROR'))).toEqual([
      'ERROR 25',
      'ERROR 30',
      'ERROR 35',
    ]);
    expect(await logs.tail('notes', 3, (l) => l.includes('nothing like this'))).toEqual([]);
    logs.close();
  });

  it('follows a log: the lines on disk, then each new line, until stopped', () => {
    const logs = new LogStore({ dir });
    logs.append('notes', 'old 1');
    logs.append('notes', 'old 2');
    const seen: string[] = [];
    const { backlog, stop } = logs.follow('notes', 1, (line) => seen.push(line));
    expect(backlog).toEqual(['old 2']);
    logs.append('notes', 'new 1');
    logs.append('other', 'not mine');
    stop();
    logs.append('notes', 'after stop');
    expect(seen).toEqual(['new 1']);
    logs.close();
  });

  it('follows a server that has not logged yet, and survives a follower that throws', () => {
    const logs = new LogStore({ dir });
    const seen: string[] = [];
    logs.subscribe('quiet', () => {
      throw new Error('follower bug');
    });
    const { backlog } = logs.follow('quiet', 10, (line) => seen.push(line));
    expect(backlog).toEqual([]);
    logs.append('quiet', 'first words');
    expect(seen).toEqual(['first words']);
    logs.close();
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
