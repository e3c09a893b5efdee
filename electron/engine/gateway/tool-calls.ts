import { randomUUID } from 'node:crypto';
import type { Clock, TimerHandle } from '../flow/clock.js';
import type { JsonRpcErrorObject } from '../../shared/errors.js';
import {
  WINDOW_CLIENT_CAPABILITIES,
  type ToolCallApi,
  type ToolCallEvent,
  type ToolCallItem,
  type ToolCallOutcome,
  type ToolCallRequest,
} from '../../shared/tool-call-events.js';
import { ToolCall } from './tool-call.js';
import type { Gateway } from './gateway.js';
import { ApiError } from '../errors/api-error.js';

export interface ToolCallsOptions {
  gateway: Gateway;
  clock: Clock;
  /** The engine's version, in the clientInfo its calls initialize with. */
  version: string;
  /** Counts a call like one from a client (metrics and charts). */
  observe?: (server: string, status: 'ok' | 'error', seconds: number) => void;
  /** Followed calls running at once (each is a client session, maybe a server process of its own). */
  maxRunning?: number;
  /** How long a call may go unfollowed (the window closed) before it is cancelled. */
  unfollowedMs?: number;
  /** How long a finished call's events stay for a follower that reconnects. */
  keepMs?: number;
}

/** Events kept per call for a follower that reconnects; beyond it, the oldest progress and logs go. */
const MAX_ITEMS = 200;

interface Running {
  call: ToolCall;
  /** Made by a script that waits for the outcome and follows nothing: never cancelled as unfollowed. */
  unattended: boolean;
  items: ToolCallItem[];
  followers: Set<(item: ToolCallItem) => void>;
  finished: boolean;
  /** Cancels an unfollowed call, or forgets a finished one. */
  timer?: TimerHandle;
}

/**
 * The tool calls the window makes and follows (start, follow its events, answer the server's
 * requests, cancel): each by an id, so a follower that reconnects picks up where it was.
 */
export class ToolCalls implements ToolCallApi {
  private readonly calls = new Map<string, Running>();

  constructor(private readonly options: ToolCallsOptions) {}

  /** Starts a call as the window, which answers the server's requests; its id, to follow it by. */
  start(request: ToolCallRequest): string {
    return this.begin(request, false);
  }

  /**
   * A call to the end, for a caller that follows nothing (a script): the outcome. It declares no
   * capability, so the server's requests (sampling, elicitation) are declined at once.
   */
  async once(request: ToolCallRequest): Promise<ToolCallOutcome> {
    const id = this.begin(request, true);
    const outcome = await this.running(id).call.done;
    this.forget(id);
    return outcome;
  }

  private begin(request: ToolCallRequest, unattended: boolean): string {
    // Followed calls are capped (each may hold a server's question open); a script's end by themselves.
    const followed = [...this.calls.values()].filter((c) => !c.finished && !c.unattended).length;
    if (!unattended && followed >= (this.options.maxRunning ?? 16))
      throw new ApiError(429, `${followed} tool calls are running already; wait for one or cancel one`);
    const id = randomUUID();
    const call = new ToolCall(this.options.gateway, this.options.clock, {
      ...request,
      capabilities: unattended ? {} : WINDOW_CLIENT_CAPABILITIES,
      clientInfo: {
        name: unattended ? 'switchboard-api' : 'switchboard-window',
        version: this.options.version,
      },
    });
    const entry: Running = { call, unattended, items: [], followers: new Set(), finished: false };
    const started = this.options.clock.now();
    void call
      .start((event) => this.record(entry, event))
      .then((outcome) => {
        entry.finished = true;
        const status = 'result' in outcome && !isErrorResult(outcome.result) ? 'ok' : 'error';
        if (!('cancelled' in outcome))
          this.options.observe?.(request.server, status, (this.options.clock.now() - started) / 1000);
        this.rearm(id, entry);
      });
    this.calls.set(id, entry);
    this.rearm(id, entry);
    return id;
  }

  /** Every event of the call so far, then each new one; resolves with how to stop following. */
  follow(id: string, send: (item: ToolCallItem) => void): () => void {
    const entry = this.running(id);
    for (const item of entry.items) send(item);
    entry.followers.add(send);
    this.rearm(id, entry);
    return () => {
      entry.followers.delete(send);
      this.rearm(id, entry);
    };
  }

  answer(id: string, request: string, reply: { result: unknown } | { error: JsonRpcErrorObject }): void {
    if (!this.running(id).call.answer(request, reply))
      throw new ApiError(
        409,
        'that request waits for no answer any more (answered, withdrawn, or the call ended)',
      );
  }

  cancel(id: string, reason = 'cancelled in the window'): void {
    this.running(id).call.cancel(reason);
  }

  /** The engine stops: every call ends. */
  close(): void {
    for (const [id, entry] of this.calls) {
      entry.call.cancel('the engine is stopping');
      this.forget(id);
    }
  }

  private running(id: string): Running {
    const entry = this.calls.get(id);
    if (!entry)
      throw new ApiError(404, `no tool call "${id}" (it ended a while ago, or the engine restarted)`);
    return entry;
  }

  private record(entry: Running, event: ToolCallEvent): void {
    const item: ToolCallItem = { ...event, seq: (entry.items.at(-1)?.seq ?? 0) + 1 };
    entry.items.push(item);
    if (entry.items.length > MAX_ITEMS) {
      const oldest = entry.items.findIndex((i) => i.kind === 'progress' || i.kind === 'log');
      if (oldest !== -1) entry.items.splice(oldest, 1);
    }
    for (const send of entry.followers) send(item);
  }

  /** An unfollowed running call is cancelled after a grace; a finished one is forgotten after a while. */
  private rearm(id: string, entry: Running): void {
    if (entry.timer) this.options.clock.clearTimeout(entry.timer);
    entry.timer = undefined;
    const { clock } = this.options;
    if (entry.finished) {
      entry.timer = clock.setTimeout(() => this.forget(id), this.options.keepMs ?? 60_000);
    } else if (entry.followers.size === 0 && !entry.unattended) {
      entry.timer = clock.setTimeout(
        () => entry.call.cancel('nobody follows the call any more (the window closed)'),
        this.options.unfollowedMs ?? 30_000,
      );
    }
  }

  private forget(id: string): void {
    const entry = this.calls.get(id);
    if (entry?.timer) this.options.clock.clearTimeout(entry.timer);
    this.calls.delete(id);
  }
}

function isErrorResult(result: unknown): boolean {
  return (result as { isError?: unknown } | undefined)?.isError === true;
}
