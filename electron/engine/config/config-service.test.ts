import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ConfigAppliedEvent, ConfigInvalidEvent } from '../../shared/events.js';
import { ConfigService } from './config-service.js';

type Event = ConfigAppliedEvent | ConfigInvalidEvent;

let dir: string;
let file: string;
let service: ConfigService;
let events: Event[];
let logs: string[];

async function nextEvent(type: Event['type'], after: number): Promise<Event> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const found = events.slice(after).find((e) => e.type === type);
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`no ${type} event within 5 s`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

beforeEach(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'sb-config-service-'));
  file = path.join(dir, 'config.json');
  writeFileSync(
    file,
    JSON.stringify({ mcpServers: { a: { command: 'node', args: ['a.js'] }, b: { command: 'node' } } }),
  );
  events = [];
  logs = [];
  service = new ConfigService({ file, log: (l) => logs.push(l), debounceMs: 30 });
  service.on('event', (e) => events.push(e));
  await service.start();
});

afterEach(async () => {
  await service.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('ConfigService', () => {
  it('picks up a hand edit and names only the servers that changed', async () => {
    expect(Object.keys(service.current.mcpServers)).toEqual(['a', 'b']);
    const mark = events.length;
    writeFileSync(
      file,
      JSON.stringify({
        mcpServers: {
          a: { command: 'node', args: ['a2.js'] },
          b: { command: 'node' },
          c: { url: 'http://127.0.0.1:1/mcp' },
        },
      }),
    );
    const applied = (await nextEvent('config.applied', mark)) as ConfigAppliedEvent;
    expect(applied).toMatchObject({ added: ['c'], removed: [], changed: ['a'] });
    expect(service.current.mcpServers.a).toMatchObject({ args: ['a2.js'] });
  });

  it('says no server runs when the file is invalid from the start (there is no last good config)', async () => {
    const brokenFile = path.join(dir, 'broken.json');
    writeFileSync(brokenFile, '{"mcpServers": ');
    const told: string[] = [];
    const broken = new ConfigService({ file: brokenFile, log: (l) => told.push(l), debounceMs: 30 });
    await broken.start();
    expect(broken.invalid).toBeDefined();
    expect(Object.keys(broken.current.mcpServers)).toEqual([]);
    expect(told.join('\n')).toContain('is invalid; no server runs until it is fixed');
    expect(told.join('\n')).not.toContain('last good');
    await broken.close();
  });

  it('keeps the last good config when the file turns invalid, and recovers when it is fixed', async () => {
    const mark = events.length;
    writeFileSync(file, '{"mcpServers": {"a": {"command": "node"},}');
    const invalid = (await nextEvent('config.invalid', mark)) as ConfigInvalidEvent;
    expect(invalid.problems[0]!.message).toMatch(/not valid JSON/);
    expect(Object.keys(service.current.mcpServers)).toEqual(['a', 'b']);
    expect(service.invalid).toBeDefined();
    expect(logs.some((l) => l.includes('keeping the last good config'))).toBe(true);
    await expect(service.update(() => {})).rejects.toThrow(/fix it first/);

    const mark2 = events.length;
    writeFileSync(file, JSON.stringify({ mcpServers: { a: { command: 'node', args: ['a.js'] } } }));
    const applied = (await nextEvent('config.applied', mark2)) as ConfigAppliedEvent;
    expect(applied).toMatchObject({ removed: ['b'], changed: [] });
    expect(service.invalid).toBeUndefined();
  });

  it('keeps every server when the file is emptied (as editors do before writing), and says so', async () => {
    for (const emptied of ['', '  \n\t\n']) {
      const mark = events.length;
      writeFileSync(file, emptied);
      const invalid = (await nextEvent('config.invalid', mark)) as ConfigInvalidEvent;
      expect(invalid.problems[0]!.message).toMatch(/is empty; .*last good one stays in force/);
      expect(Object.keys(service.current.mcpServers)).toEqual(['a', 'b']);
      expect(events.slice(mark).some((e) => e.type === 'config.applied')).toBe(false);
    }
    const mark = events.length;
    writeFileSync(file, JSON.stringify({ mcpServers: {} }));
    const applied = (await nextEvent('config.applied', mark)) as ConfigAppliedEvent;
    expect(applied).toMatchObject({ removed: ['a', 'b'] });
  });

  it('updates through the raw JSON, keeping unknown keys, with a backup', async () => {
    writeFileSync(
      file,
      JSON.stringify({ mcpServers: { a: { command: 'node', note: 'mine' } }, theirKey: 1 }),
    );
    await service.reload();
    await service.update((raw) => {
      (raw.mcpServers as Record<string, Record<string, unknown>>).a!.enabled = false;
    });
    const onDisk = JSON.parse(readFileSync(file, 'utf8'));
    expect(onDisk).toEqual({
      mcpServers: { a: { command: 'node', note: 'mine', enabled: false } },
      theirKey: 1,
    });
    expect(service.current.mcpServers.a?.enabled).toBe(false);
    expect(JSON.parse(readFileSync(`${file}.bak`, 'utf8')).mcpServers.a.enabled).toBeUndefined();
  });

  it('replaces the whole file, also while the file on disk is invalid, and shows its JSON as written', async () => {
    writeFileSync(file, '{"mcpServers": ');
    await service.reload();
    expect(service.invalid).toBeDefined();
    const mark = events.length;
    await service.replace({ mcpServers: { c: { command: 'node', note: 'kept' } } });
    expect(service.invalid).toBeUndefined();
    expect(Object.keys(service.current.mcpServers)).toEqual(['c']);
    expect(events.slice(mark).some((e) => e.type === 'config.applied')).toBe(true);
    expect(service.raw).toEqual({ mcpServers: { c: { command: 'node', note: 'kept' } } });
    service.raw.mcpServers = {}; // a copy: changing it changes nothing
    expect(Object.keys(service.raw.mcpServers as object)).toEqual(['c']);
    expect(readFileSync(`${file}.bak`, 'utf8')).toBe('{"mcpServers": ');
  });

  it('refuses to replace the file with an invalid config and leaves it alone', async () => {
    const before = readFileSync(file, 'utf8');
    await expect(service.replace({ mcpServers: { a: { command: '' } } })).rejects.toThrow(
      /mcpServers\.a\.command: must not be empty/,
    );
    expect(readFileSync(file, 'utf8')).toBe(before);
  });
});
