import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { Engine } from '../../electron/engine/engine.js';
import type { Extension } from '../../electron/engine/extensions/extension.js';
import { ECHO_FIXTURE, engineOptions } from '../helpers/echo-home.js';
import type { ApiInput, ApiName, ApiOutput } from '../../electron/shared/api.js';
import type { EngineEvent } from '../../electron/shared/events.js';
import { REPO } from '../gateway/gateway-harness.js';

export { ECHO_FIXTURE };

export const echoServer = (env: Record<string, string> = {}) => ({
  command: process.execPath,
  args: [ECHO_FIXTURE],
  env,
});

/** A whole engine in this process (HTTP, API, extensions) on a fresh home, with SDK clients. */
export class ExtensionsEngine {
  readonly home: string;
  readonly events: EngineEvent[] = [];
  readonly logs: string[] = [];
  engine!: Engine;
  private readonly clients: Client[] = [];

  constructor(config: Record<string, unknown>) {
    mkdirSync(path.join(REPO, '.tmp-test'), { recursive: true });
    this.home = mkdtempSync(path.join(REPO, '.tmp-test', 'extensions-'));
    writeFileSync(this.configFile, JSON.stringify(config, null, 2));
  }

  get configFile(): string {
    return path.join(this.home, 'config.json');
  }

  /** Starts the engine with these built-ins (default: Switchboard's own) and waits for ready servers. */
  async start(extensions?: () => Extension[]): Promise<this> {
    this.engine = new Engine({
      ...engineOptions(this.home),
      log: (line) => this.logs.push(line),
      onEvent: (event) => this.events.push(event),
      ...(extensions ? { extensions } : {}),
    });
    await this.engine.start();
    await this.until(
      () => this.engine.supervisor.snapshot().servers.every((s) => s.state === 'ready'),
      'ready',
    );
    return this;
  }

  api<N extends ApiName>(name: N, input: ApiInput<N>): Promise<ApiOutput<N>> {
    return this.engine.dispatcher.invoke(name, input) as Promise<ApiOutput<N>>;
  }

  /** An SDK client on `/mcp/NAME`, or on the aggregated `/mcp`. */
  async client(server?: string): Promise<Client> {
    const client = new Client({ name: 'extension-test', version: '1' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(server ? `/mcp/${server}` : '/mcp', this.engine.url)),
    );
    this.clients.push(client);
    return client;
  }

  readConfig(): { extensions?: Record<string, { enabled?: boolean; config?: unknown; servers?: string[] }> } {
    return JSON.parse(readFileSync(this.configFile, 'utf8')) as ReturnType<ExtensionsEngine['readConfig']>;
  }

  /** Polls (every 20 ms, at most timeoutMs) until the condition holds. */
  async until(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await condition())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  async stop(): Promise<void> {
    await Promise.all(this.clients.splice(0).map((c) => c.close().catch(() => undefined)));
    await this.engine?.stop();
    rmSync(this.home, { recursive: true, force: true });
  }
}

/** Every text item of a tool result, joined by blank lines. */
export function allText(result: unknown): string {
  const content = (result as { content?: { type: string; text?: string }[] }).content ?? [];
  return content.map((c) => c.text ?? '').join('\n\n');
}

/** The text of a tool result's first content item. */
export function firstText(result: unknown): string {
  const content = (result as { content?: { type: string; text?: string }[] }).content ?? [];
  return content[0]?.text ?? '';
}
