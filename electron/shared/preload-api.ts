import type { ApiErrorBody } from './api.js';

/**
 * What the preload script exposes to the window as `window.switchboard` (DESIGN §2): the API table's
 * operations and streams by name, nothing else. Errors cross the IPC boundary as values, because
 * Electron keeps only the message of a thrown error.
 */
export type IpcResult = { ok: true; value: unknown } | { ok: false; status: number; error: ApiErrorBody };

export interface PreloadApi {
  invoke(operation: string, input: unknown): Promise<IpcResult>;
  /** Starts a stream; `onItem` gets each item; the returned function stops it. */
  subscribe(stream: string, input: unknown, onItem: (item: unknown) => void): () => void;
}

/** The name the preload script gives the API on `window`. */
export const PRELOAD_GLOBAL = 'switchboard';
