import { timingSafeEqual } from 'node:crypto';
import { promises as fs } from 'node:fs';
import net from 'node:net';
import type { Clock } from '../flow/clock.js';
import { LineFramer } from '../jsonrpc/line-framer.js';
import { LineWriter } from '../jsonrpc/line-writer.js';
import {
  errorReply,
  parseLine,
  readEnvelopeId,
  serialize,
  type JsonRpcMessage,
} from '../jsonrpc/messages.js';
import { engineError } from '../../shared/errors.js';
import { AggregateSession } from './aggregate-session.js';
import type { Gateway } from './gateway.js';
import type { McpSession } from './mcp-session.js';
import { ServerSession } from './server-session.js';

export interface SocketServerOptions {
  path: string;
  token: string;
  gateway: Gateway;
  clock: Clock;
  version: string;
  log: (line: string) => void;
  maxMessageBytes?: number;
  /** Called with each request's server, method and outcome (for metrics). */
  onRequest?: (server: string, method: string, status: 'ok' | 'error', seconds: number) => void;
}

/** The first line a `switchboard connect` sends: which server (or `*` for all), and the token. */
export interface ConnectHello {
  connect: string;
  token: string;
}

const HELLO_LIMIT = 4096;
let connectionCounter = 0;

/**
 * The engine's end of `switchboard connect`: a Unix socket / named pipe that carries one MCP
 * session per connection as newline-delimited JSON, after a one-line hello with the token.
 */
export class EngineSocketServer {
  private server: net.Server | undefined;
  private readonly connections = new Set<net.Socket>();
  private open = 0;

  constructor(private readonly options: SocketServerOptions) {}

  get sessionCount(): number {
    return this.open;
  }

  async listen(): Promise<void> {
    if (process.platform !== 'win32') await fs.rm(this.options.path, { force: true });
    this.server = net.createServer({ allowHalfOpen: true }, (socket) => this.accept(socket));
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(this.options.path, () => resolve());
    });
    if (process.platform !== 'win32') await fs.chmod(this.options.path, 0o600);
  }

  async close(): Promise<void> {
    for (const socket of this.connections) socket.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    if (process.platform !== 'win32') await fs.rm(this.options.path, { force: true });
  }

  private accept(socket: net.Socket): void {
    this.connections.add(socket);
    socket.on('close', () => this.connections.delete(socket));
    socket.on('error', () => undefined);
    let buffered = Buffer.alloc(0);
    const onHello = (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      const newline = buffered.indexOf(10);
      if (newline === -1) {
        if (buffered.length <= HELLO_LIMIT) return;
        // Refused: nothing more is kept, however much more this client sends.
        socket.off('data', onHello);
        return this.refuse(socket, 'the first line must be the connect hello');
      }
      socket.off('data', onHello);
      const problem = this.checkHello(buffered.subarray(0, newline));
      if (typeof problem === 'string') return this.refuse(socket, problem);
      socket.write('{"ok":true}\n');
      this.serve(socket, problem.connect, buffered.subarray(newline + 1));
    };
    socket.on('data', onHello);
  }

  private checkHello(line: Buffer): ConnectHello | string {
    let parsed: unknown;
    try {
      parsed = JSON.parse(line.toString('utf8'));
    } catch {
      parsed = undefined;
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
      return 'the first line must be the connect hello (a JSON object)';
    const hello = parsed as Partial<ConnectHello>;
    const given = Buffer.from(String(hello.token ?? ''));
    const expected = Buffer.from(this.options.token);
    if (given.length !== expected.length || !timingSafeEqual(given, expected))
      return 'wrong token: the engine was restarted? run the command again';
    if (typeof hello.connect !== 'string' || hello.connect === '') return 'say which server to connect to';
    if (hello.connect !== '*' && !this.options.gateway.server(hello.connect))
      return `no server named "${hello.connect}" is configured; \`switchboard status\` lists them`;
    return hello as ConnectHello;
  }

  private refuse(socket: net.Socket, error: string): void {
    socket.end(`${JSON.stringify({ ok: false, error })}\n`);
    socket.resume(); // whatever else it sends is read and dropped
  }

  private serve(socket: net.Socket, target: string, rest: Buffer): void {
    const { gateway, clock, version, log } = this.options;
    const writer = new LineWriter(socket);
    const send = (message: JsonRpcMessage) => writer.write(serialize(message));
    const id = `socket-${++connectionCounter}`;
    const transport = { deliver: (message: JsonRpcMessage) => (send(message), true) };
    const session: McpSession =
      target === '*'
        ? new AggregateSession(id, transport, clock, gateway, version)
        : new ServerSession(id, transport, clock, gateway, target);
    this.open++;
    let pending = 0;
    let clientDone = false;
    const finishIfIdle = () => {
      if (clientDone && pending === 0) socket.end();
    };
    const framer = new LineFramer({
      maxMessageBytes: this.options.maxMessageBytes ?? 16 * 1024 * 1024,
      onLine: (line) => {
        const parsed = parseLine(line);
        if (parsed.kind === 'invalid') return send(errorReply(parsed.id, parsed.error));
        pending++;
        const started = parsed.kind === 'request' && this.options.onRequest ? process.hrtime.bigint() : 0n;
        session
          .handle(parsed.message)
          .then(
            (reply) => {
              if (reply) send(reply);
              if (started !== 0n && parsed.kind === 'request') {
                const seconds = Number(process.hrtime.bigint() - started) / 1e9;
                const server = target === '*' ? 'aggregate' : target;
                this.options.onRequest!(server, parsed.method, reply?.error ? 'error' : 'ok', seconds);
              }
            },
            (err: unknown) => {
              log(
                `${target}: ${parsed.kind === 'request' ? parsed.method : 'message'} failed inside the engine: ${String(err)}`,
              );
              if (parsed.kind === 'request')
                send(errorReply(parsed.id, { code: -32603, message: `Internal error: ${String(err)}` }));
            },
          )
          .finally(() => {
            pending--;
            finishIfIdle();
          });
      },
      onOversize: (info) => {
        const requestId = readEnvelopeId(info.head.toString('utf8'), info.tail.toString('utf8'));
        send(errorReply(requestId, engineError('MESSAGE_TOO_LARGE', { detail: `${info.bytes} bytes` })));
      },
    });
    socket.on('data', (chunk: Buffer) => framer.push(chunk));
    socket.on('end', () => {
      framer.end();
      clientDone = true;
      finishIfIdle();
    });
    socket.on('close', () => {
      this.open--;
      session.close();
    });
    if (rest.length > 0) framer.push(rest);
  }
}
