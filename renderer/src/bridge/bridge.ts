import type {
  ApiErrorBody,
  ApiInput,
  ApiName,
  ApiOutput,
  ApiStreamInput,
  ApiStreamItem,
  ApiStreamName,
} from '../../../electron/shared/api.js';

/** Whether a stream is delivering: `lost` while the engine is away (the bridge keeps trying). */
export type StreamStatus = 'open' | 'lost' | 'unauthorized';

export interface StreamHandlers<T> {
  item(item: T): void;
  status?(status: StreamStatus): void;
}

/**
 * The window's one way to the engine (DESIGN §2), derived from the API table: the same calls over
 * IPC in Electron and over HTTP + SSE in a browser.
 */
export interface Bridge {
  call<N extends ApiName>(name: N, input: ApiInput<N>): Promise<ApiOutput<N>>;
  subscribe<S extends ApiStreamName>(
    name: S,
    input: ApiStreamInput<S>,
    handlers: StreamHandlers<ApiStreamItem<S>>,
  ): () => void;
}

/** An operation the engine refused or could not do: the status and the engine's own words. */
export class BridgeError extends Error {
  constructor(
    readonly status: number,
    readonly body: ApiErrorBody,
  ) {
    super(body.error);
    this.name = 'BridgeError';
  }

  /** Problems with the path each is at (invalid input), else none. */
  get problems(): { path: string; message: string }[] {
    return this.body.problems ?? [];
  }
}
