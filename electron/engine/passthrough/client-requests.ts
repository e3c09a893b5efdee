import { RequestsById } from '../flow/requests-by-id.js';
import { errorReply, serialize, type JsonRpcId, type JsonRpcMessage } from '../jsonrpc/messages.js';
import { engineError, type EngineErrorName } from '../../shared/errors.js';

/** A client request `run` passed to a server process and has not seen answered. */
export interface InFlight {
  id: JsonRpcId;
  method: string;
  /** The process generation it went to. */
  generation: number;
}

/**
 * `run`'s client requests in flight, by the client's own ids, and the engine's answers to the client
 * when the server cannot give one (its process went away, a drain ran out, a reply was too large).
 */
export class ClientRequests {
  private readonly inflight = new RequestsById<InFlight>();

  constructor(
    private readonly server: string,
    private readonly writeToClient: (line: Buffer) => void,
    /** Told whenever a request is settled here (a drain waits for it; initialize replay forgets). */
    private readonly settled: (id: JsonRpcId) => void,
  ) {}

  get size(): number {
    return this.inflight.size;
  }

  track(id: JsonRpcId, method: string, generation: number): void {
    this.inflight.set(id, { id, method, generation });
  }

  has(id: JsonRpcId): boolean {
    return this.inflight.has(id);
  }

  get(id: JsonRpcId): InFlight | undefined {
    return this.inflight.get(id);
  }

  /** The server answered it: it is no longer in flight. */
  take(id: JsonRpcId): InFlight | undefined {
    return this.inflight.take(id);
  }

  of(generation: number): InFlight[] {
    return [...this.inflight.values()].filter((e) => e.generation === generation);
  }

  /** Answers the client for the server, with an engine error. */
  fail(entry: InFlight, error: EngineErrorName, detail: string): void {
    this.inflight.delete(entry.id);
    this.replyError(entry.id, engineError(error, { server: this.server, detail }));
    this.settled(entry.id);
  }

  /** A request that will not reach the server gets the error now (a notification has nobody to hear it). */
  refuse(
    message: { kind: 'request'; id: JsonRpcId } | { kind: 'notification'; method: string },
    error: EngineErrorName,
    detail: string,
    log: (line: string) => void,
  ): void {
    if (message.kind === 'request')
      this.replyError(message.id, engineError(error, { server: this.server, detail }));
    else log(`dropped notification ${message.method}: ${detail}`);
  }

  replyError(id: JsonRpcId | null, error: JsonRpcMessage['error'] & object): void {
    this.writeToClient(serialize(errorReply(id, error)));
  }
}
