import type { IpcResult } from '../../shared/preload-api.js';
import { IPC_CHANNELS } from '../../shared/preload-api.js';
import { apiFailure } from '../../engine/index.js';

/** The frame that sent an IPC message, as Electron describes it (null once it navigated away). */
export interface SenderFrame {
  readonly url: string;
  readonly parent: unknown;
}

/** The window side of a message: where streams send their items. */
export interface IpcSender {
  readonly id: number;
  send(channel: string, ...args: unknown[]): void;
  isDestroyed(): boolean;
  once(event: 'destroyed', listener: () => void): unknown;
}

export interface IpcEvent {
  readonly senderFrame: SenderFrame | null | undefined;
  readonly sender: IpcSender;
}

/** What registerIpc needs of Electron's ipcMain. */
export interface IpcMainPort {
  handle(channel: string, listener: (event: IpcEvent, ...args: unknown[]) => Promise<unknown>): void;
  removeHandler(channel: string): void;
  on(channel: string, listener: (event: IpcEvent, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: IpcEvent, ...args: unknown[]) => void): unknown;
}

/** The engine's operations and streams by name (the engine's ApiDispatcher). */
export interface ApiPort {
  invoke(name: string, input: unknown): Promise<unknown>;
  subscribe(name: string, input: unknown, send: (item: unknown) => void): Promise<() => void>;
}

const FORBIDDEN = { status: 403, error: { error: 'IPC is answered for the Switchboard window only' } };

/**
 * Answers the preload's calls from the API table (DESIGN §2): each message is checked to come from
 * the app's own top frame, and its input is validated by the table's schema (in ApiPort) before a
 * handler sees it. Streams end when their window goes away. Returns how to unregister.
 */
export function registerIpc(
  ipc: IpcMainPort,
  api: ApiPort,
  isTrustedSender: (frame: SenderFrame | null | undefined) => boolean,
  log: (line: string) => void = () => {},
): () => void {
  // Per window (webContents id), its open streams by the id the preload gave them.
  const streams = new Map<number, Map<string, () => void>>();

  ipc.handle(IPC_CHANNELS.invoke, async (event, name, input): Promise<IpcResult> => {
    if (!isTrustedSender(event.senderFrame)) {
      log(`IPC call refused: ${String(name)} from ${event.senderFrame?.url ?? 'a closed frame'}`);
      return { ok: false, ...FORBIDDEN };
    }
    try {
      return { ok: true, value: await api.invoke(String(name), input) };
    } catch (err) {
      return { ok: false, ...apiFailure(err) };
    }
  });

  const stopStream = (senderId: number, id: string) => {
    const open = streams.get(senderId);
    open?.get(id)?.();
    open?.delete(id);
  };

  const onSubscribe = (event: IpcEvent, id: unknown, name: unknown, input: unknown) => {
    const { sender } = event;
    if (typeof id !== 'string') return;
    const fail = (failure: { status: number; error: unknown }) => {
      if (!sender.isDestroyed()) sender.send(IPC_CHANNELS.streamError, id, failure.status, failure.error);
    };
    if (!isTrustedSender(event.senderFrame)) {
      log(`IPC stream refused: ${String(name)} from ${event.senderFrame?.url ?? 'a closed frame'}`);
      return fail(FORBIDDEN);
    }
    let open = streams.get(sender.id);
    if (!open) {
      const fresh = new Map<string, () => void>();
      streams.set(sender.id, fresh);
      sender.once('destroyed', () => {
        for (const stop of fresh.values()) stop();
        streams.delete(sender.id);
      });
      open = fresh;
    }
    stopStream(sender.id, id); // a reused id replaces its stream
    const send = (item: unknown) => {
      if (!sender.isDestroyed()) sender.send(IPC_CHANNELS.item, id, item);
    };
    // Registered at once, so an unsubscribe (or the window closing) while it starts still stops it.
    let stopped = false;
    let stop: (() => void) | undefined;
    open.set(id, () => {
      stopped = true;
      stop?.();
    });
    api.subscribe(String(name), input, send).then(
      (started) => {
        if (stopped || sender.isDestroyed()) started();
        else stop = started;
      },
      (err: unknown) => {
        streams.get(sender.id)?.delete(id);
        fail(apiFailure(err));
      },
    );
  };
  const onUnsubscribe = (event: IpcEvent, id: unknown) => {
    if (typeof id === 'string') stopStream(event.sender.id, id);
  };
  ipc.on(IPC_CHANNELS.subscribe, onSubscribe);
  ipc.on(IPC_CHANNELS.unsubscribe, onUnsubscribe);

  return () => {
    ipc.removeHandler(IPC_CHANNELS.invoke);
    ipc.removeListener(IPC_CHANNELS.subscribe, onSubscribe);
    ipc.removeListener(IPC_CHANNELS.unsubscribe, onUnsubscribe);
    for (const open of streams.values()) for (const stop of open.values()) stop();
    streams.clear();
  };
}
