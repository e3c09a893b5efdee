import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfigFile, writeConfigFile } from './config-file.js';

let dir: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'sb-config-'));
  file = path.join(dir, 'config.json');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('config file', () => {
  it('treats a missing file as an empty config', async () => {
    const result = await loadConfigFile(file);
    expect(result).toMatchObject({ ok: true, missing: true, config: { mcpServers: {} } });
  });

  it('points at a JSON syntax error by line and column', async () => {
    writeFileSync(file, '{\n  "mcpServers": {\n    "a": { "command": "x", }\n  }\n}\n');
    const result = await loadConfigFile(file);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems[0]!.message).toMatch(
      /is not valid JSON at line 3, column \d+.*fix the syntax; Switchboard reads it again when it is saved/,
    );
  });

  it('rejects a file that is not an object', async () => {
    writeFileSync(file, '[1,2]');
    const result = await loadConfigFile(file);
    expect(result).toMatchObject({
      ok: false,
      problems: [{ message: expect.stringMatching(/must hold a JSON object/) }],
    });
  });

  it('writes atomically, keeps a backup of the previous file and leaves no temp files', async () => {
    writeFileSync(file, '{"mcpServers":{"a":{"command":"old"}}}');
    await writeConfigFile(file, { mcpServers: { a: { command: 'new' } }, custom: { kept: true } });
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({
      mcpServers: { a: { command: 'new' } },
      custom: { kept: true },
    });
    expect(readFileSync(`${file}.bak`, 'utf8')).toBe('{"mcpServers":{"a":{"command":"old"}}}');
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('refuses to write an invalid config and leaves the file alone', async () => {
    writeFileSync(file, '{"mcpServers":{}}');
    await expect(writeConfigFile(file, { mcpServers: { a: { args: [] } } })).rejects.toThrow(
      /mcpServers\.a: needs "command"/,
    );
    expect(readFileSync(file, 'utf8')).toBe('{"mcpServers":{}}');
    expect(existsSync(`${file}.bak`)).toBe(false);
  });
});
