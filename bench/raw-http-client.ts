import net from 'node:net';

type Reply = { error?: unknown; result?: unknown };

interface Waiter {
  resolve: (reply: Reply, session: string | undefined) => void;
  reject: (err: Error) => void;
}

/**
 * A load generator for Streamable HTTP that costs as little as possible: plain TCP keep-alive
 * connections, requests written from a template, replies parsed just enough (status, length or
 * chunks, the JSON or the SSE event carrying it). With node:http the client itself took a large
 * share of the two cores and flattened the differences between the servers measured.
 */
export class RawHttpClient {
  private readonly idle: RawConnection[] = [];
  private readonly waiting: ((c: RawConnection) => void)[] = [];
  private session: string | undefined;
  private nextId = 1;
  private readonly all: RawConnection[] = [];

  constructor(
    private readonly url: URL,
    private readonly connections = 32,
  ) {}

  async initialize(): Promise<void> {
    for (let i = 0; i < this.connections; i++) {
      const c = await RawConnection.open(this.url);
      this.all.push(c);
      this.idle.push(c);
    }
    const init = {
      protocolVersion: '2025-06-18',
      capabilities: {},
      clientInfo: { name: 'bench', version: '1' },
    };
    await this.send({ jsonrpc: '2.0', id: this.nextId++, method: 'initialize', params: init });
    await this.send({ jsonrpc: '2.0', method: 'notifications/initialized' });
  }

  callTool(name: string, args: Record<string, unknown>): Promise<{ error?: unknown; result?: unknown }> {
    return this.send({
      jsonrpc: '2.0',
      id: this.nextId++,
      method: 'tools/call',
      params: { name, arguments: args },
    });
  }

  close(): void {
    for (const c of this.all) c.socket.destroy();
  }

  private async send(message: object): Promise<{ error?: unknown; result?: unknown }> {
    let connection = this.idle.pop() ?? (await new Promise<RawConnection>((r) => this.waiting.push(r)));
    // Servers close keep-alive connections that sat idle (Node's default is 5 s): open a fresh one.
    if (connection.closed) {
      connection = await RawConnection.open(this.url);
      this.all.push(connection);
    }
    try {
      const { reply, session } = await connection.request(this.url, JSON.stringify(message), this.session);
      this.session ??= session;
      return reply;
    } catch (err) {
      return { error: (err as Error).message };
    } finally {
      const next = this.waiting.shift();
      if (next) next(connection);
      else this.idle.push(connection);
    }
  }
}

class RawConnection {
  private buffer: Buffer = Buffer.alloc(0);
  private waiter: Waiter | undefined;
  closed = false;

  private constructor(readonly socket: net.Socket) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
      this.parse();
    });
    socket.on('error', (err) => this.waiter?.reject(err));
    socket.on('close', () => {
      this.closed = true;
      this.waiter?.reject(new Error('the server closed the connection'));
    });
  }

  static open(url: URL): Promise<RawConnection> {
    return new Promise((resolve, reject) => {
      const socket = net.connect(Number(url.port), url.hostname, () => resolve(new RawConnection(socket)));
      socket.once('error', reject);
    });
  }

  request(url: URL, body: string, session: string | undefined) {
    return new Promise<{ reply: Reply; session?: string }>((resolve, reject) => {
      this.waiter = { resolve: (reply, session) => resolve({ reply, session }), reject };
      this.socket.write(
        `POST ${url.pathname} HTTP/1.1\r\nHost: ${url.host}\r\nContent-Type: application/json\r\n` +
          `Accept: application/json, text/event-stream\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
          (session ? `Mcp-Session-Id: ${session}\r\nMCP-Protocol-Version: 2025-06-18\r\n` : '') +
          `\r\n${body}`,
      );
    });
  }

  /** One reply: headers, then a Content-Length body or chunks up to the last one. */
  private parse(): void {
    const end = this.buffer.indexOf('\r\n\r\n');
    if (end === -1 || !this.waiter) return;
    const head = this.buffer.toString('latin1', 0, end);
    const status = Number(head.slice(9, 12));
    const length = /\r\ncontent-length: *(\d+)/i.exec(head);
    let body: string;
    let used: number;
    if (length) {
      used = end + 4 + Number(length[1]);
      if (this.buffer.length < used) return;
      body = this.buffer.toString('utf8', end + 4, used);
    } else if (/\r\ntransfer-encoding: *chunked/i.test(head)) {
      const parts: Buffer[] = [];
      let at = end + 4;
      for (;;) {
        const lineEnd = this.buffer.indexOf('\r\n', at);
        if (lineEnd === -1) return;
        const size = parseInt(this.buffer.toString('latin1', at, lineEnd), 16);
        if (this.buffer.length < lineEnd + 2 + size + 2) return;
        if (size === 0) {
          used = lineEnd + 4;
          break;
        }
        parts.push(this.buffer.subarray(lineEnd + 2, lineEnd + 2 + size));
        at = lineEnd + 2 + size + 2;
      }
      body = Buffer.concat(parts).toString('utf8');
    } else {
      used = end + 4;
      body = '';
    }
    this.buffer = this.buffer.subarray(used);
    const waiter = this.waiter;
    this.waiter = undefined;
    const session = /\r\nmcp-session-id: *([^\r]+)/i.exec(head)?.[1];
    if (status === 202) return waiter.resolve({}, session);
    if (status !== 200) return waiter.resolve({ error: `HTTP ${status}: ${body}` }, session);
    const json = /\r\ncontent-type: *text\/event-stream/i.test(head)
      ? (body
          .split('\n')
          .filter((l) => l.startsWith('data: '))
          .map((l) => l.slice(6))
          .pop() ?? '{}')
      : body;
    waiter.resolve(JSON.parse(json) as Reply, session);
  }
}
