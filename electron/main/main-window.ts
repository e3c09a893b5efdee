import { BrowserWindow, nativeTheme, shell } from 'electron';
import { APP_ENTRY_URL } from './window/navigation-policy.js';
import { hardenWebContents } from './window/harden-web-contents.js';
import { mainWindowOptions } from './window/window-options.js';

/**
 * The one window: created on first use, hidden (not closed) when the person closes it, since the app
 * lives in the tray; closed for real only when the app quits.
 */
export class MainWindow {
  private window: BrowserWindow | undefined;

  constructor(private readonly options: { preload: string; icon: string; isQuitting: () => boolean }) {}

  /** Shows and focuses the window; `route` (e.g. `#/servers/echo/logs`) moves the page there. */
  show(route?: string): void {
    const window = this.window ?? this.create(true, route);
    if (route !== undefined && this.window === window && window.webContents.getURL()) {
      void window.webContents.executeJavaScript(`location.hash = ${JSON.stringify(route)}`);
    }
    if (window.isMinimized()) window.restore();
    window.show();
    window.focus();
  }

  /** Loads the window without showing it (started at login: it is ready when first opened). */
  preload(): void {
    this.window ??= this.create(false);
  }

  get webContentsId(): number | undefined {
    return this.window?.webContents.id;
  }

  destroy(): void {
    this.window?.destroy();
    this.window = undefined;
  }

  private create(show: boolean, route = ''): BrowserWindow {
    const window = new BrowserWindow(
      mainWindowOptions({
        preload: this.options.preload,
        icon: this.options.icon,
        show: false,
        dark: nativeTheme.shouldUseDarkColors,
      }),
    );
    hardenWebContents(window.webContents, { openExternal: (url) => void shell.openExternal(url) });
    if (show) window.once('ready-to-show', () => window.show());
    window.on('close', (event) => {
      if (this.options.isQuitting()) return;
      event.preventDefault();
      window.hide();
    });
    window.on('closed', () => {
      if (this.window === window) this.window = undefined;
    });
    void window.loadURL(`${APP_ENTRY_URL}${route}`);
    this.window = window;
    return window;
  }
}
