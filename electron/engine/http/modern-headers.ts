import type { IncomingMessage } from 'node:http';
import type { JsonRpcErrorObject } from '../../shared/errors.js';
import type { JsonRpcMessage } from '../jsonrpc/messages.js';
import { MODERN_ERROR_CODES, mcpName } from '../protocol/modern-era.js';

/** `=?base64?…?=`: how a client sends a header value that is not plain printable ASCII. */
const BASE64_SENTINEL = /^=\?base64\?([A-Za-z0-9+/=]*)\?=$/;

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return typeof value === 'string' ? value.trim() : undefined;
}

function decoded(value: string): string | undefined {
  const match = BASE64_SENTINEL.exec(value);
  if (!match) return value;
  try {
    return Buffer.from(match[1]!, 'base64').toString('utf8');
  } catch {
    return undefined;
  }
}

/**
 * A modern POST's headers checked against its body, as 2026-07-28 asks (-32020, HTTP 400): the
 * `MCP-Protocol-Version` the envelope names, `Mcp-Method`, and `Mcp-Name` where the method has one.
 * A notification need not carry them, but what it carries must agree.
 */
export function headerMismatch(
  req: IncomingMessage,
  message: JsonRpcMessage,
  version: string,
): JsonRpcErrorObject | undefined {
  const isRequest = message.id !== undefined && message.id !== null;
  const method = message.method ?? '';
  const bodyName = mcpName(method, message.params);
  const checks: [string, string | undefined, string][] = [
    ['MCP-Protocol-Version', header(req, 'mcp-protocol-version'), version],
    ['Mcp-Method', header(req, 'mcp-method'), method],
  ];
  if (typeof bodyName === 'string') {
    const raw = header(req, 'mcp-name');
    checks.push(['Mcp-Name', raw === undefined ? undefined : (decoded(raw) ?? '(undecodable)'), bodyName]);
  }
  for (const [name, value, body] of checks) {
    if (value === undefined && !isRequest) continue;
    if (value === body) continue;
    const said = value === undefined ? 'is missing' : `says ${JSON.stringify(value)}`;
    return {
      code: MODERN_ERROR_CODES.HEADER_MISMATCH,
      message: `Bad Request: the request headers and body disagree: the ${name} header ${said} but the body says ${JSON.stringify(body)}`,
      data: { mismatch: { header: value ?? '(missing)', body } },
    };
  }
  return undefined;
}
