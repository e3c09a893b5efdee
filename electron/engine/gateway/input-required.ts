import type { JsonRpcMessage } from '../jsonrpc/messages.js';
import { isInputRequired } from '../protocol/modern-era.js';

/** Rounds of questions one request may take before it is ended (the SDK's own server shim allows 8). */
export const MAX_INPUT_ROUNDS = 8;

export interface InputRoundsIo {
  /** Asks the client one of the server's questions as a 2025-11-25 server→client request. */
  ask(question: { method: string; params?: unknown }): Promise<JsonRpcMessage>;
  /** Sends the request again with the answers (and the server's state); resolves with its next reply. */
  retry(answers: { inputResponses: Record<string, unknown>; requestState?: string }): Promise<JsonRpcMessage>;
  /** A state-only round asks to come back later: waits a moment first. */
  pause(): Promise<void>;
  /** The client cancelled the request meanwhile: nothing more is asked or sent. */
  cancelled(): boolean;
}

/**
 * A 2026-07-28 server's input-required results for a 2025-11-25 client: each question goes to the
 * client as the server→client request it was in that era (sampling, elicitation, roots), and the
 * request is sent again with the answers, until the server completes it. A client that answers a
 * question with an error ends the request with that error; undefined: it was cancelled.
 */
export async function answerInputRounds(
  first: JsonRpcMessage,
  io: InputRoundsIo,
): Promise<JsonRpcMessage | undefined> {
  let reply = first;
  for (let round = 1; isInputRequired(reply.result); round++) {
    const { inputRequests = {}, requestState } = reply.result;
    if (round > MAX_INPUT_ROUNDS)
      return failed(reply, `the server asked for input ${MAX_INPUT_ROUNDS} times and still did not finish`);
    const inputResponses: Record<string, unknown> = {};
    const questions = Object.entries(inputRequests);
    if (questions.length === 0) await io.pause();
    for (const [key, question] of questions) {
      const answer = await io.ask(question);
      if (io.cancelled()) return undefined;
      if (answer.error) return { jsonrpc: '2.0', id: reply.id, error: answer.error };
      inputResponses[key] = answer.result;
    }
    if (io.cancelled()) return undefined;
    reply = await io.retry({ inputResponses, ...(requestState !== undefined ? { requestState } : {}) });
  }
  return reply;
}

function failed(reply: JsonRpcMessage, detail: string): JsonRpcMessage {
  return { jsonrpc: '2.0', id: reply.id, error: { code: -32603, message: `Internal error: ${detail}` } };
}
