import type { JsonRpcErrorObject } from './errors.js';

/**
 * What the window hears about one tool call it made (the window is a client of the gateway like any
 * other): progress, the server's own requests to it (sampling, elicitation), log messages, the end.
 * The renderer imports this file: it must import nothing from node or from electron/engine.
 */
export type ToolCallEvent =
  | { kind: 'progress'; progress: number; total?: number; message?: string }
  /** The server asks the person something; `request` is the id to answer it under. */
  | { kind: 'request'; request: string; method: string; params: unknown }
  /** The server gave up on one of its requests (or the call ended first): no answer is wanted now. */
  | { kind: 'request-withdrawn'; request: string; reason?: string }
  | { kind: 'log'; level: string; logger?: string; data: unknown }
  | { kind: 'done'; outcome: ToolCallOutcome };

/** What to call. */
export interface ToolCallRequest {
  server: string;
  tool: string;
  arguments: Record<string, unknown>;
}

/** The engine's side of tool calls made through its API (electron/engine/gateway/tool-calls.ts). */
export interface ToolCallApi {
  /** A call to the end, for a caller that can answer none of the server's requests. */
  once(request: ToolCallRequest): Promise<ToolCallOutcome>;
  /** Starts a call as the window; its id. */
  start(request: ToolCallRequest): string;
  answer(call: string, request: string, reply: { result: unknown } | { error: JsonRpcErrorObject }): void;
  cancel(call: string): void;
  follow(call: string, send: (item: ToolCallItem) => void): () => void;
}

/** How a call ended: the tools/call result, the JSON-RPC error, or cancelled (and why). */
export type ToolCallOutcome = { result: unknown } | { error: JsonRpcErrorObject } | { cancelled: string };

/** One event as the stream carries it: `seq` counts from 1, so a follower that reconnects skips repeats. */
export type ToolCallItem = ToolCallEvent & { seq: number };

/** Server→client requests the window can answer (the capabilities it declares). */
export const WINDOW_CLIENT_CAPABILITIES = {
  sampling: {},
  elicitation: { form: {}, url: {} },
} as const;
