import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ExtensionLogger } from '../../extension.js';
import { ToolPins } from './tool-pins.js';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../..');
let dir: string;
let file: string;
let warnings: string[];
const log: ExtensionLogger = { info: () => {}, warn: (m) => warnings.push(m), error: () => {} };

beforeEach(() => {
  mkdirSync(path.join(REPO, '.tmp-test'), { recursive: true });
  dir = mkdtempSync(path.join(REPO, '.tmp-test', 'tool-pins-'));
  file = path.join(dir, 'pins.json');
  warnings = [];
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const v = (hash: string) => ({ hash, description: `version ${hash}` });

describe('ToolPins', () => {
  it('starts empty without a file', async () => {
    const pins = await ToolPins.load(file, log);
    expect(pins.knows('notes')).toBe(false);
    expect([...pins.allPending()]).toEqual([]);
  });

  it('holds new and changed tools, keeping since when a held tool changes again', async () => {
    const pins = await ToolPins.load(file, log);
    expect(pins.hold('notes', 'add', v('1'), 100)).toBe(true);
    expect(pins.hold('notes', 'add', v('1'), 200)).toBe(false);
    expect(pins.pendingTool('notes', 'add')).toEqual({ reason: 'new', since: 100, current: v('1') });
    pins.approve('notes', 'add', v('1'));
    expect(pins.pendingTool('notes', 'add')).toBeUndefined();
    expect(pins.hold('notes', 'add', v('2'), 300)).toBe(true);
    expect(pins.hold('notes', 'add', v('3'), 400)).toBe(true);
    expect(pins.pendingTool('notes', 'add')).toEqual({ reason: 'changed', since: 300, current: v('3') });
    expect([...pins.allPending()]).toEqual([
      { server: 'notes', tool: 'add', pending: pins.pendingTool('notes', 'add'), approved: v('1') },
    ]);
    expect(pins.release('notes', 'add')).toBe(true);
    expect(pins.release('notes', 'add')).toBe(false);
  });

  it('saves atomically and loads what it saved', async () => {
    const pins = await ToolPins.load(file, log);
    pins.addServer('empty');
    pins.approve('notes', 'add', v('1'));
    pins.hold('notes', 'remove', v('9'), 5);
    await pins.save();
    expect(readdirSync(dir)).toEqual(['pins.json']);
    const again = await ToolPins.load(file, log);
    expect(again.knows('empty')).toBe(true);
    expect(again.approvedVersion('notes', 'add')).toEqual(v('1'));
    expect(again.pendingTool('notes', 'remove')).toEqual({ reason: 'new', since: 5, current: v('9') });
  });

  it('coalesces saves asked for while one is waiting, and writes the newest state', async () => {
    const pins = await ToolPins.load(file, log);
    pins.approve('a', 't', v('1'));
    const first = pins.save();
    pins.approve('b', 't', v('2'));
    const second = pins.save();
    pins.approve('c', 't', v('3'));
    const third = pins.save();
    expect(third).toBe(second);
    await Promise.all([first, second, third]);
    const saved = JSON.parse(readFileSync(file, 'utf8')) as { servers: object };
    expect(Object.keys(saved.servers)).toEqual(['a', 'b', 'c']);
  });

  it.each([
    ['not JSON', '{"version": 1, "serv'],
    ['the wrong shape', '{"version": 1, "servers": {"notes": {"approved": []}}}'],
  ])('sets a file with %s aside as pins.json.bad and starts afresh', async (_, text) => {
    writeFileSync(file, text);
    const pins = await ToolPins.load(file, log);
    expect(pins.knows('notes')).toBe(false);
    expect(existsSync(file)).toBe(false);
    expect(readFileSync(`${file}.bad`, 'utf8')).toBe(text);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('pins.json.bad');
  });

  it('reports a failed write to whoever saved', async () => {
    const pins = await ToolPins.load(path.join(dir, 'missing-dir', 'pins.json'), log);
    pins.addServer('notes');
    await expect(pins.save()).rejects.toThrow(/ENOENT/);
    await expect(pins.flush()).resolves.toBeUndefined();
  });
});
