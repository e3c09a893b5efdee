import type { JsonRpcResponse } from '../helpers/stdio-rpc-client.js';
import { HungError, type RpcChannel } from './storm-calls.js';
import { initializeRequest } from '../helpers/initialize-request.js';

const ACCEPT = 'application/json, text/event-stream';

/**
 * One Streamable HTTP session on `/mcp/NAME`, by raw fetch: unlike the SDK's client it lets us see
 * every message the engine puts in a POST's reply, so a stray or doubled reply cannot hide.
 */
export class HttpMcpSession implements RpcChannel {
  private nextId = 1;
  private readonly answered = new Set<number>();
  private unknown = 0;
  private duplicate = 0;

  private constructor(
    readonly label: string,
    private readonly url: string,
    readonly sessionId: string,
    private readonly protocolVersion: string,
  ) {}

  static async open(url: string, label: string): Promise<HttpMcpSession> {
    const res = await fetch(url, {
      method: 'POST',
      headers: { accept: ACCEPT, 'content-type': 'application/json' },
      body: JSON.stringify(initializeRequest('storm')),
      signal: AbortSignal.timeout(30_000),
    });
    const [reply] = parseBody(res.headers.get('content-type'), await res.text());
    const sessionId = res.headers.get('mcp-session-id');
    if (!sessionId || !reply?.result)
      throw new Error(`initialize failed: ${res.status} ${JSON.stringify(reply)}`);
    const { protocolVersion } = reply.result as { protocolVersion: string };
    const session = new HttpMcpSession(label, url, sessionId, protocolVersion);
    await session.post({ jsonrpc: '2.0', method: 'notifications/initialized' }, 30_000);
    return session;
  }

  async request(method: string, params: unknown, timeoutMs: number): Promise<JsonRpcResponse> {
    const id = this.nextId++;
    const messages = await this.post({ jsonrpc: '2.0', id, method, params }, timeoutMs);
    let mine: JsonRpcResponse | undefined;
    for (const message of messages) {
      if ((message as { method?: unknown }).method !== undefined) continue; // progress, logging, ...
      if (message.id !== id)
        this.unknown++; // another request's reply, or an id we never sent
      else if (mine || this.answered.has(id)) this.duplicate++;
      else mine = message;
    }
    if (!mine) throw new Error(`no reply to ${method} (id ${id}) in the POST's answer`);
    this.answered.add(id);
    return mine;
  }

  strays(): { unknown: number; duplicate: number } {
    return { unknown: this.unknown, duplicate: this.duplicate };
  }

  async close(): Promise<void> {
    await fetch(this.url, {
      method: 'DELETE',
      headers: { 'mcp-session-id': this.sessionId },
      signal: AbortSignal.timeout(5000),
    }).catch(() => undefined);
  }

  private async post(message: unknown, timeoutMs: number): Promise<JsonRpcResponse[]> {
    try {
      const res = await fetch(this.url, {
        method: 'POST',
        headers: {
          accept: ACCEPT,
          'content-type': 'application/json',
          'mcp-session-id': this.sessionId,
          'mcp-protocol-version': this.protocolVersion,
        },
        body: JSON.stringify(message),
        signal: AbortSignal.timeout(timeoutMs),
      });
      const text = await res.text();
      if (res.status === 202) return [];
      if (res.status !== 200) throw new Error(`HTTP ${res.status}: ${text.slice(0, 200)}`);
      return parseBody(res.headers.get('content-type'), text);
    } catch (err) {
      if ((err as Error).name === 'TimeoutError') throw new HungError(`no answer within ${timeoutMs} ms`);
      throw err;
    }
  }
}

/** A POST's answer: one JSON message, or an SSE stream of them. */
function parseBody(contentType: string | null, text: string): JsonRpcResponse[] {
  if (!contentType?.includes('text/event-stream')) return text ? [JSON.parse(text) as JsonRpcResponse] : [];
  return text
    .split('\n')
    .filter((line) => line.startsWith('data:') && line.slice(5).trim() !== '') // not the priming event
    .map((line) => JSON.parse(line.slice(5)) as JsonRpcResponse);
}
