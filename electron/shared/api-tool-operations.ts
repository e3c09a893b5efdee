import { z } from 'zod';
import { operation } from './api-operation.js';
import { callToolResultSchema, jsonRpcErrorSchema, serverInput, toolSchema } from './api-schemas.js';

const toolCallInput = serverInput.extend({
  tool: z.string().min(1),
  arguments: z.record(z.string(), z.unknown()).default({}),
});
const callId = z.object({ call: z.string().min(1) });

/**
 * The API table's operations on a server's tools: list them, call one in one go (a script), or start a
 * call and follow it (the window: progress, the server's own requests answered, cancel). Merged into
 * `apiOperations` in api.ts; the `followToolCall` stream is beside the other streams there.
 */
export const toolOperations = {
  listTools: operation({
    summary: 'The tools a server offers (as of its last start or list_changed).',
    input: serverInput,
    output: z.object({ server: z.string(), tools: z.array(toolSchema) }),
    http: { method: 'GET', path: '/api/v1/servers/:server/tools' },
    auth: true,
  }),
  callTool: operation({
    summary:
      "Calls one of a server's tools: the tools/call result, or the JSON-RPC error. The server's own requests (sampling, elicitation) are declined.",
    input: toolCallInput,
    output: z.union([z.object({ result: callToolResultSchema }), z.object({ error: jsonRpcErrorSchema })]),
    http: { method: 'POST', path: '/api/v1/servers/:server/tools/call' },
    auth: true,
  }),
  startToolCall: operation({
    summary:
      "Starts a call of one of a server's tools as a client that can answer the server's requests; follow it with followToolCall.",
    input: toolCallInput,
    output: callId,
    http: { method: 'POST', path: '/api/v1/servers/:server/tool-calls' },
    auth: true,
  }),
  answerToolCall: operation({
    summary:
      "Answers a server's request (sampling, elicitation) that came with a started call: a result, or a JSON-RPC error.",
    input: callId
      .extend({
        request: z.string().min(1),
        result: z.record(z.string(), z.unknown()).optional(),
        error: jsonRpcErrorSchema.optional(),
      })
      .refine((a) => (a.result === undefined) !== (a.error === undefined), {
        message: 'send either `result` or `error`',
      }),
    output: z.object({}),
    http: { method: 'POST', path: '/api/v1/tool-calls/:call/answer' },
    auth: true,
  }),
  cancelToolCall: operation({
    summary: 'Cancels a started call: the server is told, and its open requests are withdrawn.',
    input: callId,
    output: z.object({}),
    http: { method: 'POST', path: '/api/v1/tool-calls/:call/cancel' },
    auth: true,
  }),
} as const;
