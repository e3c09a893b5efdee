import type { Clock } from '../flow/clock.js';
import type { JsonRpcId, JsonRpcMessage } from '../jsonrpc/messages.js';
import type { JsonRpcErrorObject } from '../../shared/errors.js';
import type { ToolCallEvent, ToolCallOutcome } from '../../shared/tool-call-events.js';
import type { Gateway } from './gateway.js';
import { ServerSession } from './server-session.js';

export interface ToolCallSpec {
  server: string;
  tool: string;
  arguments: Record<string, unknown>;
  /** What the caller can answer: the window declares sampling and elicitation, a script nothing. */
  capabilities: Record<string, unknown>;
  clientInfo: { name: string; version: string };
}

/** The ids this session uses for its own requests. */
const INITIALIZE_ID = 'initialize';
const CALL_ID = 'call';
const PROGRESS_TOKEN = 'call';

let sessionCounter = 0;

/**
 * One tool call made by the engine's own API (the window's tool tester, a script): a client session
 * of the server like any other (`/mcp/NAME`), so it is routed, isolated and shaped by extensions the
 * same way, and what the server sends back (progress, its own requests, logs) reaches only this call.
 * A server request the caller cannot answer is declined at once (it declared no such capability).
 */
export class ToolCall {
  readonly done: Promise<ToolCallOutcome>;
  /** The server's requests that wait for the caller's answer (by the id they were delivered under). */
  private readonly waiting = new Set<string>();
  private readonly session: ServerSession;
  private finish: (outcome: ToolCallOutcome) => void = () => {};
  private finished = false;
  private sent = false;
  private onEvent: (event: ToolCallEvent) => void = () => {};

  constructor(
    gateway: Gateway,
    clock: Clock,
    private readonly spec: ToolCallSpec,
  ) {
    this.done = new Promise((resolve) => (this.finish = resolve));
    const transport = {
      deliver: (message: JsonRpcMessage, relatedTo?: JsonRpcId) => this.fromServer(message, relatedTo),
    };
    this.session = new ServerSession(`api-${++sessionCounter}`, transport, clock, gateway, spec.server);
  }

  /** Initializes the session and calls the tool; every event of the call goes to `onEvent`. */
  start(onEvent: (event: ToolCallEvent) => void): Promise<ToolCallOutcome> {
    this.onEvent = onEvent;
    void this.run();
    return this.done;
  }

  /** Stops the call: the server is told, its open requests to this caller are declined. */
  cancel(reason: string): void {
    if (this.finished) return;
    if (this.sent) this.send({ method: 'notifications/cancelled', params: { requestId: CALL_ID, reason } });
    this.end({ cancelled: reason });
  }

  /** The caller's answer to a server request it was shown; false when that request waits no more. */
  answer(request: string, reply: { result: unknown } | { error: JsonRpcErrorObject }): boolean {
    if (this.finished || !this.waiting.delete(request)) return false;
    this.send({ id: request, ...reply });
    return true;
  }

  private async run(): Promise<void> {
    const { capabilities, clientInfo } = this.spec;
    const init = await this.session.handle({
      jsonrpc: '2.0',
      id: INITIALIZE_ID,
      method: 'initialize',
      params: { protocolVersion: '2025-11-25', capabilities, clientInfo },
    });
    if (this.finished) return;
    if (init?.error) return this.end({ error: init.error });
    this.send({ method: 'notifications/initialized' });
    this.sent = true;
    const reply = await this.session.handle({
      jsonrpc: '2.0',
      id: CALL_ID,
      method: 'tools/call',
      params: {
        name: this.spec.tool,
        arguments: this.spec.arguments,
        _meta: { progressToken: PROGRESS_TOKEN },
      },
    });
    // No reply: the call was cancelled (the outcome is set already).
    if (reply) this.end(reply.error ? { error: reply.error } : { result: reply.result });
  }

  private end(outcome: ToolCallOutcome): void {
    if (this.finished) return;
    this.finished = true;
    for (const request of this.waiting)
      this.onEvent({ kind: 'request-withdrawn', request, reason: 'the call ended' });
    this.waiting.clear();
    // Closing the session declines what the server still asks and ends an instance of its own.
    this.session.close();
    this.onEvent({ kind: 'done', outcome });
    this.finish(outcome);
  }

  private send(message: { id?: JsonRpcId; method?: string; params?: unknown; result?: unknown }): void {
    void this.session.handle({ jsonrpc: '2.0', ...message });
  }

  /** What the server sends this session: only what belongs to this call reaches the caller. */
  private fromServer(message: JsonRpcMessage, relatedTo: JsonRpcId | undefined): boolean {
    if (this.finished) return false;
    const params = (message.params ?? {}) as Record<string, unknown>;
    if (message.method !== undefined && message.id !== undefined && message.id !== null) {
      const request = String(message.id);
      this.waiting.add(request);
      this.onEvent({ kind: 'request', request, method: message.method, params: message.params });
    } else if (message.method === 'notifications/progress') {
      this.onEvent({
        kind: 'progress',
        progress: Number(params.progress),
        ...(typeof params.total === 'number' ? { total: params.total } : {}),
        ...(typeof params.message === 'string' ? { message: params.message } : {}),
      });
    } else if (message.method === 'notifications/message' && relatedTo === CALL_ID) {
      // Only what the server logged while this call ran alone (a shared server logs for others too).
      this.onEvent({
        kind: 'log',
        level: String(params.level),
        ...(typeof params.logger === 'string' ? { logger: params.logger } : {}),
        data: params.data,
      });
    } else if (message.method === 'notifications/cancelled') {
      const request = String(params.requestId);
      if (this.waiting.delete(request))
        this.onEvent({
          kind: 'request-withdrawn',
          request,
          ...(typeof params.reason === 'string' ? { reason: params.reason } : {}),
        });
    }
    return true;
  }
}
