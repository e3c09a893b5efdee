import { StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import path from 'node:path';
import { REPO } from './gateway-harness.js';

/** Tests of 2026-07-28 clients: the surfaces they reach a server on, and the era's raw wire. */

export const MODERN = '2026-07-28';
const BIN = path.join(REPO, 'bin/switchboard.mjs');

export interface Message {
  id?: number | string;
  method?: string;
  params?: Record<string, unknown>;
  result?: Record<string, unknown>;
  error?: { code: number; message?: string; data?: unknown };
}

/**
 * `/mcp/NAME`, the aggregated `/mcp` (names prefixed `NAME__`) and `connect NAME`, for an SDK v2
 * client of the engine `engine()` gives (started later than the tests are declared).
 */
export function surfacesOf(engine: () => { url: string; dir: string }, server: string) {
  return [
    {
      name: `/mcp/${server}`,
      prefix: '',
      transport: () => new StreamableHTTPClientTransport(new URL(`/mcp/${server}`, engine().url)),
    },
    {
      name: 'the aggregated /mcp',
      prefix: `${server}__`,
      transport: () => new StreamableHTTPClientTransport(new URL('/mcp', engine().url)),
    },
    {
      name: `switchboard connect ${server}`,
      prefix: '',
      transport: () =>
        new StdioClientTransport({
          command: process.execPath,
          args: [BIN, 'connect', server],
          env: { ...process.env, SWITCHBOARD_HOME: engine().dir } as Record<string, string>,
          stderr: 'ignore',
        }),
    },
  ];
}

/**
 * One raw POST of a 2026-07-28 message, with `MCP-Protocol-Version` and `Mcp-Method` unless `headers`
 * say otherwise (`Mcp-Name` only when given): the status, the headers, and every message the
 * answer carried, whether JSON or a stream of events.
 */
export async function postModern(
  url: URL,
  body: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Headers; messages: Message[] }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-protocol-version': MODERN,
      'mcp-method': String(body.method),
      ...headers,
    },
    body: JSON.stringify({ jsonrpc: '2.0', ...body }),
  });
  const text = await res.text();
  const messages = (res.headers.get('content-type') ?? '').includes('text/event-stream')
    ? text
        .split('\n')
        .filter((line) => line.startsWith('data: ') && line.length > 6)
        .map((line) => JSON.parse(line.slice(6)) as Message)
    : [JSON.parse(text) as Message];
  return { status: res.status, headers: res.headers, messages };
}
