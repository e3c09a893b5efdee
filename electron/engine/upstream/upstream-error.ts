import type { EngineErrorName, JsonRpcErrorObject } from '../../shared/errors.js';
import { engineError } from '../../shared/errors.js';

/** A request to the upstream that ended without the server's answer; carries the engine error to send. */
export class UpstreamError extends Error {
  readonly error: JsonRpcErrorObject;

  constructor(name: EngineErrorName, server: string, detail: string) {
    const error = engineError(name, { server, detail });
    super(error.message);
    this.name = 'UpstreamError';
    this.error = error;
  }
}
