import type { ApiName, ApiStreamName } from '../../../electron/shared/api.js';
import type { PreloadApi } from '../../../electron/shared/preload-api.js';
import { BridgeError, type Bridge, type StreamHandlers } from './bridge.js';

/**
 * The bridge in Electron: the preload's `window.switchboard`, which main answers from the same
 * API table. A stream over IPC lives as long as the window, so it is always `open`.
 */
export class IpcBridge implements Bridge {
  constructor(private readonly preload: PreloadApi) {}

  async call<N extends ApiName>(name: N, input: unknown): Promise<never> {
    const result = await this.preload.invoke(name, input ?? {});
    if (!result.ok) throw new BridgeError(result.status, result.error);
    return result.value as never;
  }

  subscribe<S extends ApiStreamName>(name: S, input: unknown, handlers: StreamHandlers<never>): () => void {
    const stop = this.preload.subscribe(
      name,
      input ?? {},
      (item) => handlers.item(item as never),
      // Refused or ended by the engine: say so; the window shows what that means.
      (status) => handlers.status?.(status === 401 || status === 403 ? 'unauthorized' : 'lost'),
    );
    handlers.status?.('open');
    return stop;
  }
}
