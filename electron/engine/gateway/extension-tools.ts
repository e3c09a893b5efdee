import type { JsonRpcId, JsonRpcMessage } from '../jsonrpc/messages.js';
import type { JsonObject, SessionView, Tool, ToolCallContext, ToolResult } from '../extensions/extension.js';
import type { ExtensionToolRun } from '../extensions/hook-pipeline.js';
import type { McpSession } from './mcp-session.js';

export interface ExtensionToolCall {
  session: McpSession;
  view: SessionView;
  id: JsonRpcId;
  params: unknown;
  run: ExtensionToolRun;
  /** The session's tools without extension tools (what tool-search searches). */
  listTools(): Promise<Tool[]>;
  /** Routes a server tool call as the session would, under the client's own request id. */
  callServerTool(name: string, args: JsonObject): Promise<JsonRpcMessage | undefined>;
}

/** Answers a tools/call of a tool an extension offers, with the context the extension needs. */
export async function answerExtensionTool(call: ExtensionToolCall): Promise<JsonRpcMessage> {
  const p = (call.params ?? {}) as {
    name?: unknown;
    arguments?: unknown;
    _meta?: { progressToken?: unknown };
  };
  const args = (typeof p.arguments === 'object' && p.arguments !== null ? p.arguments : {}) as JsonObject;
  const progressToken = p._meta?.progressToken;
  const ctx: ToolCallContext = {
    ...call.view,
    listTools: () => call.listTools(),
    callTool: async (name, toolArgs) => toToolResult(await call.callServerTool(name, toolArgs)),
    progress: (progress, total, message) => {
      if (progressToken === undefined) return;
      call.session.deliver(
        {
          jsonrpc: '2.0',
          method: 'notifications/progress',
          params: {
            progressToken,
            progress,
            ...(total !== undefined ? { total } : {}),
            ...(message !== undefined ? { message } : {}),
          },
        },
        call.id,
      );
    },
  };
  const result = await call.run(args, ctx);
  return { jsonrpc: '2.0', id: call.id, result };
}

/** A routed call's reply as a tool result: an error becomes an error result that says what happened. */
function toToolResult(reply: JsonRpcMessage | undefined): ToolResult {
  if (!reply) return { content: [{ type: 'text', text: 'The call was cancelled.' }], isError: true };
  if (reply.error) {
    const data = reply.error.data as { suggestion?: unknown } | undefined;
    const hint = typeof data?.suggestion === 'string' ? ` ${data.suggestion}` : '';
    return { content: [{ type: 'text', text: `${reply.error.message}.${hint}` }], isError: true };
  }
  return reply.result as ToolResult;
}
