import http from 'node:http';
import { rawRequest, type RawAnswer } from './hostile-request.js';
import { initializeRequest } from '../helpers/initialize-request.js';

/** A Streamable HTTP session on `/mcp/NAME` or `/mcp` (path), with raw bodies allowed. */
export interface McpHttpClient {
  sessionId: string;
  /** POSTs `body` as it is (any bytes), with this session's headers. */
  post(body: Buffer | string, extra?: Record<string, string>): Promise<RawAnswer>;
  /** Calls the echo tool and returns its text; throws on anything else. */
  echo(text: string): Promise<string>;
  close(): void;
}

export const MCP_HEADERS = {
  accept: 'application/json, text/event-stream',
  'content-type': 'application/json',
};

export async function openMcpSession(
  baseUrl: string,
  path: string,
  echoTool = 'echo',
): Promise<McpHttpClient> {
  // Keep-alive, a few sockets: thousands of POSTs must not use thousands of ports.
  const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
  const init = await rawRequest(baseUrl, {
    method: 'POST',
    path,
    agent,
    headers: MCP_HEADERS,
    body: JSON.stringify(initializeRequest('hostile', { protocolVersion: '2025-06-18' })),
  });
  const sessionId = init.headers['mcp-session-id'];
  if (init.status !== 200 || typeof sessionId !== 'string')
    throw new Error(`initialize on ${path} failed: ${init.status} ${init.body}`);
  const headers = { ...MCP_HEADERS, 'mcp-session-id': sessionId, 'mcp-protocol-version': '2025-06-18' };
  const post = (body: Buffer | string, extra: Record<string, string> = {}) =>
    rawRequest(baseUrl, {
      method: 'POST',
      path,
      agent,
      headers: { ...headers, ...extra },
      body,
      timeoutMs: 60_000,
    });
  await post(JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }));
  let nextId = 1;
  return {
    sessionId,
    post,
    async echo(text) {
      const id = nextId++;
      const answer = await post(
        JSON.stringify({
          jsonrpc: '2.0',
          id,
          method: 'tools/call',
          params: { name: echoTool, arguments: { text } },
        }),
      );
      const reply = JSON.parse(answer.body) as { id: number; result?: { content?: { text?: string }[] } };
      const got = reply.result?.content?.[0]?.text;
      if (answer.status !== 200 || reply.id !== id || got === undefined)
        throw new Error(`echo on ${path}: ${answer.status} ${answer.body.slice(0, 300)}`);
      return got;
    },
    close: () => agent.destroy(),
  };
}
