import type { ApiErrorBody } from './api.js';

/**
 * What the preload script exposes to the window as `window.switchboard` (DESIGN §2): the API table's
 * operations and streams by name, nothing else. Errors cross the IPC boundary as values, because
 * Electron keeps only the message of a thrown error.
 */
export type IpcResult = { ok: true; value: unknown } | { ok: false; status: number; error: ApiErrorBody };

export interface PreloadApi {
  invoke(operation: string, input: unknown): Promise<IpcResult>;
  /**
   * Starts a stream; `onItem` gets each item, `onError` the reason if the engine refused or ended it;
   * the returned function stops it.
   */
  subscribe(
    stream: string,
    input: unknown,
    onItem: (item: unknown) => void,
    onError?: (status: number, error: ApiErrorBody) => void,
  ): () => void;
}

/** The IPC channels between the preload script and main; nothing else crosses. */
export const IPC_CHANNELS = {
  /** invoke(operation, input) → IpcResult */
  invoke: 'switchboard:invoke',
  /** send(id, stream, input): start a stream whose items come back on `item` with that id */
  subscribe: 'switchboard:subscribe',
  /** send(id): stop it */
  unsubscribe: 'switchboard:unsubscribe',
  /** main → window: (id, item) */
  item: 'switchboard:item',
  /** main → window: (id, status, error): the stream was refused or ended */
  streamError: 'switchboard:stream-error',
} as const;

/** The name the preload script gives the API on `window`. */
export const PRELOAD_GLOBAL = 'switchboard';
