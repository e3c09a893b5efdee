// Peer baseline for the HTTP benchmark: the Streamable HTTP pass-through most gateways build — an
// SDK `Server` per session on the SDK's StreamableHTTPServerTransport, whose handlers forward to
// one SDK `Client` of the upstream (stdio). Prints `listening on URL` once ready. 127.0.0.1 only.
// Usage: node sdk-http-passthrough.mjs CMD ARGS...
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { CallToolRequestSchema, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';

const [command, ...args] = process.argv.slice(2);
const client = new Client({ name: 'sdk-http-passthrough', version: '1.0.0' });
await client.connect(new StdioClientTransport({ command, args, stderr: 'inherit' }));

const transports = new Map();
function newSession() {
  const server = new Server(client.getServerVersion() ?? { name: 'proxy', version: '1.0.0' }, {
    capabilities: client.getServerCapabilities() ?? {},
  });
  server.setRequestHandler(ListToolsRequestSchema, (request) => client.listTools(request.params));
  server.setRequestHandler(CallToolRequestSchema, (request) => client.callTool(request.params));
  const transport = new StreamableHTTPServerTransport({
    sessionIdGenerator: () => randomUUID(),
    onsessioninitialized: (id) => transports.set(id, transport),
  });
  void server.connect(transport);
  return transport;
}

const http = createServer(async (req, res) => {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  const body = chunks.length > 0 ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : undefined;
  const id = req.headers['mcp-session-id'];
  const transport = typeof id === 'string' ? transports.get(id) : newSession();
  if (!transport) return void res.writeHead(404).end();
  await transport.handleRequest(req, res, body);
});
http.listen(0, '127.0.0.1', () => console.log(`listening on http://127.0.0.1:${http.address().port}/mcp`));
process.on('SIGTERM', () => process.exit(0));
