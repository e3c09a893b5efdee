import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { appPaths, stopWithin } from './app-paths.js';

describe('appPaths', () => {
  it('finds the window, preload and icons in a checkout and in a packaged app', () => {
    const dev = appPaths({ isPackaged: false, appPath: '/repo', resourcesPath: '/electron/resources' });
    expect(dev).toEqual({
      renderer: path.join('/repo', 'dist', 'renderer'),
      preload: path.join('/repo', 'dist', 'preload', 'preload.cjs'),
      icons: path.join('/repo', 'resources'),
      cliLauncher: path.join('/repo', 'bin', 'switchboard.mjs'),
    });
    const packaged = appPaths({
      isPackaged: true,
      appPath: '/opt/S/resources/app.asar',
      resourcesPath: '/opt/S/resources',
    });
    expect(packaged.renderer).toBe(path.join('/opt/S/resources/app.asar', 'dist', 'renderer'));
    expect(packaged.icons).toBe(path.join('/opt/S/resources', 'icons'));
    // Node cannot read inside app.asar: the CLI is unpacked beside it (electron-builder.yml asarUnpack).
    expect(packaged.cliLauncher).toBe(
      path.join('/opt/S/resources', 'app.asar.unpacked', 'bin', 'switchboard.mjs'),
    );
  });
});

describe('stopWithin', () => {
  it('waits for a stop that finishes in time', async () => {
    let timedOut = false;
    const done = await stopWithin(
      () => new Promise((r) => setTimeout(r, 20)),
      1000,
      () => (timedOut = true),
    );
    expect(done).toBe(true);
    expect(timedOut).toBe(false);
  });

  it('gives up on a stop that hangs, and says so', async () => {
    let timedOut = false;
    const done = await stopWithin(
      () => new Promise(() => {}),
      30,
      () => (timedOut = true),
    );
    expect(done).toBe(false);
    expect(timedOut).toBe(true);
  });

  it('counts a stop that failed as finished (there is nothing left to wait for)', async () => {
    expect(
      await stopWithin(
        () => Promise.reject(new Error('x')),
        1000,
        () => {},
      ),
    ).toBe(true);
  });
});
