import { disableLinuxAutostart, enableLinuxAutostart, linuxAutostartEnabled } from './linux-autostart.js';

// "Launch at login" per platform: macOS and Windows through Electron's login items, everything else
// (Linux, the BSDs) through an XDG autostart entry, which Electron does not write.

export const HIDDEN_FLAG = '--hidden';

/** The part of Electron's `app` used here. */
export interface LoginItemPort {
  setLoginItemSettings(settings: { openAtLogin: boolean; openAsHidden?: boolean; args?: string[] }): void;
  getLoginItemSettings(options?: { args?: string[] }): { openAtLogin: boolean; wasOpenedAtLogin?: boolean };
}

export interface LoginItemContext {
  platform: NodeJS.Platform;
  app: LoginItemPort;
  env: NodeJS.ProcessEnv;
  homedir: string;
  execPath: string;
  /**
   * Arguments before --hidden: `electron .` from a checkout needs the app's folder, a packaged app
   * none. Linux and Windows only: macOS login items open the app bundle without arguments.
   */
  args?: readonly string[];
}

const loginArgs = (ctx: LoginItemContext): string[] => [...(ctx.args ?? []), HIDDEN_FLAG];

export async function setLaunchAtLogin(enabled: boolean, ctx: LoginItemContext): Promise<void> {
  const { platform, app } = ctx;
  if (platform === 'darwin') {
    app.setLoginItemSettings({ openAtLogin: enabled, openAsHidden: true });
  } else if (platform === 'win32') {
    app.setLoginItemSettings({ openAtLogin: enabled, args: loginArgs(ctx) });
  } else if (enabled) {
    await enableLinuxAutostart({ ...ctx, appImage: ctx.env.APPIMAGE, args: loginArgs(ctx) });
  } else {
    await disableLinuxAutostart(ctx);
  }
}

export async function launchAtLoginEnabled(ctx: LoginItemContext): Promise<boolean> {
  const { platform, app } = ctx;
  if (platform === 'darwin') return app.getLoginItemSettings().openAtLogin;
  // Windows keys its Run entry on path + args, so reading back passes the same args as writing.
  if (platform === 'win32') return app.getLoginItemSettings({ args: loginArgs(ctx) }).openAtLogin;
  return linuxAutostartEnabled(ctx);
}

/**
 * Whether this launch should stay in the tray: Linux and Windows login entries pass --hidden; macOS
 * login items cannot pass arguments, so ask whether the system opened us at login.
 */
export function startHidden(argv: readonly string[], platform: NodeJS.Platform, app: LoginItemPort): boolean {
  if (argv.includes(HIDDEN_FLAG)) return true;
  return platform === 'darwin' && app.getLoginItemSettings().wasOpenedAtLogin === true;
}
