import { describe, expect, it } from 'vitest';
import type { JsonRpcMessage } from '../jsonrpc/messages.js';
import { answerInputRounds, MAX_INPUT_ROUNDS } from './input-required.js';

const asking = (requestState?: string): JsonRpcMessage => ({
  jsonrpc: '2.0',
  id: 1,
  result: {
    resultType: 'input_required',
    inputRequests: { name: { method: 'elicitation/create', params: { message: 'Name?' } } },
    ...(requestState ? { requestState } : {}),
  },
});
const done: JsonRpcMessage = { jsonrpc: '2.0', id: 1, result: { resultType: 'complete', content: [] } };

describe('answerInputRounds', () => {
  it("asks the client each question and sends the request again with the answers and the server's state", async () => {
    const asked: unknown[] = [];
    const retries: unknown[] = [];
    const replies = [asking('s2'), done];
    const reply = await answerInputRounds(asking('s1'), {
      ask: async (q) => {
        asked.push(q.method);
        return { jsonrpc: '2.0', id: 0, result: { action: 'accept', content: { name: 'Ada' } } };
      },
      retry: async (answers) => {
        retries.push(answers);
        return replies.shift()!;
      },
      pause: async () => undefined,
      cancelled: () => false,
    });
    expect(reply).toBe(done);
    expect(asked).toEqual(['elicitation/create', 'elicitation/create']);
    expect(retries).toEqual([
      { inputResponses: { name: { action: 'accept', content: { name: 'Ada' } } }, requestState: 's1' },
      { inputResponses: { name: { action: 'accept', content: { name: 'Ada' } } }, requestState: 's2' },
    ]);
  });

  it("ends the request with the client's error, and gives up after too many rounds", async () => {
    const refused = await answerInputRounds(asking(), {
      ask: async () => ({ jsonrpc: '2.0', id: 0, error: { code: -1, message: 'User rejected' } }),
      retry: async () => done,
      pause: async () => undefined,
      cancelled: () => false,
    });
    expect(refused?.error).toEqual({ code: -1, message: 'User rejected' });
    let retries = 0;
    const endless = await answerInputRounds(asking(), {
      ask: async () => ({ jsonrpc: '2.0', id: 0, result: {} }),
      retry: async () => (retries++, asking()),
      pause: async () => undefined,
      cancelled: () => false,
    });
    expect(retries).toBe(MAX_INPUT_ROUNDS);
    expect(endless?.error?.message).toMatch(/asked for input 8 times/);
  });

  it('stops once the client cancelled, and paces a round that only carries state', async () => {
    let cancelled = false;
    const stopped = await answerInputRounds(asking(), {
      ask: async () => ((cancelled = true), { jsonrpc: '2.0', id: 0, result: {} }),
      retry: async () => done,
      pause: async () => undefined,
      cancelled: () => cancelled,
    });
    expect(stopped).toBeUndefined();
    let paused = 0;
    const stateOnly: JsonRpcMessage = {
      jsonrpc: '2.0',
      id: 1,
      result: { resultType: 'input_required', requestState: 'x' },
    };
    expect(
      await answerInputRounds(stateOnly, {
        ask: async () => done,
        retry: async () => done,
        pause: async () => void paused++,
        cancelled: () => false,
      }),
    ).toBe(done);
    expect(paused).toBe(1);
  });
});
