import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { errorReply, type JsonRpcId, type JsonRpcMessage } from '../jsonrpc/messages.js';
import { AggregateSession } from '../gateway/aggregate-session.js';
import { ServerSession } from '../gateway/server-session.js';
import {
  claimedVersion,
  ENVELOPE,
  invalidEnvelope,
  MODERN_ERROR_CODES,
  MODERN_VERSIONS,
  unsupportedVersion,
} from '../protocol/modern-era.js';

const isModernVersion = (version: string) => (MODERN_VERSIONS as readonly string[]).includes(version);
import { sendJson } from '../api/http-route.js';
import { McpHttpSession } from './mcp-http-session.js';
import { headerMismatch } from './modern-headers.js';
import type { McpHttpOptions } from './mcp-http-endpoint.js';

/**
 * Errors a 2026-07-28 server answers with an HTTP status of their own (the spec's validation
 * ladder): a bad envelope, version or header is 400, a method the era does not have is 404.
 */
function ladderStatus(reply: JsonRpcMessage | undefined): number {
  const code = reply?.error?.code;
  if (code === -32601) return 404;
  const envelope = (reply?.error?.data as { envelope?: unknown } | undefined)?.envelope;
  if (code === -32602 && envelope !== undefined) return 400;
  return Object.values(MODERN_ERROR_CODES).includes(code as never) ? 400 : 200;
}

/**
 * One 2026-07-28 POST: no session; the request is its own client session for as long as it runs
 * (closing the POST is how such a client cancels), then it ends, unless the server asked the client
 * something: then it lasts until the client's retry brings the answer (gateway/modern-requests.ts).
 * Headers must agree with the body.
 */
export async function serveModernPost(
  options: McpHttpOptions,
  req: IncomingMessage,
  res: ServerResponse,
  server: string | undefined,
  message: JsonRpcMessage,
): Promise<void> {
  const id = message.id ?? null;
  const version = claimedVersion(message.params);
  const header = req.headers['mcp-protocol-version'];
  // The header names the modern era but the body carries no envelope to say who is asking.
  if (version === undefined && typeof header === 'string' && header >= MODERN_VERSIONS[0]) {
    const refusal = isModernVersion(header)
      ? invalidEnvelope(ENVELOPE.protocolVersion, 'missing')
      : unsupportedVersion(header);
    return sendJson(res, 400, errorReply(id, refusal));
  }
  const mismatch = typeof version === 'string' ? headerMismatch(req, message, version) : undefined;
  if (mismatch) return sendJson(res, 400, errorReply(id, mismatch));
  // A notification needs no session (cancelling is closing the request's POST): accepted, done.
  if (id === null) return void res.writeHead(202).end();

  const { gateway, clock, log } = options;
  const transport = new McpHttpSession(randomUUID(), server, clock.now(), log, true);
  transport.mcp =
    server === undefined
      ? new AggregateSession(transport.id, transport, clock, gateway, options.version, true)
      : new ServerSession(transport.id, transport, clock, gateway, server, true);
  // A round that waits for the client's input keeps the session (and the server's request) going.
  const end = () => {
    if (!transport.mcp.parked) transport.close();
  };
  res.once('close', end);
  // JSON unless something must go before the answer (then SSE), as 2026-07-28 servers answer.
  transport.openPost(id as JsonRpcId, res, false, typeof version === 'string' ? version : undefined);
  const started = process.hrtime.bigint();
  const reply = await transport.mcp.handle(message).catch((err: unknown) => {
    log(`${server ?? 'aggregate'}: ${message.method} failed inside the engine: ${String(err)}`);
    return errorReply(id, { code: -32603, message: `Internal error: ${(err as Error).message}` });
  });
  const status = ladderStatus(reply);
  if (status !== 200 && !res.headersSent) sendJson(res, status, reply);
  else transport.finishPost(id as JsonRpcId, reply);
  end();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  options.onRequest?.(server ?? 'aggregate', message.method ?? '', reply?.error ? 'error' : 'ok', seconds);
}
