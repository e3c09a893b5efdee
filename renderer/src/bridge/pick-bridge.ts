import { PRELOAD_GLOBAL, type PreloadApi } from '../../../electron/shared/preload-api.js';
import type { Bridge } from './bridge.js';
import { HttpBridge } from './http-bridge.js';
import { IpcBridge } from './ipc-bridge.js';

/** IPC when the preload put its API on `window` (Electron), else HTTP to the page's own origin. */
export function pickBridge(win: Window & Record<string, unknown>): Bridge {
  const preload = win[PRELOAD_GLOBAL] as PreloadApi | undefined;
  return preload ? new IpcBridge(preload) : new HttpBridge();
}
