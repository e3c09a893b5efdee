import { externalUrl, isAppUrl } from './navigation-policy.js';

// The window's page gets no way out: it cannot navigate away from app://switchboard, open windows,
// embed <webview>s or be granted a permission. Typed against the few members used, so Electron's real
// WebContents and Session fit and the tests can pass plain event emitters.

export interface PreventableEvent {
  preventDefault(): void;
}

/** Electron puts the target on the event (`details.url`); older releases passed it as the 2nd argument. */
export interface NavigationEvent extends PreventableEvent {
  readonly url?: string;
}

export interface HardenableContents {
  on(
    event: 'will-navigate' | 'will-redirect' | 'will-frame-navigate',
    listener: (event: NavigationEvent, ...args: unknown[]) => void,
  ): unknown;
  on(event: 'will-attach-webview', listener: (event: PreventableEvent, ...args: unknown[]) => void): unknown;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
}

export interface HardenableSession {
  setPermissionRequestHandler(
    handler:
      ((webContents: unknown, permission: string, callback: (granted: boolean) => void) => void) | null,
  ): void;
  setPermissionCheckHandler(handler: ((...args: unknown[]) => boolean) | null): void;
}

export interface ExternalOpener {
  /** Hands an http(s) URL to the user's browser (shell.openExternal). */
  openExternal(url: string): void;
}

function targetOf(event: NavigationEvent, args: unknown[]): string {
  if (typeof event.url === 'string') return event.url;
  const [url] = args;
  return typeof url === 'string' ? url : '';
}

export function hardenWebContents(contents: HardenableContents, opener: ExternalOpener): void {
  const keepInApp = (event: NavigationEvent, ...args: unknown[]): void => {
    const url = targetOf(event, args);
    if (isAppUrl(url)) return;
    event.preventDefault();
    const external = externalUrl(url);
    if (external !== undefined) opener.openExternal(external);
  };
  contents.on('will-navigate', keepInApp);
  contents.on('will-redirect', keepInApp);
  // Subframes may only move within the app; a frame is no place to start opening browser tabs from.
  contents.on('will-frame-navigate', (event, ...args) => {
    if (!isAppUrl(targetOf(event, args))) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    const external = externalUrl(url);
    if (external !== undefined) opener.openExternal(external);
    return { action: 'deny' };
  });
}

/** The window needs no camera, notifications, clipboard reads or anything else a permission guards. */
export function hardenSession(session: HardenableSession): void {
  session.setPermissionRequestHandler((_webContents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
}
