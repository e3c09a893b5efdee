// The ceiling for the HTTP benchmark: the least an HTTP→stdio proxy can do (no sessions, no checks,
// ids rewritten by a counter). Not a product; only a yardstick. Prints `listening on URL`. 127.0.0.1 only.
// Usage: node raw-http-proxy.mjs CMD ARGS...
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { createInterface } from 'node:readline';

const [command, ...args] = process.argv.slice(2);
const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'inherit'] });
const pending = new Map();
let nextId = 1;
createInterface({ input: child.stdout }).on('line', (line) => {
  const message = JSON.parse(line);
  const waiting = pending.get(message.id);
  if (!waiting) return;
  pending.delete(message.id);
  message.id = waiting.id;
  const body = JSON.stringify(message);
  waiting.res.writeHead(200, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
    'mcp-session-id': 'raw',
  });
  waiting.res.end(body);
});
const send = (message) => child.stdin.write(`${JSON.stringify(message)}\n`);
send({
  jsonrpc: '2.0',
  id: 0,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
});
send({ jsonrpc: '2.0', method: 'notifications/initialized' });

const http = createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const message = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    if (message.id === undefined) return void res.writeHead(202, { 'mcp-session-id': 'raw' }).end();
    if (message.method === 'initialize') {
      const body = JSON.stringify({
        jsonrpc: '2.0',
        id: message.id,
        result: {
          protocolVersion: '2025-06-18',
          capabilities: {},
          serverInfo: { name: 'raw', version: '1' },
        },
      });
      return void res
        .writeHead(200, { 'content-type': 'application/json', 'mcp-session-id': 'raw' })
        .end(body);
    }
    const id = nextId++;
    pending.set(id, { id: message.id, res });
    send({ ...message, id });
  });
});
http.listen(0, '127.0.0.1', () => console.log(`listening on http://127.0.0.1:${http.address().port}/mcp`));
process.on('SIGTERM', () => (child.kill(), process.exit(0)));
