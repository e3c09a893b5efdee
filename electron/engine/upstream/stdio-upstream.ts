import { EventEmitter } from 'node:events';
import type { Clock, TimerHandle } from '../clock.js';
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
import {
  fetchListItems,
  listChangedKind,
  listKindsOffered,
  type ListKind,
} from '../passthrough/list-tracker.js';
import { ConditionWaiters } from '../condition-waiters.js';
import { UpstreamError } from './upstream-error.js';

export const UPSTREAM_PROTOCOL_VERSION = '2025-11-25';

export interface UpstreamInfo {
  protocolVersion: string;
  capabilities: Record<string, unknown>;
  serverInfo: { name: string; version: string; [key: string]: unknown };
  instructions?: string;
}

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
  log: (line: string) => void;
  onStderr: (line: string) => void;
}

interface Pending {
  generation: number;
  method: string;
  resolve: (response: JsonRpcMessage) => void;
  reject: (err: Error) => void;
  timer: TimerHandle;
}

interface UpstreamEvents {
  /** A notification from the server (progress, logging, list_changed, resources/updated, ...). */
  notification: [JsonRpcMessage];
  /** A request from the server (sampling, elicitation, roots): answer with `reply`. */
  serverRequest: [JsonRpcMessage];
  /** After a (re)start or a list_changed from the server: the lists whose content changed. */
  listsChanged: [ListKind[]];
  /** The server stopped answering pings: it should be restarted. */
  unhealthy: [string];
}

/**
 * Shared mode (DESIGN §3): the engine is the MCP client of one server. It initializes the server
 * itself, keeps its tools/prompts/resources current, and carries requests for any number of
 * sessions under ids of its own.
 */
export class StdioUpstream extends EventEmitter<UpstreamEvents> implements ConnectionHooks {
  info: UpstreamInfo | undefined;
  readonly lists: Partial<Record<ListKind, unknown[]>> = {};
  private writer: LineWriter | undefined;
  private generation = 0;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly waiters: ConditionWaiters;
  private pingTimer: TimerHandle | undefined;

  constructor(private readonly options: StdioUpstreamOptions) {
    super();
    this.waiters = new ConditionWaiters(options.clock);
  }

  // ---- for sessions -------------------------------------------------------------------------------

  /** Sends a request; resolves with the server's whole response (result or error). */
  request(method: string, params?: unknown, opts: { timeoutMs?: number } = {}): Promise<JsonRpcMessage> {
    const writer = this.writer;
    if (!writer) {
      return Promise.reject(new UpstreamError('SERVER_UNAVAILABLE', this.options.server, 'not connected'));
    }
    const id = this.nextId++;
    const timeoutMs = opts.timeoutMs ?? this.options.requestTimeoutMs;
    return new Promise((resolve, reject) => {
      const timer = this.options.clock.setTimeout(() => {
        this.pending.delete(id);
        this.waiters.recheck();
        writer.write(
          serialize(notification('notifications/cancelled', { requestId: id, reason: 'timed out' })),
        );
        reject(
          new UpstreamError(
            'REQUEST_TIMEOUT',
            this.options.server,
            `${method}: no reply within ${timeoutMs} ms`,
          ),
        );
      }, timeoutMs);
      this.pending.set(id, { generation: this.generation, method, resolve, reject, timer });
      writer.write(serialize({ jsonrpc: '2.0', id, method, ...(params === undefined ? {} : { params }) }));
    });
  }

  notify(method: string, params?: unknown): void {
    this.writer?.write(serialize(notification(method, params)));
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
    const init = await this.request('initialize', {
      protocolVersion: UPSTREAM_PROTOCOL_VERSION,
      capabilities: { roots: { listChanged: true }, sampling: {}, elicitation: {} },
      clientInfo: this.options.clientInfo,
    });
    if (init.error) throw new Error(init.error.message);
    this.info = init.result as UpstreamInfo;
    this.notify('notifications/initialized');
    await this.refreshLists();
    this.schedulePing(generation);
  }

  /** Health check: a ping per interval; one that gets no answer in time reports the server hung. */
  private schedulePing(generation: number): void {
    const interval = this.options.pingIntervalMs ?? 0;
    if (interval <= 0) return;
    this.stopPinging();
    this.pingTimer = this.options.clock.setTimeout(() => {
      if (generation !== this.generation || !this.writer) return;
      const timeoutMs = this.options.pingTimeoutMs ?? 10_000;
      this.request('ping', undefined, { timeoutMs }).then(
        () => this.schedulePing(generation),
        (err: Error) => {
          if (generation !== this.generation || !this.writer) return;
          this.emit('unhealthy', `no answer to ping within ${timeoutMs} ms (${err.message})`);
        },
      );
    }, interval);
  }

  private stopPinging(): void {
    if (this.pingTimer !== undefined) this.options.clock.clearTimeout(this.pingTimer);
    this.pingTimer = undefined;
  }

  async drain(): Promise<void> {
    await this.waiters.wait(() => this.pending.size === 0, this.options.drainTimeoutMs);
    this.failGeneration(
      this.generation,
      'SERVER_RESTARTED',
      `still running after the ${this.options.drainTimeoutMs} ms drain timeout`,
    );
  }

  processGone(generation: number, info: ExitInfo | undefined, unexpected: boolean): void {
    if (generation === this.generation) {
      this.writer = undefined;
      this.stopPinging();
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
        this.options.clock.clearTimeout(pending.timer);
        pending.resolve(parsed.message);
        this.waiters.recheck();
        return;
      }
      case 'request':
        this.emit('serverRequest', parsed.message);
        return;
      case 'notification': {
        const kind = listChangedKind(parsed.method);
        if (kind) void this.refreshLists([kind]);
        this.emit('notification', parsed.message);
        return;
      }
      case 'invalid':
        this.options.log(
          `ignored a line on the server's stdout that is not JSON-RPC: ${line.toString('utf8', 0, 200)}`,
        );
    }
  }

  /** Fetches every page of the offered lists; reports which ones differ from before. */
  private async refreshLists(only?: ListKind[]): Promise<void> {
    const offered = listKindsOffered(this.info?.capabilities).map((k) => k.kind);
    const kinds = only ? offered.filter((k) => only.includes(k)) : offered;
    const changed: ListKind[] = [];
    for (const kind of kinds) {
      try {
        const items = await fetchListItems(async (method, params) => {
          const response = await this.request(method, params);
          if (response.error) throw new Error(response.error.message);
          return response.result;
        }, kind);
        if (JSON.stringify(items) !== JSON.stringify(this.lists[kind])) changed.push(kind);
        this.lists[kind] = items;
      } catch (err) {
        this.options.log(`could not list ${kind}: ${(err as Error).message}`);
      }
    }
    if (changed.length > 0) this.emit('listsChanged', changed);
  }

  private failGeneration(
    generation: number,
    error: 'SERVER_EXITED' | 'SERVER_RESTARTED',
    detail: string,
  ): void {
    for (const [id, pending] of this.pending) {
      if (pending.generation !== generation) continue;
      this.pending.delete(id);
      this.options.clock.clearTimeout(pending.timer);
      pending.reject(new UpstreamError(error, this.options.server, `${pending.method}: ${detail}`));
    }
  }
}
