import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import {
  CreateMessageRequestSchema,
  CreateTaskResultSchema,
  ElicitRequestSchema,
  GetTaskResultSchema,
  ListRootsRequestSchema,
  ListTasksResultSchema,
  LoggingMessageNotificationSchema,
  ResourceUpdatedNotificationSchema,
  type Tool,
} from '@modelcontextprotocol/sdk/types.js';
import { InProcessEngine, npmServerBin, REPO } from './gateway-harness.js';
import { waitUntil } from '../integration/run-harness.js';
import { freePort } from '../helpers/free-port.js';

/**
 * Three clients at once on server-everything, on every surface and straight against the server:
 * each sees what it would see directly, and nothing one client asks, sets or creates reaches
 * another (issue "Many clients on one server, and nothing leaks between them").
 */

const EVERYTHING = npmServerBin('@modelcontextprotocol/server-everything', 'mcp-server-everything');
const BIN = path.join(REPO, 'bin/switchboard.mjs');
const LOOPBACK_ONLY = path.join(REPO, 'test/fixtures/loopback-only.mjs');
const CAPABLE = { sampling: {}, elicitation: { form: {}, url: {} }, roots: { listChanged: true } };
/** The simulated logging's own messages ("Debug-level message", "Alert level-message", ...). */
const SIMULATED_LOG = /level[- ]message/;

let engine: InProcessEngine;
let webServer: ChildProcess;
let webUrl = '';

/** A client and everything it was asked or told. */
class Person {
  readonly client: Client;
  readonly sampled: string[] = [];
  readonly elicited: string[] = [];
  readonly logs: string[] = [];
  readonly updates: string[] = [];

  constructor(
    readonly label: string,
    capabilities: Record<string, unknown>,
    private readonly prefix: string,
  ) {
    this.client = new Client({ name: `person-${label}`, version: '1' }, { capabilities });
    if ('sampling' in capabilities)
      this.client.setRequestHandler(CreateMessageRequestSchema, (request) => {
        const content = request.params.messages.at(-1)?.content as { text?: string } | undefined;
        this.sampled.push(content?.text ?? '');
        return {
          model: `model-${label}`,
          role: 'assistant',
          content: { type: 'text', text: `sampled by ${label}` },
        };
      });
    if ('elicitation' in capabilities)
      this.client.setRequestHandler(ElicitRequestSchema, (request) => {
        this.elicited.push(request.params.mode ?? 'form');
        return { action: 'decline' };
      });
    if ('roots' in capabilities)
      this.client.setRequestHandler(ListRootsRequestSchema, () => ({
        roots: [{ uri: `file:///root-of-${label}`, name: label }],
      }));
    this.client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => {
      this.logs.push(String(n.params.data));
    });
    this.client.setNotificationHandler(ResourceUpdatedNotificationSchema, (n) => {
      this.updates.push(n.params.uri);
    });
  }

  async call(tool: string, args: Record<string, unknown> = {}, signal?: AbortSignal) {
    const result = await this.client.callTool({ name: this.prefix + tool, arguments: args }, undefined, {
      ...(signal ? { signal } : {}),
      onprogress: () => undefined,
    });
    return (result.content as { text?: string }[]).map((c) => c.text ?? '').join('');
  }

  /** The server's tools as this client is shown them, with the surface's prefix taken off. */
  async tools(): Promise<Tool[]> {
    const { tools } = await this.client.listTools();
    return tools
      .filter((t) => t.name.startsWith(this.prefix))
      .map((t) => ({ ...t, name: t.name.slice(this.prefix.length) }));
  }

  simulatedLogs(): string[] {
    return this.logs.filter((line) => SIMULATED_LOG.test(line));
  }
}

interface Surface {
  name: string;
  /** Tool names on the aggregated endpoint are `server__tool`. */
  prefix: string;
  transport(): Transport;
}

const http = (route: string) => new StreamableHTTPClientTransport(new URL(route, engine.url));
const SURFACES: Surface[] = [
  {
    name: 'straight against the server',
    prefix: '',
    transport: () =>
      new StdioClientTransport({ command: process.execPath, args: [EVERYTHING, 'stdio'], stderr: 'ignore' }),
  },
  { name: '/mcp/NAME over a stdio upstream', prefix: '', transport: () => http('/mcp/everything') },
  { name: '/mcp/NAME over an http upstream', prefix: '', transport: () => http('/mcp/web') },
  { name: 'the aggregated /mcp', prefix: 'everything__', transport: () => http('/mcp') },
  {
    name: 'switchboard connect NAME',
    prefix: '',
    transport: () =>
      new StdioClientTransport({
        command: process.execPath,
        args: [BIN, 'connect', 'everything'],
        env: { ...process.env, SWITCHBOARD_HOME: engine.dir } as Record<string, string>,
        stderr: 'ignore',
      }),
  },
];

/** What a client with these capabilities is shown by server-everything itself. */
async function toolsDirectly(capabilities: Record<string, unknown>): Promise<Tool[]> {
  const person = new Person('direct', capabilities, '');
  await person.client.connect(SURFACES[0]!.transport());
  const tools = await person.tools();
  await person.client.close();
  return tools;
}

let directCapable: Tool[];
let directPlain: Tool[];

beforeAll(async () => {
  const port = await freePort();
  webServer = spawn(process.execPath, ['--import', LOOPBACK_ONLY, EVERYTHING, 'streamableHttp'], {
    env: { ...process.env, PORT: String(port) },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  webServer.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  await waitUntil(() => stderr.includes('listening'), 15_000, 'server-everything over http');
  webUrl = `http://127.0.0.1:${port}/mcp`;
  engine = new InProcessEngine({
    // Listed first: the aggregated endpoint finds a URI both offer at this one.
    everything: { command: process.execPath, args: [EVERYTHING, 'stdio'] },
    web: { type: 'http', url: webUrl },
  });
  await engine.start();
  await engine.until(
    () => engine.state('everything') === 'ready' && engine.state('web') === 'ready',
    'ready',
  );
  [directCapable, directPlain] = await Promise.all([toolsDirectly(CAPABLE), toolsDirectly({})]);
}, 60_000);

afterAll(async () => {
  await engine?.stop();
  webServer?.kill();
});

describe.each(SURFACES)('three clients at once, $name', (surface) => {
  let a: Person;
  let b: Person;
  let c: Person;

  beforeAll(async () => {
    a = new Person('A', CAPABLE, surface.prefix);
    b = new Person('B', CAPABLE, surface.prefix);
    c = new Person('C', {}, surface.prefix); // declares nothing a server could ask it
    await Promise.all([a, b, c].map((p) => p.client.connect(surface.transport())));
  }, 60_000);
  afterAll(() => Promise.all([a, b, c].map((p) => p?.client.close())));

  it('shows each client the tools the server shows it directly', async () => {
    expect(directCapable).not.toEqual(directPlain); // what makes one shared upstream wrong here
    expect(await a.tools()).toEqual(directCapable);
    expect(await c.tools()).toEqual(directPlain);
  });

  it("sends each client's sampling to that client, and a client without sampling to none", async () => {
    const [fromA, fromB] = await Promise.all([
      a.call('trigger-sampling-request', { prompt: 'asked by A' }),
      b.call('trigger-sampling-request', { prompt: 'asked by B' }),
    ]);
    expect(fromA).toContain('sampled by A');
    expect(fromB).toContain('sampled by B');
    expect(a.sampled).toEqual([expect.stringContaining('asked by A')]);
    expect(b.sampled).toEqual([expect.stringContaining('asked by B')]);
    await c.call('trigger-sampling-request', { prompt: 'asked by C' }).catch(() => undefined);
    expect([...a.sampled, ...b.sampled]).toHaveLength(2);
  });

  it('sends form and URL elicitation to the client whose call asked', async () => {
    await Promise.all([
      a.call('trigger-elicitation-request'),
      b.call('trigger-url-elicitation', { url: 'https://example.com/b' }),
    ]);
    expect(a.elicited).toEqual(['form']);
    expect(b.elicited).toEqual(['url']);
  });

  it('asks each client for its own roots', async () => {
    const [rootsA, rootsB] = await Promise.all([a.call('get-roots-list'), b.call('get-roots-list')]);
    expect(rootsA).toContain('root-of-A');
    expect(rootsA).not.toContain('root-of-B');
    expect(rootsB).toContain('root-of-B');
    expect(rootsB).not.toContain('root-of-A');
  });

  it("keeps each client's log level and log messages its own", async () => {
    await a.client.setLoggingLevel('debug');
    await b.client.setLoggingLevel('emergency'); // must not silence A
    await a.call('toggle-simulated-logging');
    await waitUntil(() => a.simulatedLogs().length > 0, 15_000, "A's simulated log message");
    await a.call('toggle-simulated-logging');
    expect(b.simulatedLogs()).toEqual([]);
    expect(c.simulatedLogs()).toEqual([]);
  });

  it('keeps resource subscriptions and a server-side toggle per client', async () => {
    const uri = (await a.client.listResources()).resources[0]!.uri;
    await b.call('toggle-subscriber-updates'); // on for B; on a shared server it would be off for A next
    await a.client.subscribeResource({ uri });
    await a.call('toggle-subscriber-updates');
    await waitUntil(() => a.updates.includes(uri), 15_000, `an update of ${uri} for A`);
    expect(b.updates).toEqual([]);
    expect(c.updates).toEqual([]);
    await Promise.all([a.call('toggle-subscriber-updates'), b.call('toggle-subscriber-updates')]);
  });

  it('keeps a task with the client that created it', async () => {
    const created = await a.client.request(
      {
        method: 'tools/call',
        params: {
          name: `${surface.prefix}simulate-research-query`,
          arguments: { topic: 'tides' },
          task: { ttl: 60_000 },
        },
      },
      CreateTaskResultSchema,
    );
    const taskId = created.task.taskId;
    const mine = await a.client.request({ method: 'tasks/get', params: { taskId } }, GetTaskResultSchema);
    expect(mine.taskId).toBe(taskId);
    await expect(
      b.client.request({ method: 'tasks/get', params: { taskId } }, GetTaskResultSchema),
    ).rejects.toThrow(/not found/i);
    const listedToB = await b.client.request({ method: 'tasks/list', params: {} }, ListTasksResultSchema);
    expect(listedToB.tasks.map((t) => t.taskId)).not.toContain(taskId);
    const listedToA = await a.client.request({ method: 'tasks/list', params: {} }, ListTasksResultSchema);
    expect(listedToA.tasks.map((t) => t.taskId)).toContain(taskId);
  });

  it("gives each client its own progress, and one client's cancellation leaves the other's call alone", async () => {
    const progressOf = (person: Person, args: Record<string, unknown>, signal?: AbortSignal) => {
      const seen: number[] = [];
      const call = person.client.callTool(
        { name: `${surface.prefix}trigger-long-running-operation`, arguments: args },
        undefined,
        { onprogress: (p) => seen.push(p.progress), ...(signal ? { signal } : {}) },
      );
      return { seen, call };
    };
    const stop = new AbortController();
    const long = progressOf(a, { duration: 30, steps: 30 }, stop.signal);
    const short = progressOf(b, { duration: 0.6, steps: 3 });
    await waitUntil(() => long.seen.length > 0, 15_000, "A's first progress");
    stop.abort();
    await expect(long.call).rejects.toThrow();
    const result = await short.call;
    // Its own progress, in order (the server may end before it reports the last step).
    expect(short.seen.length).toBeGreaterThan(0);
    expect(short.seen).toEqual([1, 2, 3].slice(0, short.seen.length));
    expect(JSON.stringify(result.content)).toContain('completed');
    expect(await a.call('echo', { message: 'still here' })).toContain('still here');
  });
});
