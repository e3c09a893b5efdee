import { reactive, shallowRef, type ShallowRef } from 'vue';
import type { EngineSnapshot } from '../../../electron/shared/state-view.js';
import { StateView } from '../../../electron/shared/state-view.js';
import type { EngineEvent } from '../../../electron/shared/events.js';
import type { Bridge, StreamStatus } from '../bridge/bridge.js';
import { BridgeError } from '../bridge/bridge.js';

export type Connection = 'connecting' | StreamStatus;

export interface EngineStore {
  readonly bridge: Bridge;
  /** Every server as the engine last told: replaced (never mutated) on each event. */
  readonly snapshot: ShallowRef<EngineSnapshot>;
  readonly status: { connection: Connection; error: string | undefined };
  /** Calls `listener` with every engine event from now on; returns how to stop. */
  onEvent(listener: (event: EngineEvent) => void): () => void;
  /** Starts listening; call once. */
  connect(): void;
  disconnect(): void;
}

/**
 * The window's read model: seeded from `listServers`, then kept current by the event stream through
 * the same fold the engine uses (StateView). Live by events, never by polling; when the stream comes
 * back after the engine was away, it seeds again, since events were missed meanwhile.
 */
export function createEngineStore(bridge: Bridge): EngineStore {
  const view = new StateView();
  const snapshot = shallowRef<EngineSnapshot>(view.snapshot());
  const status = reactive({ connection: 'connecting' as Connection, error: undefined as string | undefined });
  const listeners = new Set<(event: EngineEvent) => void>();
  let stop: (() => void) | undefined;
  // Events that arrive while the snapshot is being read are applied after it.
  let pending: EngineEvent[] | undefined;

  const seed = async () => {
    pending = [];
    try {
      view.seed(await bridge.call('listServers', {}));
      for (const event of pending) view.apply(event);
      snapshot.value = view.snapshot();
      status.error = undefined;
    } catch (err) {
      if (err instanceof BridgeError && err.status === 401) status.connection = 'unauthorized';
      status.error = (err as Error).message;
    } finally {
      pending = undefined;
    }
  };

  return {
    bridge,
    snapshot,
    status,
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    connect() {
      // Read the servers at once, not after the stream opens: the first paint waits for this.
      void seed();
      stop = bridge.subscribe(
        'events',
        {},
        {
          item(event) {
            if (pending) pending.push(event);
            else {
              view.apply(event);
              snapshot.value = view.snapshot();
            }
            for (const listener of listeners) listener(event);
          },
          status(next) {
            const was = status.connection;
            status.connection = next;
            // Events from before the stream opened (or while it was away) were missed: read again.
            if (next === 'open' && was !== 'open') void seed();
          },
        },
      );
    },
    disconnect() {
      stop?.();
      stop = undefined;
    },
  };
}
