import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { App } from 'electron';
import { afterEach, beforeEach, describe, expect, expectTypeOf, it } from 'vitest';
import { AUTOSTART_FILE } from './linux-autostart.js';
import {
  launchAtLoginEnabled,
  setLaunchAtLogin,
  startHidden,
  type LoginItemContext,
  type LoginItemPort,
} from './login-item.js';

type Settings = Parameters<LoginItemPort['setLoginItemSettings']>[0];

/** Records what was asked and answers like Electron: Windows matches on args, macOS on nothing. */
class FakeApp implements LoginItemPort {
  readonly set: Settings[] = [];
  readonly got: (readonly string[] | undefined)[] = [];
  wasOpenedAtLogin = false;
  private saved: Settings | undefined;

  setLoginItemSettings(settings: Settings): void {
    this.set.push(settings);
    this.saved = settings;
  }

  getLoginItemSettings(options?: { args?: string[] }) {
    this.got.push(options?.args);
    const argsMatch = JSON.stringify(options?.args ?? []) === JSON.stringify(this.saved?.args ?? []);
    return {
      openAtLogin: (this.saved?.openAtLogin ?? false) && argsMatch,
      wasOpenedAtLogin: this.wasOpenedAtLogin,
    };
  }
}

let home: string;
beforeEach(() => (home = mkdtempSync(path.join(os.tmpdir(), 'sb-'))));
afterEach(() => rmSync(home, { recursive: true, force: true }));

function context(
  platform: NodeJS.Platform,
  env: NodeJS.ProcessEnv = {},
): LoginItemContext & { app: FakeApp } {
  return { platform, app: new FakeApp(), env, homedir: home, execPath: '/opt/Switchboard/switchboard' };
}

describe('setLaunchAtLogin / launchAtLoginEnabled', () => {
  it('macOS: a login item that opens hidden', async () => {
    const ctx = context('darwin');
    expect(await launchAtLoginEnabled(ctx)).toBe(false);
    await setLaunchAtLogin(true, ctx);
    expect(ctx.app.set).toEqual([{ openAtLogin: true, openAsHidden: true }]);
    expect(await launchAtLoginEnabled(ctx)).toBe(true);
    await setLaunchAtLogin(false, ctx);
    expect(ctx.app.set[1]).toEqual({ openAtLogin: false, openAsHidden: true });
    expect(await launchAtLoginEnabled(ctx)).toBe(false);
    expect(readdirSync(home)).toEqual([]); // nothing on disk
  });

  it('Windows: a Run entry with --hidden, read back with the same args', async () => {
    const ctx = context('win32');
    await setLaunchAtLogin(true, ctx);
    expect(ctx.app.set).toEqual([{ openAtLogin: true, args: ['--hidden'] }]);
    expect(await launchAtLoginEnabled(ctx)).toBe(true);
    expect(ctx.app.got.at(-1)).toEqual(['--hidden']);
    await setLaunchAtLogin(false, ctx);
    expect(ctx.app.set[1]).toEqual({ openAtLogin: false, args: ['--hidden'] });
    expect(await launchAtLoginEnabled(ctx)).toBe(false);
    expect(readdirSync(home)).toEqual([]);
  });

  it('passes the app folder of a checkout run (`electron .`) before --hidden', async () => {
    const win = { ...context('win32'), args: ['/src/switchboard'] };
    await setLaunchAtLogin(true, win);
    expect(win.app.set).toEqual([{ openAtLogin: true, args: ['/src/switchboard', '--hidden'] }]);
    expect(await launchAtLoginEnabled(win)).toBe(true);
    expect(win.app.got.at(-1)).toEqual(['/src/switchboard', '--hidden']);

    const linux = { ...context('linux'), args: ['/src/my switchboard'] };
    await setLaunchAtLogin(true, linux);
    const text = readFileSync(path.join(home, '.config', 'autostart', AUTOSTART_FILE), 'utf8');
    expect(text).toMatch(/^Exec=\/opt\/Switchboard\/switchboard "\/src\/my switchboard" --hidden$/m);
  });

  it('Linux: an XDG autostart entry on disk, never a login item', async () => {
    const ctx = context('linux');
    const file = path.join(home, '.config', 'autostart', AUTOSTART_FILE);
    expect(await launchAtLoginEnabled(ctx)).toBe(false);
    await setLaunchAtLogin(true, ctx);
    expect(readFileSync(file, 'utf8')).toMatch(/^Exec=\/opt\/Switchboard\/switchboard --hidden$/m);
    expect(await launchAtLoginEnabled(ctx)).toBe(true);
    await setLaunchAtLogin(false, ctx);
    expect(readdirSync(path.dirname(file))).toEqual([]);
    expect(await launchAtLoginEnabled(ctx)).toBe(false);
    expect(ctx.app.set).toEqual([]);
    expect(ctx.app.got).toEqual([]);
  });

  it('Linux: starts the AppImage and honours XDG_CONFIG_HOME', async () => {
    const config = path.join(home, 'cfg');
    const ctx = context('linux', { APPIMAGE: '/home/me/Switchboard.AppImage', XDG_CONFIG_HOME: config });
    await setLaunchAtLogin(true, ctx);
    const text = readFileSync(path.join(config, 'autostart', AUTOSTART_FILE), 'utf8');
    expect(text).toMatch(/^Exec=\/home\/me\/Switchboard\.AppImage --hidden$/m);
    expect(await launchAtLoginEnabled(ctx)).toBe(true);
    expect(await launchAtLoginEnabled(context('linux'))).toBe(false); // not under ~/.config
  });
});

describe('startHidden', () => {
  it('is true when launched with --hidden, on any platform', () => {
    for (const platform of ['linux', 'win32', 'darwin'] as const) {
      expect(startHidden(['/opt/sb', '--hidden'], platform, new FakeApp()), platform).toBe(true);
      expect(startHidden(['/opt/sb'], platform, new FakeApp()), platform).toBe(false);
    }
    expect(startHidden(['/opt/sb', '--hidden=false', 'hidden'], 'linux', new FakeApp())).toBe(false);
  });

  it('on macOS, is true when the system opened the app at login', () => {
    const app = new FakeApp();
    app.wasOpenedAtLogin = true;
    expect(startHidden(['/Applications/Switchboard.app/Contents/MacOS/Switchboard'], 'darwin', app)).toBe(
      true,
    );
    expect(startHidden(['/opt/sb'], 'linux', app)).toBe(false);
    expect(startHidden(['C:\\sb.exe'], 'win32', app)).toBe(false);
  });

  it("fits Electron's app", () => {
    expectTypeOf<App>().toExtend<LoginItemPort>();
  });
});
