import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function electronInstalled(): boolean {
  try {
    return existsSync(createRequire(import.meta.url)('electron') as unknown as string);
  } catch {
    return false;
  }
}

describe.skipIf(electronInstalled())('npm start without the Electron binary', () => {
  it('says plainly that Electron is missing, how to get it, and points to `switchboard serve`', async () => {
    const child = spawn(process.execPath, [path.join(REPO, 'scripts/start-app.mjs')], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const code = await new Promise<number | null>((r) => child.once('exit', r));
    expect(code).toBe(1);
    expect(stderr).toContain('the Electron binary is not installed');
    expect(stderr).toContain('node node_modules/electron/install.js');
    expect(stderr).toContain('switchboard serve');
  });
});
