import { EventEmitter } from 'node:events';
import type { Readable, Writable } from 'node:stream';
import type { Clock } from '../flow/clock.js';
import type { ProcessConnection } from '../actor/process-link.js';
import type { ExitInfo, RunningProcess } from '../process/types.js';
import { LineFramer, type OversizeInfo } from '../jsonrpc/line-framer.js';
import { LineWriter } from '../jsonrpc/line-writer.js';
import {
  notification,
  parseLine,
  LARGE_MESSAGE_BYTES,
  looksLikeResponseHead,
  readEnvelopeId,
  serialize,
  type Classified,
  type JsonRpcId,
  type JsonRpcMessage,
} from '../jsonrpc/messages.js';
import { engineError, type EngineErrorName } from '../../shared/errors.js';
import { describeCause, type ServerState } from '../../shared/events.js';
import { RestartBuffer, type BufferLimits } from '../flow/restart-buffer.js';
import { InternalRequests } from './internal-requests.js';
import { InitializeReplay } from './initialize-replay.js';
import { ModernClient } from './modern-client.js';
import { ListAnnouncer } from './list-announcer.js';
import { ConditionWaiters } from '../flow/condition-waiters.js';
import { LifecycleGate } from '../flow/hold-gate.js';
import { ClientRequests } from './client-requests.js';
import { RequestsById } from '../flow/requests-by-id.js';

export interface PassThroughOptions {
  serverName: string;
  clientIn: Readable;
  clientOut: Writable;
  clock: Clock;
  maxMessageBytes: number;
  bufferLimits: BufferLimits;
  drainTimeoutMs: number;
  /** Bound on the engine's own requests (replayed initialize, list refreshes). */
  internalTimeoutMs: number;
  /** The engine's own diagnostics (stderr in `run`). */
  log: (line: string) => void;
  /** The server's stderr, line by line. */
  onServerStderr: (line: string) => void;
}

type ClientMessage = Extract<Classified, { kind: 'request' | 'notification' }>;
interface Buffered {
  line: Buffer;
  bytes: number;
  parsed: ClientMessage;
}

/**
 * `switchboard run`: one client on stdio, one server process, messages forwarded as they are.
 * Across restarts it holds client messages, drains, replays the client's initialize (swallowing
 * the reply), flushes in order and tells the client which lists changed (DESIGN §4).
 */
export class PassThroughSession extends EventEmitter<{ clientClosed: [] }> implements ProcessConnection {
  private readonly clientWriter: LineWriter;
  private serverWriter: LineWriter | undefined;
  private generation = 0;
  /** `run` stops only when it shuts down: that is what a stopped server means to its client. */
  private readonly lifecycle = new LifecycleGate({ mode: 'hold' }, 'SHUTTING_DOWN');
  private readonly buffer: RestartBuffer<Buffered>;
  private readonly inflight: ClientRequests;
  /** The server's requests to the client, by id: the process generation that asked. */
  private readonly serverRequests = new RequestsById<number>();
  private readonly internal: InternalRequests;
  private readonly handshake = new InitializeReplay();
  private readonly lists: ListAnnouncer;
  private readonly modern: ModernClient;
  private readonly waiters: ConditionWaiters;

  constructor(private readonly options: PassThroughOptions) {
    super();
    this.buffer = new RestartBuffer(options.bufferLimits);
    this.internal = new InternalRequests(options.clock, options.internalTimeoutMs);
    this.waiters = new ConditionWaiters(options.clock);
    this.inflight = new ClientRequests(
      options.serverName,
      (line) => this.clientWriter.write(line),
      (id) => {
        this.handshake.answeredElsewhere(id);
        this.waiters.recheck();
      },
    );
    this.lists = new ListAnnouncer(
      (method, params) => this.internalRequest(method, this.modern.withEnvelope(params)),
      (method) => this.modern.tellListChanged(method),
      options.log,
    );
    this.modern = new ModernClient({
      request: (method, params) => this.internalRequest(method, params),
      write: (message) => this.clientWriter.write(serialize(message)),
      lists: this.lists,
      log: options.log,
    });
    this.clientWriter = new LineWriter(options.clientOut, () => this.emit('clientClosed'));
    const framer = new LineFramer({
      maxMessageBytes: options.maxMessageBytes,
      onLine: (line) => this.onClientLine(line),
      onOversize: (info) => this.onClientOversize(info),
    });
    options.clientIn.on('data', (chunk: Buffer) => framer.push(chunk));
    options.clientIn.on('end', () => {
      framer.end();
      this.emit('clientClosed');
    });
  }

  /** Follows the actor's state, which decides whether client messages flow, wait or bounce. */
  stateChanged(from: ServerState, to: ServerState, reason: string): void {
    const answer = this.lifecycle.follow(from, to, reason);
    if (to === 'ready') return this.open();
    if (answer) this.rejectBuffered(answer.error, answer.detail);
  }

  /** Resolves once nothing is buffered or in flight, or after `timeoutMs`. */
  whenIdle(timeoutMs: number): Promise<void> {
    return this.waiters.wait(() => this.inflight.size === 0 && this.buffer.size === 0, timeoutMs);
  }

  // ---- ProcessConnection -----------------------------------------------------------------------

  /** `run` sends no pings: a hung server is the client's to notice. */
  onUnresponsive(): void {}

  async attach(proc: RunningProcess, generation: number): Promise<void> {
    this.generation = generation;
    this.serverWriter = new LineWriter(proc.stdin, (err) =>
      this.options.log(`cannot write to the server: ${err.message}`),
    );
    const framer = new LineFramer({
      maxMessageBytes: this.options.maxMessageBytes,
      onLine: (line) => this.onServerLine(line, generation),
      onOversize: (info) => this.onServerOversize(info),
      cutThrough: {
        thresholdBytes: LARGE_MESSAGE_BYTES,
        start: (head) => this.startCutThrough(head),
        piece: (piece) => this.clientWriter.streamPiece(piece),
        end: (ends) => this.endCutThrough(ends),
      },
    });
    proc.stdout.on('data', (chunk: Buffer) => framer.push(chunk));
    proc.stdout.on('end', () => framer.end());
    proc.onStderrLine(this.options.onServerStderr);
    const writer = this.serverWriter;
    const replayed = await this.handshake.replay(
      (method, params) => this.internalRequest(method, params),
      (method) => writer.write(serialize(notification(method))),
    );
    if (replayed) this.lists.capabilities = replayed.capabilities;
    else if (this.modern.active) {
      // A 2026-07-28 client sent no initialize: the new process is asked in its era, and hears its listens again.
      await this.modern.discoverCapabilities();
      for (const line of this.modern.replayLines()) writer.write(line);
    }
  }

  async drain(): Promise<void> {
    this.lifecycle.gate = { mode: 'hold' };
    const generation = this.generation;
    await this.waiters.wait(() => this.inflight.of(generation).length === 0, this.options.drainTimeoutMs);
    const detail = `still running after the ${this.options.drainTimeoutMs} ms drain timeout`;
    for (const entry of this.inflight.of(generation)) this.inflight.fail(entry, 'SERVER_RESTARTED', detail);
  }

  processGone(generation: number, info: ExitInfo | undefined, unexpected: boolean): void {
    if (generation === this.generation) {
      this.serverWriter = undefined;
      if (this.lifecycle.gate.mode === 'open') this.lifecycle.gate = { mode: 'hold' };
    }
    const how = info ? describeCause({ kind: 'exit', code: info.code, signal: info.signal }) : 'stopped';
    this.internal.failGeneration(generation, `server process ended (${how})`);
    this.serverRequests.deleteWhere((gen) => gen === generation);
    const error = unexpected ? 'SERVER_EXITED' : 'SERVER_RESTARTED';
    for (const entry of this.inflight.of(generation)) this.inflight.fail(entry, error, how);
  }

  // ---- client → server ---------------------------------------------------------------------------

  private onClientLine(line: Buffer): void {
    const parsed = parseLine(line);
    switch (parsed.kind) {
      case 'invalid':
        this.replyError(parsed.id, parsed.error);
        return;
      case 'response':
        this.forwardClientResponse(parsed.id, line);
        return;
      default:
        if (parsed.kind === 'request' && this.isOpen(parsed.id)) {
          const detail = `id ${JSON.stringify(parsed.id)}`;
          return this.replyError(parsed.id, engineError('DUPLICATE_REQUEST_ID', { detail }));
        }
        this.routeClientMessage({ line, bytes: line.length, parsed });
    }
  }

  private onClientOversize(info: OversizeInfo): void {
    const id = readEnvelopeId(info.head.toString('utf8'), info.tail.toString('utf8'));
    const detail = `${info.bytes} bytes; the limit is ${this.options.maxMessageBytes}`;
    this.options.log(`rejected a client message of ${info.bytes} bytes (over the limit)`);
    this.replyError(id, engineError('MESSAGE_TOO_LARGE', { server: this.options.serverName, detail }));
  }

  private routeClientMessage(message: Buffered): void {
    const { parsed } = message;
    const gate = this.lifecycle.gate;
    if (gate.mode === 'open') return this.sendToServer(message);
    if (
      parsed.kind === 'notification' &&
      parsed.method === 'notifications/cancelled' &&
      this.cancelBuffered(parsed)
    ) {
      return;
    }
    if (gate.mode === 'hold') {
      if (this.buffer.push(message)) return;
      const detail = `${this.buffer.size} messages (${this.buffer.bytes} bytes) are already waiting`;
      return this.bounce(parsed, 'BUFFER_FULL', detail);
    }
    this.bounce(parsed, gate.error, gate.detail);
  }

  private sendToServer({ line, parsed }: Buffered): void {
    if (!this.serverWriter) {
      // Only reachable if the process vanished between the state change and this message.
      if (!this.buffer.push({ line, bytes: line.length, parsed }))
        this.bounce(parsed, 'BUFFER_FULL', 'buffer full');
      return;
    }
    const wasModern = this.modern.active;
    const listen = this.modern.clientSent(parsed.message, line);
    if (parsed.kind === 'request') {
      if (!listen) this.inflight.track(parsed.id, parsed.method, this.generation);
    } else if (parsed.method === 'notifications/initialized') {
      void this.lists.takeBaseline();
    }
    // A 2026-07-28 client's first request stands in for initialize: what it can see is noted then.
    if (!wasModern && this.modern.active)
      void this.modern.discoverCapabilities().then(() => this.lists.takeBaseline());
    this.handshake.clientSent(parsed.message);
    this.serverWriter.write(line);
  }

  private forwardClientResponse(id: JsonRpcId, line: Buffer): void {
    const generation = this.serverRequests.take(id);
    if (generation === undefined) {
      this.options.log(`dropped a client reply to unknown server request ${JSON.stringify(id)}`);
    } else if (generation !== this.generation || !this.serverWriter) {
      this.options.log(`dropped a client reply meant for a server process that has since restarted`);
    } else {
      this.serverWriter.write(line);
    }
  }

  private cancelBuffered(parsed: ClientMessage): boolean {
    const requestId = (parsed.message.params as { requestId?: unknown } | undefined)?.requestId;
    if (typeof requestId !== 'string' && typeof requestId !== 'number') return false;
    const removed = this.buffer.removeFirst((m) => m.parsed.kind === 'request' && m.parsed.id === requestId);
    return removed !== undefined; // cancelled before it was sent: the spec wants no reply
  }

  // ---- server → client ---------------------------------------------------------------------------

  private onServerLine(line: Buffer, generation: number): void {
    const parsed = parseLine(line);
    switch (parsed.kind) {
      case 'invalid': {
        const preview = line.toString('utf8', 0, Math.min(line.length, 200));
        this.options.log(`ignored a line on the server's stdout that is not JSON-RPC: ${preview}`);
        return;
      }
      case 'response':
        if (this.internal.settle(parsed.message)) return;
        if (this.modern.isListen(parsed.id)) {
          // A process that is going away ends its listens: the client keeps its own (sent again).
          if (generation !== this.generation || this.lifecycle.gate.mode !== 'open') return;
          this.modern.ended(parsed.id);
          this.clientWriter.write(line);
          return;
        }
        return this.forwardServerResponse(parsed.id, parsed.message, line);
      case 'request':
        this.serverRequests.set(parsed.id, generation);
        this.clientWriter.write(line);
        return;
      case 'notification':
        if (this.modern.swallows(parsed.message)) return;
        this.clientWriter.write(line);
        this.lists.noticeServerNotification(parsed.method);
        return;
    }
  }

  /**
   * A long reply starts: pass it to the client as it arrives instead of holding all of it.
   * Not for the engine's own requests, whose replies must be read whole.
   */
  private startCutThrough(head: Buffer): boolean {
    if (this.internal.pendingCount > 0 || this.handshake.awaitingReply) return false;
    if (!looksLikeResponseHead(head.toString('utf8'))) return false;
    this.clientWriter.beginStream();
    return true;
  }

  private endCutThrough(ends: { head: Buffer; tail: Buffer; bytes: number }): void {
    this.clientWriter.endStream();
    const id = readEnvelopeId(ends.head.toString('utf8'), ends.tail.toString('utf8'));
    const entry = id === null ? undefined : this.inflight.get(id);
    if (!entry) {
      this.options.log(
        `passed through a ${ends.bytes}-byte reply whose request is not pending (id ${JSON.stringify(id)})`,
      );
      return;
    }
    this.inflight.take(entry.id);
    this.waiters.recheck();
  }

  private forwardServerResponse(id: JsonRpcId, message: JsonRpcMessage, line: Buffer): void {
    const entry = this.inflight.take(id);
    if (!entry) {
      this.options.log(`dropped a late server reply to request ${JSON.stringify(id)} (already answered)`);
      return;
    }
    const accepted = this.handshake.serverAnswered(id, message);
    if (accepted) this.lists.capabilities = accepted.capabilities;
    this.clientWriter.write(line);
    this.waiters.recheck();
  }

  private onServerOversize(info: OversizeInfo): void {
    const id = readEnvelopeId(info.head.toString('utf8'), info.tail.toString('utf8'));
    const entry = id === null ? undefined : this.inflight.get(id);
    const whose = entry
      ? `the reply to request ${JSON.stringify(id)}`
      : 'a message whose id could not be read';
    this.options.log(`the server sent ${whose} of ${info.bytes} bytes, over the limit; it was not forwarded`);
    if (!entry) return;
    const detail = `the reply was ${info.bytes} bytes; the limit is ${this.options.maxMessageBytes}`;
    this.inflight.fail(entry, 'MESSAGE_TOO_LARGE', detail);
  }

  // ---- restart bookkeeping ------------------------------------------------------------------------

  private open(): void {
    for (const message of this.buffer.takeAll()) this.routeClientMessage(message);
    void this.lists.announceChanges();
    this.waiters.recheck();
  }

  private internalRequest(method: string, params: unknown): Promise<unknown> {
    const writer = this.serverWriter;
    if (!writer) return Promise.reject(new Error('the server is not running'));
    const { message, reply } = this.internal.create(method, params, this.generation);
    writer.write(serialize(message));
    return reply;
  }

  // ---- answers ----------------------------------------------------------------------------------

  /** A request with this id was sent or is held and has no reply yet (a reused id would cross them). */
  private isOpen(id: JsonRpcId): boolean {
    return (
      this.inflight.has(id) || this.buffer.some((m) => m.parsed.kind === 'request' && m.parsed.id === id)
    );
  }

  private rejectBuffered(error: EngineErrorName, detail: string): void {
    for (const { parsed } of this.buffer.takeAll()) this.bounce(parsed, error, detail);
  }

  private bounce(parsed: ClientMessage, error: EngineErrorName, detail: string): void {
    this.inflight.refuse(parsed, error, detail, this.options.log);
  }

  private replyError(id: JsonRpcId | null, error: JsonRpcMessage['error'] & object): void {
    this.inflight.replyError(id, error);
  }
}
