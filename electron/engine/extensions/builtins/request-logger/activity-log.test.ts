import {
  appendFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
} from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ActivityEntryDto } from '../../../../shared/api.js';
import { FakeClock } from '../../../testing/fake-clock.js';
import { ActivityLog, matchesActivity } from './activity-log.js';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../..');
let dir: string;
beforeEach(() => {
  mkdirSync(path.join(REPO, '.tmp-test'), { recursive: true });
  dir = mkdtempSync(path.join(REPO, '.tmp-test', 'activity-log-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function entry(i: number, overrides: Partial<ActivityEntryDto> = {}): ActivityEntryDto {
  return {
    at: 1000 + i,
    session: 's1',
    endpoint: 'server',
    server: i % 2 ? 'notes' : 'github',
    method: 'tools/call',
    tool: `tool_${i}`,
    durationMs: 5,
    status: 'ok',
    requestBytes: 10,
    responseBytes: 20,
    ...overrides,
  };
}

function newLog(
  clock = new FakeClock(),
  options: Partial<ConstructorParameters<typeof ActivityLog>[0]> = {},
) {
  const errors: Error[] = [];
  const log = new ActivityLog({
    dir,
    clock,
    maxFileBytes: 1024 * 1024,
    maxFiles: 3,
    onError: (e) => errors.push(e),
    ...options,
  });
  return { log, clock, errors };
}

const current = () => path.join(dir, 'activity.jsonl');

describe('ActivityLog', () => {
  it('buffers appends and writes them after the flush delay', async () => {
    const { log, clock } = newLog();
    log.append(entry(1));
    log.append(entry(2));
    expect(existsSync(current())).toBe(false);
    expect(clock.pending).toBe(1);
    clock.advance(199);
    expect(existsSync(current())).toBe(false);
    clock.advance(1);
    await log.flush();
    const lines = readFileSync(current(), 'utf8').trim().split('\n');
    expect(lines.map((l) => (JSON.parse(l) as ActivityEntryDto).tool)).toEqual(['tool_1', 'tool_2']);
  });

  it('writes at once when enough bytes wait', async () => {
    const { log, clock } = newLog(new FakeClock(), { flushChars: 500 });
    for (let i = 0; i < 5; i++) log.append(entry(i));
    await log.flush(); // joins the flush that the size already started
    expect(readFileSync(current(), 'utf8').trim().split('\n')).toHaveLength(5);
    expect(clock.pending).toBe(0);
  });

  it('rotates by size and keeps maxFiles files, each within maxFileBytes', async () => {
    const lineBytes = Buffer.byteLength(`${JSON.stringify(entry(10))}\n`);
    const { log } = newLog(new FakeClock(), { maxFileBytes: lineBytes * 4, maxFiles: 3 });
    for (let i = 10; i < 60; i++) {
      log.append(entry(i));
      if (i % 7 === 0) await log.flush();
    }
    await log.flush();
    const files = readdirSync(dir).sort();
    expect(files).toEqual(['activity.1.jsonl', 'activity.2.jsonl', 'activity.jsonl']);
    for (const f of files) expect(statSync(path.join(dir, f)).size).toBeLessThanOrEqual(lineBytes * 4);
    const newest = await log.search({ limit: 1000 });
    expect(newest[0]!.tool).toBe('tool_59');
    expect(newest).toHaveLength(new Set(newest.map((e) => e.tool)).size);
    // The newest lines survive, the oldest were deleted with their file.
    expect(newest.map((e) => e.tool)).toContain('tool_50');
    expect(newest.map((e) => e.tool)).not.toContain('tool_10');
  });

  it('with maxFiles 1 keeps only the current file, and shrinking maxFiles deletes old generations', async () => {
    const lineBytes = Buffer.byteLength(`${JSON.stringify(entry(10))}\n`);
    const { log } = newLog(new FakeClock(), { maxFileBytes: lineBytes * 2, maxFiles: 4 });
    for (let i = 10; i < 20; i++) log.append(entry(i));
    await log.flush();
    expect(readdirSync(dir)).toHaveLength(4);
    log.setLimits({ maxFileBytes: lineBytes * 2, maxFiles: 1 });
    for (let i = 20; i < 23; i++) log.append(entry(i));
    await log.flush();
    expect(readdirSync(dir)).toEqual(['activity.jsonl']);
  });

  it('searches newest first across files and unwritten lines, with filters', async () => {
    const lineBytes = Buffer.byteLength(`${JSON.stringify(entry(10))}\n`);
    const { log } = newLog(new FakeClock(), { maxFileBytes: lineBytes * 3, maxFiles: 10 });
    for (let i = 10; i < 20; i++) log.append(entry(i));
    await log.flush();
    log.append(entry(20, { status: 'error', error: 'Disk Quota exceeded' }));
    log.append(entry(21, { status: 'blocked', client: 'Claude Desktop' }));
    const all = await log.search({ limit: 100 });
    expect(all.map((e) => e.at)).toEqual(Array.from({ length: 12 }, (_, i) => 1021 - i));
    expect((await log.search({ limit: 3 })).map((e) => e.tool)).toEqual(['tool_21', 'tool_20', 'tool_19']);
    expect((await log.search({ server: 'notes', limit: 100 })).every((e) => e.server === 'notes')).toBe(true);
    expect((await log.search({ server: 'notes', limit: 100 })).length).toBe(6);
    expect((await log.search({ status: 'error', limit: 100 })).map((e) => e.tool)).toEqual(['tool_20']);
    expect((await log.search({ query: 'quota DISK', limit: 100 })).map((e) => e.tool)).toEqual(['tool_20']);
    expect((await log.search({ query: 'claude', limit: 100 })).map((e) => e.tool)).toEqual(['tool_21']);
    expect((await log.search({ query: 'quota claude', limit: 100 })).length).toBe(0);
  });

  it('skips malformed lines and foreign files, never failing a search', async () => {
    const { log } = newLog();
    log.append(entry(1));
    await log.flush();
    appendFileSync(current(), 'not json\n{"at": "wrong"}\n\n{"trunc');
    appendFileSync(path.join(dir, 'notes.txt'), 'hello');
    expect((await log.search({ limit: 10 })).map((e) => e.tool)).toEqual(['tool_1']);
  });

  it('starts on a fresh line after a torn last line left by a crash', async () => {
    appendFileSync(current(), `${JSON.stringify(entry(1))}\n{"at": 12, "sess`);
    const { log } = newLog();
    log.append(entry(2));
    await log.flush();
    expect((await log.search({ limit: 10 })).map((e) => e.tool)).toEqual(['tool_2', 'tool_1']);
  });

  it('reports a write failure and goes on', async () => {
    rmSync(dir, { recursive: true, force: true });
    // A file where the directory should be: every write fails.
    appendFileSync(dir, 'x');
    const { log, errors } = newLog();
    log.append(entry(1));
    await log.flush();
    expect(errors).toHaveLength(1);
    expect(await log.search({ limit: 10 })).toEqual([]);
    rmSync(dir, { force: true });
    mkdirSync(dir);
  });

  it('drops lines past maxPendingChars and says so', async () => {
    const { log, errors } = newLog(new FakeClock(), { maxPendingChars: 600, flushChars: 10_000 });
    for (let i = 0; i < 10; i++) log.append(entry(i));
    await log.flush();
    expect(errors[0]?.message).toMatch(/entries were dropped/);
    const lines = readFileSync(current(), 'utf8').trim().split('\n');
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.length).toBeLessThan(10);
  });

  it('flushes on close and ignores appends after it', async () => {
    const { log, clock } = newLog();
    log.append(entry(1));
    await log.close();
    expect(clock.pending).toBe(0);
    log.append(entry(2));
    expect((await log.search({ limit: 10 })).map((e) => e.tool)).toEqual(['tool_1']);
  });
});

describe('matchesActivity', () => {
  it('matches every word in server, method, tool, client, error and params', () => {
    const e = entry(1, { client: 'Cursor', params: { name: 'search', arguments: { q: 'Weather Berlin' } } });
    expect(matchesActivity(e, {}, ['berlin', 'notes'])).toBe(true);
    expect(matchesActivity(e, {}, ['cursor', 'tools/call'])).toBe(true);
    expect(matchesActivity(e, {}, ['session'])).toBe(false);
    expect(matchesActivity(e, { server: 'github' }, [])).toBe(false);
    expect(matchesActivity(e, { status: 'ok' }, [])).toBe(true);
  });
});
