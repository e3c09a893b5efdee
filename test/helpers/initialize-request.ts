/** An `initialize` as a raw client sends it, for tests that speak MCP over HTTP by hand. */
export function initializeRequest(
  client: string,
  opts: { protocolVersion?: string; id?: number } = {},
): { jsonrpc: '2.0'; id: number; method: 'initialize'; params: Record<string, unknown> } {
  return {
    jsonrpc: '2.0',
    id: opts.id ?? 0,
    method: 'initialize',
    params: {
      protocolVersion: opts.protocolVersion ?? '2025-11-25',
      capabilities: {},
      clientInfo: { name: client, version: '1' },
    },
  };
}
