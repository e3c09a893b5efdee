import { mkdtempSync, rmSync, statSync, existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ENGINE_INFO_FILE,
  newToken,
  readEngineInfo,
  removeEngineInfo,
  writeEngineInfo,
  type EngineInfo,
} from './engine-info.js';

let home: string;
beforeEach(() => (home = mkdtempSync(path.join(tmpdir(), 'sb-home-'))));
afterEach(() => rmSync(home, { recursive: true, force: true }));

const info = (pid: number): EngineInfo => ({
  pid,
  host: '127.0.0.1',
  port: 7420,
  url: 'http://127.0.0.1:7420',
  token: newToken(),
  startedAt: 1,
});

describe('engine.json', () => {
  it('is written for its owner only and read back while the engine lives', async () => {
    const file = await writeEngineInfo(home, info(process.pid));
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect((await readEngineInfo(home))?.pid).toBe(process.pid);
  });

  it('is ignored when its engine is gone (stale after a crash)', async () => {
    writeFileSync(path.join(home, ENGINE_INFO_FILE), JSON.stringify(info(2 ** 22 + 12345)));
    expect(await readEngineInfo(home)).toBeUndefined();
  });

  it('is removed only by the engine that wrote it', async () => {
    await writeEngineInfo(home, info(process.pid));
    await removeEngineInfo(home, process.pid + 1);
    expect(existsSync(path.join(home, ENGINE_INFO_FILE))).toBe(true);
    await removeEngineInfo(home);
    expect(existsSync(path.join(home, ENGINE_INFO_FILE))).toBe(false);
  });

  it('uses tokens too long and random to guess', () => {
    const a = newToken();
    expect(a.length).toBeGreaterThanOrEqual(43);
    expect(newToken()).not.toBe(a);
  });
});
