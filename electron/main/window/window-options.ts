import type { BrowserWindowConstructorOptions, WebPreferences } from 'electron';

/**
 * Electron's security checklist for a window that shows local content: the page runs sandboxed in its
 * own JavaScript world with no Node, reaches the engine only through the preload's bridge, and cannot
 * embed webviews, load mixed content or navigate by dropping a file on it.
 */
export const SECURE_WEB_PREFERENCES = Object.freeze({
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  webviewTag: false,
  spellcheck: false,
  navigateOnDragDrop: false,
  safeDialogs: true,
} satisfies WebPreferences);

/** The theme's --bg, so the window does not flash another colour before the page paints. */
const BACKGROUND = { light: '#ffffff', dark: '#15181c' } as const;

export interface MainWindowOptions {
  /** Absolute path of the built preload script. */
  preload: string;
  icon?: string;
  /** False when started at login: the app lives in the tray until the user opens the window. */
  show: boolean;
  /** nativeTheme.shouldUseDarkColors, for the background painted before the page loads. */
  dark?: boolean;
}

export function mainWindowOptions(opts: MainWindowOptions): BrowserWindowConstructorOptions {
  return {
    width: 1100,
    height: 720,
    minWidth: 720,
    minHeight: 480,
    title: 'Switchboard',
    show: opts.show,
    backgroundColor: opts.dark ? BACKGROUND.dark : BACKGROUND.light,
    autoHideMenuBar: true,
    ...(opts.icon !== undefined ? { icon: opts.icon } : {}),
    webPreferences: { ...SECURE_WEB_PREFERENCES, preload: opts.preload },
  };
}
