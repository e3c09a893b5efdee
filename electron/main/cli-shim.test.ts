import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { findOnPath } from '../engine/index.js';
import { cliShim, installCliShim } from './cli-shim.js';

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

describe('the command-line tool the tray installs', () => {
  it('is a script in ~/.local/bin that runs the CLI with Node by absolute paths, and says whether that is on PATH', () => {
    const context = {
      platform: 'linux' as const,
      homedir: '/home/ada',
      node: "/opt/no de/bin/node's",
      launcher: '/opt/Switch board/resources/app.asar.unpacked/bin/switchboard.mjs',
    };
    const onPath = cliShim({ ...context, env: { PATH: '/usr/bin:/home/ada/.local/bin/' } });
    expect(onPath.file).toBe('/home/ada/.local/bin/switchboard');
    expect(onPath.dirOnPath).toBe(true);
    expect(onPath.content).toContain(
      `exec '/opt/no de/bin/node'\\''s' '/opt/Switch board/resources/app.asar.unpacked/bin/switchboard.mjs' "$@"`,
    );
    expect(cliShim({ ...context, env: { PATH: '/usr/bin' } }).dirOnPath).toBe(false);
  });

  it('is a .cmd in WindowsApps on Windows', () => {
    const shim = cliShim({
      platform: 'win32',
      homedir: 'C:\\Users\\ada',
      env: {
        LOCALAPPDATA: 'C:\\Users\\ada\\AppData\\Local',
        Path: 'C:\\Windows;c:\\users\\ada\\appdata\\local\\microsoft\\windowsapps',
      },
      node: 'C:\\Program Files\\nodejs\\node.exe',
      launcher: 'C:\\Program Files\\Switchboard\\resources\\app\\bin\\switchboard.mjs',
    });
    expect(shim.file).toBe('C:\\Users\\ada\\AppData\\Local\\Microsoft\\WindowsApps\\switchboard.cmd');
    expect(shim.dirOnPath).toBe(true);
    expect(shim.content).toContain('"C:\\Program Files\\nodejs\\node.exe" "C:\\Program Files');
  });

  it.skipIf(process.platform === 'win32')(
    'runs: the written script starts the CLI it points at',
    async () => {
      dir = mkdtempSync(path.join(tmpdir(), 'sb-cli-shim-'));
      // A stand-in launcher that prints its arguments; the Node is the one found on PATH.
      const launcher = path.join(dir, 'launcher.mjs');
      writeFileSync(launcher, 'console.log(JSON.stringify(process.argv.slice(2)))\n');
      const node = findOnPath(
        'node',
        { PATH: `/nonexistent:${path.dirname(process.execPath)}` },
        process.platform,
      );
      expect(node).toBe(path.join(path.dirname(process.execPath), 'node'));
      const shim = cliShim({ platform: process.platform, homedir: dir, env: {}, node: node!, launcher });
      const told = await installCliShim(shim);
      expect(told).toContain('is not on your PATH');
      expect(statSync(shim.file).mode & 0o777).toBe(0o755);
      expect(readFileSync(shim.file, 'utf8')).toBe(shim.content);
      expect(execFileSync(shim.file, ['status', 'a b'], { encoding: 'utf8' }).trim()).toBe(
        '["status","a b"]',
      );
    },
  );
});
