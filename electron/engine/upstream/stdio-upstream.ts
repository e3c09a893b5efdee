import { EventEmitter } from 'node:events';
import type { Clock } from '../flow/clock.js';
import type { ConnectionHooks } from '../actor/server-actor.js';
import type { ExitInfo, RunningProcess } from '../process/types.js';
import { LineFramer } from '../jsonrpc/line-framer.js';
import { LineWriter } from '../jsonrpc/line-writer.js';
import {
  notification,
  parseLine,
  serialize,
  type JsonRpcId,
  type JsonRpcMessage,
} from '../jsonrpc/messages.js';
import { describeCause } from '../../shared/events.js';
import type { ListKind } from '../protocol/list-tracker.js';
import { ConditionWaiters } from '../flow/condition-waiters.js';
import { UpstreamError } from './upstream-error.js';
import { Deadlines } from '../flow/deadlines.js';
import { HealthPinger } from './health-pinger.js';
import { passOnServerMessage, refreshAndReport } from './list-refresh.js';
import {
  engineInitializeParams,
  type SentRequest,
  type Upstream,
  type UpstreamEvents,
  type UpstreamInfo,
} from './upstream.js';
import { DEFAULT_BUFFER_LIMITS, RestartBuffer, type BufferLimits } from '../flow/restart-buffer.js';
import type { ServerState } from '../../shared/events.js';
import type { EngineErrorName } from '../../shared/errors.js';
import { errorForFailure } from '../actor/failure-error.js';

export type { UpstreamInfo } from './upstream.js';

export interface StdioUpstreamOptions {
  server: string;
  clock: Clock;
  maxMessageBytes: number;
  /** Default bound on one request; the SDK's client uses 60 s. */
  requestTimeoutMs: number;
  drainTimeoutMs: number;
  /** Ping the server this often while it is up (0 = never); an unanswered ping means it hangs. */
  pingIntervalMs?: number;
  pingTimeoutMs?: number;
  clientInfo: { name: string; version: string };
  /** Bounds on requests held while the server restarts. */
  bufferLimits?: BufferLimits;
  log: (line: string) => void;
  onStderr: (line: string) => void;
}

interface Pending {
  /** The process generation it was written to; HELD while it waits for the server to come back. */
  generation: number;
  method: string;
  resolve: (response: JsonRpcMessage) => void;
  reject: (err: Error) => void;
  timeoutMs: number;
}

const HELD = -1;

interface HeldRequest {
  id: number;
  line: Buffer;
  bytes: number;
}

/** While the server is in one of these states, new requests wait for it instead of failing. */
const HOLDING_STATES: ReadonlySet<ServerState> = new Set(['starting', 'restarting', 'backoff']);

/**
 * Shared mode (DESIGN §3): the engine is the MCP client of one server. It initializes the server
 * itself, keeps its tools/prompts/resources current, and carries requests for any number of
 * sessions under ids of its own.
 */
export class StdioUpstream extends EventEmitter<UpstreamEvents> implements ConnectionHooks, Upstream {
  info: UpstreamInfo | undefined;
  readonly lists: Partial<Record<ListKind, unknown[]>> = {};
  private writer: LineWriter | undefined;
  private generation = 0;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly waiters: ConditionWaiters;
  private readonly pinger: HealthPinger;
  /** True once the server is initialized and until a restart begins: requests go straight out. */
  private open = false;
  /** True while a restart is under way: requests wait in `held` instead of failing. */
  private holding = false;
  private readonly held: RestartBuffer<HeldRequest>;
  private readonly deadlines: Deadlines<number>;
  /** Why the server is down for good (failed or stopped), for the requests that find it so. */
  private down: { error: EngineErrorName; detail: string } | undefined;

  constructor(private readonly options: StdioUpstreamOptions) {
    super();
    this.waiters = new ConditionWaiters(options.clock);
    this.held = new RestartBuffer(options.bufferLimits ?? DEFAULT_BUFFER_LIMITS);
    this.deadlines = new Deadlines(options.clock, (id) => this.timedOut(id));
    this.pinger = new HealthPinger({
      clock: options.clock,
      intervalMs: options.pingIntervalMs,
      timeoutMs: options.pingTimeoutMs,
      ping: (timeoutMs) => this.internalRequest('ping', undefined, timeoutMs),
      onUnanswered: (detail) => this.emit('unhealthy', detail),
    });
  }

  // ---- for sessions -------------------------------------------------------------------------------

  request(method: string, params?: unknown, opts: { timeoutMs?: number } = {}): Promise<JsonRpcMessage> {
    return this.send(method, params, opts).response;
  }

  /**
   * Sends a request under an id of its own. While the server restarts the request waits (bounded)
   * and goes out once the new process is initialized; when the server is down for good it fails.
   */
  send(method: string, params?: unknown, opts: { timeoutMs?: number } = {}): SentRequest {
    return this.sendRequest(method, params, opts.timeoutMs, false);
  }

  notify(method: string, params?: unknown): void {
    if (this.open) this.writer?.write(serialize(notification(method, params)));
  }

  /** Requests waiting for the server to come back. */
  get bufferDepth(): number {
    return this.held.size;
  }

  /** The supervisor reports every state change of the server's actor. */
  stateChanged(from: ServerState, to: ServerState, reason: string): void {
    this.holding = HOLDING_STATES.has(to);
    // Down for good: later requests are told why, as `run` tells them (crash_loop, start_failed, ...).
    this.down =
      to === 'failed' || to === 'stopped'
        ? {
            error: to === 'failed' ? errorForFailure(reason) : 'SERVER_UNAVAILABLE',
            detail: `the server is ${to}: ${reason}`,
          }
        : undefined;
    // A start that failed, or a server that is down for good: the waiting requests get errors now.
    if ((from === 'starting' && to === 'backoff') || !this.holding)
      this.failHeld(this.down?.detail ?? reason);
  }

  private sendRequest(
    method: string,
    params: unknown,
    timeoutMs: number = this.options.requestTimeoutMs,
    internal: boolean,
  ): SentRequest {
    const id = this.nextId++;
    const line = serialize({ jsonrpc: '2.0', id, method, ...(params === undefined ? {} : { params }) });
    const direct = internal || this.open;
    let refusal: UpstreamError | undefined;
    if (!direct && !this.holding)
      refusal = new UpstreamError(
        this.down?.error ?? 'SERVER_UNAVAILABLE',
        this.options.server,
        this.down?.detail ?? 'it is not running',
      );
    else if (!direct && !this.held.push({ id, line, bytes: line.length }))
      refusal = new UpstreamError('BUFFER_FULL', this.options.server, `${this.held.size} requests wait`);
    if (refusal || (direct && !this.writer)) {
      const error = refusal ?? new UpstreamError('SERVER_UNAVAILABLE', this.options.server, 'not connected');
      return { id, response: Promise.reject(error) };
    }
    const response = new Promise<JsonRpcMessage>((resolve, reject) => {
      const generation = direct ? this.generation : HELD;
      this.pending.set(id, { generation, method, resolve, reject, timeoutMs });
      this.deadlines.add(id, timeoutMs);
    });
    if (direct) this.writer!.write(line);
    return { id, response };
  }

  private timedOut(id: number): void {
    const pending = this.pending.get(id);
    if (!pending) return;
    const { method, timeoutMs } = pending;
    this.pending.delete(id);
    this.waiters.recheck();
    if (pending.generation === HELD) this.held.removeFirst((h) => h.id === id);
    else
      this.writer?.write(
        serialize(notification('notifications/cancelled', { requestId: id, reason: 'timed out' })),
      );
    pending.reject(
      new UpstreamError('REQUEST_TIMEOUT', this.options.server, `${method}: no reply within ${timeoutMs} ms`),
    );
  }

  /** Writes the held requests to the new process, in the order they came. */
  private flushHeld(): void {
    for (const held of this.held.takeAll()) {
      const pending = this.pending.get(held.id);
      if (!pending) continue;
      pending.generation = this.generation;
      this.writer?.write(held.line);
    }
  }

  private failHeld(detail: string): void {
    const error = this.down?.error ?? 'SERVER_UNAVAILABLE';
    for (const held of this.held.takeAll()) {
      const pending = this.pending.get(held.id);
      if (!pending) continue;
      this.pending.delete(held.id);
      this.deadlines.delete(held.id);
      pending.reject(new UpstreamError(error, this.options.server, `${pending.method}: ${detail}`));
    }
  }

  /** Answers a server→client request (the id is the server's own). */
  reply(id: JsonRpcId, answer: { result: unknown } | { error: JsonRpcMessage['error'] }): void {
    this.writer?.write(serialize({ jsonrpc: '2.0', id, ...answer }));
  }

  get inFlight(): number {
    return this.pending.size;
  }

  // ---- ConnectionHooks ----------------------------------------------------------------------------

  async attach(proc: RunningProcess, generation: number): Promise<void> {
    this.generation = generation;
    this.open = false;
    this.writer = new LineWriter(proc.stdin, (err) =>
      this.options.log(`cannot write to the server: ${err.message}`),
    );
    const framer = new LineFramer({
      maxMessageBytes: this.options.maxMessageBytes,
      onLine: (line) => this.onLine(line),
      onOversize: (info) =>
        this.options.log(`ignored a ${info.bytes}-byte message from the server (over the limit)`),
    });
    proc.stdout.on('data', (chunk: Buffer) => framer.push(chunk));
    proc.stdout.on('end', () => framer.end());
    proc.onStderrLine(this.options.onStderr);
    const init = await this.internalRequest('initialize', engineInitializeParams(this.options.clientInfo));
    if (init.error) throw new Error(init.error.message);
    this.info = init.result as UpstreamInfo;
    this.writer.write(serialize(notification('notifications/initialized')));
    this.open = true;
    this.flushHeld();
    this.emit('connected');
    await this.refreshLists();
    this.pinger.start(() => generation === this.generation && this.writer !== undefined);
  }

  /** The engine's own requests (initialize, lists, ping) go out even before the server is open. */
  private internalRequest(method: string, params?: unknown, timeoutMs?: number): Promise<JsonRpcMessage> {
    return this.sendRequest(method, params, timeoutMs, true).response;
  }

  async drain(): Promise<void> {
    this.open = false;
    // Only what went out to this process counts: requests held for the restart wait for the next one.
    await this.waiters.wait(() => !this.awaitsAnswerFrom(this.generation), this.options.drainTimeoutMs);
    this.failGeneration(
      this.generation,
      'SERVER_RESTARTED',
      `still running after the ${this.options.drainTimeoutMs} ms drain timeout`,
    );
  }

  private awaitsAnswerFrom(generation: number): boolean {
    for (const pending of this.pending.values()) if (pending.generation === generation) return true;
    return false;
  }

  processGone(generation: number, info: ExitInfo | undefined, unexpected: boolean): void {
    if (generation === this.generation) {
      this.open = false;
      this.writer = undefined;
      this.pinger.stop();
    }
    const how = info ? describeCause({ kind: 'exit', code: info.code, signal: info.signal }) : 'stopped';
    this.failGeneration(generation, unexpected ? 'SERVER_EXITED' : 'SERVER_RESTARTED', how);
  }

  // ---- from the server ----------------------------------------------------------------------------

  private onLine(line: Buffer): void {
    const parsed = parseLine(line);
    switch (parsed.kind) {
      case 'response': {
        const pending = typeof parsed.id === 'number' ? this.pending.get(parsed.id) : undefined;
        if (!pending) return this.options.log(`dropped a late reply to request ${JSON.stringify(parsed.id)}`);
        this.pending.delete(parsed.id as number);
        this.deadlines.delete(parsed.id as number);
        pending.resolve(parsed.message);
        this.waiters.recheck();
        return;
      }
      case 'request':
      case 'notification':
        return passOnServerMessage(this, parsed, (kinds) => void this.refreshLists(kinds));
      case 'invalid':
        this.options.log(
          `ignored a line on the server's stdout that is not JSON-RPC: ${line.toString('utf8', 0, 200)}`,
        );
    }
  }

  /** Fetches every page of the offered lists; reports which ones differ from before. */
  private refreshLists(only?: ListKind[]): Promise<void> {
    return refreshAndReport(this, {
      capabilities: this.info?.capabilities,
      lists: this.lists,
      only,
      log: this.options.log,
      send: (method, params) => this.internalRequest(method, params),
    });
  }

  private failGeneration(
    generation: number,
    error: 'SERVER_EXITED' | 'SERVER_RESTARTED',
    detail: string,
  ): void {
    for (const [id, pending] of this.pending) {
      if (pending.generation !== generation) continue;
      this.pending.delete(id);
      this.deadlines.delete(id);
      pending.reject(new UpstreamError(error, this.options.server, `${pending.method}: ${detail}`));
    }
  }
}
