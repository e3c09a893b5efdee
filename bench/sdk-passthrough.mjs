// Baseline for the benchmark: the pass-through most peers build, an SDK `Server` on stdio whose
// handlers forward to an SDK `Client` connected to the upstream. Usage: node sdk-passthrough.mjs CMD ARGS...
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import {
  CallToolRequestSchema,
  ListPromptsRequestSchema,
  ListResourcesRequestSchema,
  ListToolsRequestSchema,
} from '@modelcontextprotocol/sdk/types.js';

const [command, ...args] = process.argv.slice(2);
const client = new Client({ name: 'sdk-passthrough', version: '1.0.0' });
await client.connect(new StdioClientTransport({ command, args, stderr: 'inherit' }));

const server = new Server(client.getServerVersion() ?? { name: 'proxy', version: '1.0.0' }, {
  capabilities: client.getServerCapabilities() ?? {},
});
server.setRequestHandler(ListToolsRequestSchema, (request) => client.listTools(request.params));
server.setRequestHandler(CallToolRequestSchema, (request) => client.callTool(request.params));
server.setRequestHandler(ListPromptsRequestSchema, (request) => client.listPrompts(request.params));
server.setRequestHandler(ListResourcesRequestSchema, (request) => client.listResources(request.params));
const transport = new StdioServerTransport();
transport.onclose = () => void client.close().then(() => process.exit(0));
process.stdin.on('end', () => void client.close().then(() => process.exit(0)));
await server.connect(transport);
