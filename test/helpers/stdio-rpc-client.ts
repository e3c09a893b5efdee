import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import type { JsonRpcId, JsonRpcMessage } from '../../electron/engine/jsonrpc/messages.js';

export type { JsonRpcId, JsonRpcMessage };

export interface JsonRpcResponse {
  jsonrpc: '2.0';
  id: JsonRpcId | null;
  result?: unknown;
  error?: { code: number; message: string; data?: unknown };
}

interface Pending {
  resolve: (response: JsonRpcResponse) => void;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout;
}

export interface ExitResult {
  code: number | null;
  signal: NodeJS.Signals | null;
}

const NEWLINE = 0x0a;

/**
 * A lean newline-delimited JSON-RPC client over a child's stdio, for integration tests and the
 * benchmark: one JSON.parse per line, a Map of pending ids, nothing else on the hot path.
 */
export class StdioRpcClient {
  readonly notifications: JsonRpcMessage[] = [];
  /** Requests the server sent to us (sampling, roots, ...). */
  readonly serverRequests: JsonRpcMessage[] = [];
  /** Replies whose id matched no pending request (e.g. errors for raw lines we sent). */
  readonly unmatchedResponses: JsonRpcResponse[] = [];
  readonly stderrLines: string[] = [];
  /** Answers server→client requests; without one they stay unanswered. */
  onServerRequest: ((message: JsonRpcMessage) => unknown) | undefined;

  private readonly pending = new Map<JsonRpcId, Pending>();
  private readonly listeners = new Set<() => void>();
  private nextId = 1;
  private parts: Buffer[] = [];
  private stderrRest = '';
  private exitResult: ExitResult | undefined;
  private readonly exitPromise: Promise<ExitResult>;

  private constructor(private readonly child: ChildProcessWithoutNullStreams) {
    child.stdout.on('data', (chunk: Buffer) => this.onStdout(chunk));
    child.stderr.on('data', (chunk: Buffer) => this.onStderr(chunk));
    child.stdin.on('error', () => {}); // the child may be gone; pending requests learn it on exit
    this.exitPromise = new Promise((resolve) => {
      child.on('exit', (code, signal) => {
        this.exitResult = { code, signal };
        for (const [, p] of this.pending) {
          clearTimeout(p.timer);
          p.reject(new Error(`the process exited (code ${code}, signal ${signal}) before replying`));
        }
        this.pending.clear();
        this.changed();
        resolve(this.exitResult);
      });
    });
  }

  static spawn(
    command: string,
    args: string[],
    opts: { cwd?: string; env?: Record<string, string | undefined> } = {},
  ): StdioRpcClient {
    const env = { ...process.env, ...opts.env };
    const child = spawn(command, args, { cwd: opts.cwd, env, stdio: ['pipe', 'pipe', 'pipe'] });
    return new StdioRpcClient(child);
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  request(method: string, params?: unknown, opts: { timeoutMs?: number } = {}): Promise<JsonRpcResponse> {
    const id = this.nextId++;
    const timeoutMs = opts.timeoutMs ?? 30_000;
    return new Promise((resolve, reject) => {
      if (this.exitResult) return reject(new Error('the process has exited'));
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`${method} (id ${id}): no reply within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, { resolve, reject, timer });
      this.write({ jsonrpc: '2.0', id, method, ...(params === undefined ? {} : { params }) });
    });
  }

  notify(method: string, params?: unknown): void {
    this.write({ jsonrpc: '2.0', method, ...(params === undefined ? {} : { params }) });
  }

  sendRaw(text: string): void {
    this.child.stdin.write(text);
  }

  /** `capabilities`: what this client declares (e.g. `{ sampling: {} }` to be sent sampling requests). */
  async initialize(
    capabilities: Record<string, unknown> = {},
    opts?: { timeoutMs?: number },
  ): Promise<unknown> {
    const params = {
      protocolVersion: '2025-06-18',
      capabilities,
      clientInfo: { name: 'switchboard-test-client', version: '1.0.0' },
    };
    const response = await this.request('initialize', params, opts);
    if (response.error) throw new Error(`initialize failed: ${response.error.message}`);
    this.notify('notifications/initialized');
    return response.result;
  }

  callTool(
    name: string,
    args: Record<string, unknown>,
    opts?: { timeoutMs?: number },
  ): Promise<JsonRpcResponse> {
    return this.request('tools/call', { name, arguments: args }, opts);
  }

  async waitForNotification(method: string, timeoutMs: number): Promise<JsonRpcMessage> {
    await this.waitFor(
      () => this.notifications.some((n) => n.method === method),
      timeoutMs,
      `notification ${method}`,
    );
    return this.notifications.find((n) => n.method === method)!;
  }

  /** Resolves with the first stderr line matching `pattern`. */
  async waitForStderr(pattern: RegExp, timeoutMs: number): Promise<string> {
    await this.waitFor(() => this.stderrLines.some((l) => pattern.test(l)), timeoutMs, `stderr ${pattern}`);
    return this.stderrLines.find((l) => pattern.test(l))!;
  }

  /** Ends stdin and waits for the exit; SIGKILL after `timeoutMs`. */
  async close(timeoutMs = 5000): Promise<ExitResult> {
    if (this.exitResult) return this.exitResult;
    this.child.stdin.end();
    return this.waitForExit(timeoutMs);
  }

  /** Waits for the exit without closing stdin (e.g. after a signal); SIGKILL after `timeoutMs`. */
  async waitForExit(timeoutMs = 5000): Promise<ExitResult> {
    if (this.exitResult) return this.exitResult;
    const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
    const result = await this.exitPromise;
    clearTimeout(timer);
    return result;
  }

  kill(signal: NodeJS.Signals = 'SIGTERM'): void {
    if (!this.exitResult) this.child.kill(signal);
  }

  private write(message: JsonRpcMessage): void {
    this.child.stdin.write(`${JSON.stringify(message)}\n`);
  }

  private onStdout(chunk: Buffer): void {
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf(NEWLINE, start);
      if (nl === -1) break;
      this.parts.push(chunk.subarray(start, nl));
      const line = this.parts.length === 1 ? this.parts[0]! : Buffer.concat(this.parts);
      this.parts = [];
      if (line.length > 0) this.onLine(line.toString('utf8'));
      start = nl + 1;
    }
    if (start < chunk.length) this.parts.push(chunk.subarray(start));
  }

  private onLine(line: string): void {
    let message: JsonRpcMessage;
    try {
      message = JSON.parse(line) as JsonRpcMessage;
    } catch {
      this.stderrLines.push(`[client] non-JSON on stdout: ${line.slice(0, 200)}`);
      this.changed();
      return;
    }
    if (message.method !== undefined) {
      if (message.id !== undefined && message.id !== null) this.answerServerRequest(message);
      else this.notifications.push(message);
    } else {
      const pending =
        message.id === undefined || message.id === null ? undefined : this.pending.get(message.id);
      if (pending) {
        this.pending.delete(message.id!);
        clearTimeout(pending.timer);
        pending.resolve(message as JsonRpcResponse);
      } else {
        this.unmatchedResponses.push(message as JsonRpcResponse);
      }
    }
    this.changed();
  }

  private answerServerRequest(message: JsonRpcMessage): void {
    this.serverRequests.push(message);
    if (!this.onServerRequest) return;
    const result = this.onServerRequest(message);
    this.write({ jsonrpc: '2.0', id: message.id, result } as JsonRpcMessage);
  }

  private onStderr(chunk: Buffer): void {
    const text = this.stderrRest + chunk.toString('utf8');
    const lines = text.split('\n');
    this.stderrRest = lines.pop() ?? '';
    this.stderrLines.push(...lines);
    this.changed();
  }

  private changed(): void {
    for (const listener of [...this.listeners]) listener();
  }

  private waitFor(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
    if (check()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const listener = () => {
        if (!check()) return;
        cleanup();
        resolve();
      };
      const timer = setTimeout(() => {
        cleanup();
        const tail = this.stderrLines.slice(-10).join('\n');
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}; stderr tail:\n${tail}`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.listeners.delete(listener);
      };
      this.listeners.add(listener);
    });
  }
}
