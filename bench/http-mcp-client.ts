import http from 'node:http';

/**
 * A lean Streamable HTTP client for load: one session, keep-alive sockets, replies read as JSON or
 * as the SSE event that carries them. Lean so that the load generator is not what is measured.
 */
export class HttpMcpClient {
  private session: string | undefined;
  private nextId = 1;
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

  constructor(private readonly url: URL) {}

  async initialize(): Promise<void> {
    await this.post({
      jsonrpc: '2.0',
      id: this.nextId++,
      method: 'initialize',
      params: {
        protocolVersion: '2025-06-18',
        capabilities: {},
        clientInfo: { name: 'bench', version: '1' },
      },
    });
    await this.post({ jsonrpc: '2.0', method: 'notifications/initialized' });
  }

  callTool(name: string, args: Record<string, unknown>): Promise<{ error?: unknown; result?: unknown }> {
    return this.post({
      jsonrpc: '2.0',
      id: this.nextId++,
      method: 'tools/call',
      params: { name, arguments: args },
    }) as Promise<{
      error?: unknown;
    }>;
  }

  close(): void {
    this.agent.destroy();
  }

  private post(message: object): Promise<Record<string, unknown>> {
    const body = JSON.stringify(message);
    return new Promise((resolve, reject) => {
      const req = http.request(
        this.url,
        {
          method: 'POST',
          agent: this.agent,
          headers: {
            'content-type': 'application/json',
            accept: 'application/json, text/event-stream',
            'content-length': Buffer.byteLength(body),
            ...(this.session ? { 'mcp-session-id': this.session, 'mcp-protocol-version': '2025-06-18' } : {}),
          },
        },
        (res) => {
          const session = res.headers['mcp-session-id'];
          if (typeof session === 'string') this.session = session;
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            if (res.statusCode === 202) return resolve({});
            if (res.statusCode !== 200) return resolve({ error: `HTTP ${res.statusCode}: ${text}` });
            const data = (res.headers['content-type'] ?? '').includes('text/event-stream')
              ? text
                  .split('\n')
                  .filter((l) => l.startsWith('data: '))
                  .map((l) => l.slice(6))
                  .pop()
              : text;
            try {
              resolve(JSON.parse(data ?? '{}') as Record<string, unknown>);
            } catch (err) {
              reject(err as Error);
            }
          });
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }
}
