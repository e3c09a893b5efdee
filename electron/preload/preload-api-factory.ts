import type { ApiErrorBody } from '../shared/api.js';
import { IPC_CHANNELS, type IpcResult, type PreloadApi } from '../shared/preload-api.js';

/** What the factory needs of Electron's ipcRenderer. */
export interface IpcRendererPort {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  send(channel: string, ...args: unknown[]): void;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

interface Subscription {
  onItem(item: unknown): void;
  onError?(status: number, error: ApiErrorBody): void;
}

/**
 * The API the preload puts on `window.switchboard`: invoke and subscribe by name, nothing else —
 * never ipcRenderer itself (Electron's security checklist). One listener per channel routes stream
 * items to their subscription by id.
 */
export function createPreloadApi(ipc: IpcRendererPort): PreloadApi {
  const subscriptions = new Map<string, Subscription>();
  let nextId = 0;
  ipc.on(IPC_CHANNELS.item, (_event, id, item) => subscriptions.get(String(id))?.onItem(item));
  ipc.on(IPC_CHANNELS.streamError, (_event, id, status, error) => {
    const subscription = subscriptions.get(String(id));
    subscriptions.delete(String(id));
    subscription?.onError?.(Number(status), error as ApiErrorBody);
  });
  return {
    invoke: (operation, input) => ipc.invoke(IPC_CHANNELS.invoke, operation, input) as Promise<IpcResult>,
    subscribe(stream, input, onItem, onError) {
      const id = `s${++nextId}`;
      subscriptions.set(id, onError ? { onItem, onError } : { onItem });
      ipc.send(IPC_CHANNELS.subscribe, id, stream, input);
      return () => {
        if (!subscriptions.delete(id)) return;
        ipc.send(IPC_CHANNELS.unsubscribe, id);
      };
    },
  };
}
