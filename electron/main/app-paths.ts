import path from 'node:path';

export interface AppPaths {
  /** The built window (dist/renderer), served at app://switchboard/. */
  readonly renderer: string;
  /** The preload bundle (CommonJS: sandboxed preloads cannot be ES modules). */
  readonly preload: string;
  /** Tray and app icons: resources/ in a checkout, <resources>/icons in a packaged app (extraResources). */
  readonly icons: string;
  /** The CLI's launcher, where Node can read it (unpacked beside app.asar in a packaged app). */
  readonly cliLauncher: string;
}

/** Where the main process finds its files, from a checkout (`npm start`) or a packaged app. */
export function appPaths(app: { isPackaged: boolean; appPath: string; resourcesPath: string }): AppPaths {
  return {
    renderer: path.join(app.appPath, 'dist', 'renderer'),
    preload: path.join(app.appPath, 'dist', 'preload', 'preload.cjs'),
    icons: app.isPackaged ? path.join(app.resourcesPath, 'icons') : path.join(app.appPath, 'resources'),
    cliLauncher: app.isPackaged
      ? path.join(app.resourcesPath, 'app.asar.unpacked', 'bin', 'switchboard.mjs')
      : path.join(app.appPath, 'bin', 'switchboard.mjs'),
  };
}

/** Resolves when `stop` does, or after `ms` (then `onTimeout` runs): Quit never hangs on a stuck server. */
export async function stopWithin(
  stop: () => Promise<void>,
  ms: number,
  onTimeout: () => void,
): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  const stopped = stop().then(
    () => true as const,
    () => true as const,
  );
  const done = await Promise.race([stopped, timedOut]);
  clearTimeout(timer);
  if (!done) onTimeout();
  return done;
}
