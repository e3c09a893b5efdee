// The test client, run directly against our fixture server and against the reference
// `@modelcontextprotocol/server-everything`, with no Switchboard in between.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { StdioRpcClient, type JsonRpcResponse } from './stdio-rpc-client.js';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const ECHO_SERVER = path.join(REPO, 'test/fixtures/echo-server.mjs');

/** The `bin` of server-everything, found through its package.json rather than a hard-coded path. */
function everythingBin(): string {
  const require = createRequire(import.meta.url);
  const pkgJson = require.resolve('@modelcontextprotocol/server-everything/package.json');
  const pkg = JSON.parse(readFileSync(pkgJson, 'utf8')) as { bin: string | Record<string, string> };
  const bin = typeof pkg.bin === 'string' ? pkg.bin : Object.values(pkg.bin)[0]!;
  return path.join(path.dirname(pkgJson), bin);
}

// What a test waits for (a line on stderr, a notification) must come; how soon depends on how loaded
// the machine is, so no wait is a claim about speed: each is long, and vitest's test timeout bounds all.
const SETTLE_MS = 20_000;

const clients: StdioRpcClient[] = [];
function start(command: string, args: string[], env: Record<string, string | undefined> = {}) {
  const client = StdioRpcClient.spawn(command, args, { cwd: REPO, env });
  clients.push(client);
  return client;
}
const startEcho = (env: Record<string, string | undefined> = {}) =>
  start(process.execPath, [ECHO_SERVER], { FIXTURE_VERSION_FILE: undefined, ...env });

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function textOf(response: JsonRpcResponse): string {
  const content = (response.result as { content?: { text?: string }[] } | undefined)?.content;
  return content?.map((c) => c.text ?? '').join('') ?? '';
}

afterEach(async () => {
  // close() ends stdin and SIGKILLs after the timeout, so nothing outlives a test.
  const all = clients.splice(0);
  await Promise.all(all.map((c) => c.close(2000)));
  for (const c of all) expect(isAlive(c.pid)).toBe(false);
});

describe('StdioRpcClient against echo-server.mjs', () => {
  let dir: string;
  let versionFile: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'rpc-client-'));
    versionFile = path.join(dir, 'version.txt');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('initializes and lists tools, prompts and resources', async () => {
    const client = startEcho();
    const init = (await client.initialize()) as {
      protocolVersion: string;
      serverInfo: { name: string; version: string };
    };
    expect(init.protocolVersion).toBe('2025-06-18');
    expect(init.serverInfo).toEqual({ name: 'echo-fixture', version: 'v0' });

    const tools = await client.request('tools/list');
    const names = (tools.result as { tools: { name: string }[] }).tools.map((t) => t.name);
    expect(names.sort()).toEqual(['big', 'crash', 'echo', 'freeze', 'slow', 'stderr', 'v_v0', 'version']);
    const prompts = await client.request('prompts/list');
    expect((prompts.result as { prompts: { name: string }[] }).prompts.map((p) => p.name)).toEqual(['greet']);
    const resources = await client.request('resources/list');
    expect((resources.result as { resources: { uri: string }[] }).resources.map((r) => r.uri)).toEqual([
      'fixture://about',
    ]);
  });

  it('echoes, answers concurrent calls by id, and passes through errors as replies', async () => {
    const client = startEcho();
    await client.initialize();
    expect(textOf(await client.callTool('echo', { text: 'hello ✓' }))).toBe('hello ✓');

    const replies = await Promise.all(
      Array.from({ length: 50 }, (_, i) => client.callTool('echo', { text: `n${i}` })),
    );
    expect(replies.map(textOf)).toEqual(Array.from({ length: 50 }, (_, i) => `n${i}`));

    const unknown = await client.request('no/such/method');
    expect(unknown.error?.code).toBe(-32601);
  });

  it('receives a 1 MiB reply split over many chunks intact', async () => {
    const client = startEcho();
    await client.initialize();
    const reply = await client.callTool('big', { bytes: 1024 * 1024 });
    const text = textOf(reply);
    expect(text.length).toBe(1024 * 1024);
    expect(/^x+$/.test(text)).toBe(true);
    // The line splitter resumes cleanly after a big line.
    expect(textOf(await client.callTool('echo', { text: 'after' }))).toBe('after');
  });

  it('rejects pending requests when the server crashes, with its exit code', async () => {
    const client = startEcho();
    await client.initialize();
    const slow = client.callTool('slow', { ms: 10_000 });
    const crash = client.callTool('crash', { code: 7 });
    await expect(slow).rejects.toThrow(/exited \(code 7/);
    await expect(crash).rejects.toThrow(/exited/);
    await expect(client.request('tools/list')).rejects.toThrow(/has exited/);
    expect(await client.close()).toEqual({ code: 7, signal: null });
  });

  it('rejects a request with no reply after its timeout', async () => {
    const client = startEcho();
    await client.initialize();
    await expect(client.callTool('slow', { ms: 500 }, { timeoutMs: 100 })).rejects.toThrow(
      /no reply within 100 ms/,
    );
  });

  it('reads the version file once at start', async () => {
    writeFileSync(versionFile, ' 1.2 beta\n');
    const client = startEcho({ FIXTURE_VERSION_FILE: versionFile });
    const init = (await client.initialize()) as { serverInfo: { version: string } };
    expect(init.serverInfo.version).toBe('1.2 beta');
    const version = JSON.parse(textOf(await client.callTool('version', {}))) as {
      version: string;
      pid: number;
    };
    expect(version).toEqual({ version: '1.2 beta', pid: client.pid });
    const tools = await client.request('tools/list');
    expect((tools.result as { tools: { name: string }[] }).tools.map((t) => t.name)).toContain('v_1_2_beta');

    writeFileSync(versionFile, 'v2');
    const again = JSON.parse(textOf(await client.callTool('version', {}))) as { version: string };
    expect(again.version).toBe('1.2 beta');
  });

  it('collects stderr lines and matches them', async () => {
    const client = startEcho();
    await client.initialize();
    expect(textOf(await client.callTool('stderr', { text: 'marker 42' }))).toBe('ok');
    expect(await client.waitForStderr(/marker \d+/, SETTLE_MS)).toBe('marker 42');
    await expect(client.waitForStderr(/never printed/, 50)).rejects.toThrow(/timed out after 50 ms/);
  });

  it('sends raw text as-is and keeps replies to unknown ids', async () => {
    const client = startEcho();
    await client.initialize();
    client.sendRaw('{"jsonrpc":"2.0","id":"raw-1","method":"tools/call",');
    client.sendRaw('"params":{"name":"echo","arguments":{"text":"raw"}}}\n');
    // A later request is answered after the raw one, so the raw reply is in by then.
    await client.callTool('echo', { text: 'sync' });
    expect(client.unmatchedResponses).toHaveLength(1);
    expect(client.unmatchedResponses[0]!.id).toBe('raw-1');
    expect(textOf(client.unmatchedResponses[0]!)).toBe('raw');
  });

  it('honours FIXTURE_CRASH_ON_START and FIXTURE_START_DELAY_MS', async () => {
    const crashing = startEcho({ FIXTURE_CRASH_ON_START: '1' });
    expect(await crashing.close()).toEqual({ code: 3, signal: null });

    const t0 = performance.now();
    const delayed = startEcho({ FIXTURE_START_DELAY_MS: '300' });
    await delayed.initialize();
    expect(performance.now() - t0).toBeGreaterThanOrEqual(300);
  });

  it('honours FIXTURE_IGNORE_SIGTERM: close() falls back to SIGKILL', async () => {
    const client = startEcho({ FIXTURE_IGNORE_SIGTERM: '1' });
    await client.initialize();
    client.kill('SIGTERM');
    expect(textOf(await client.callTool('echo', { text: 'still here' }))).toBe('still here');
    // A server with a pending timer would not exit on stdin end; force the fallback with one.
    void client.callTool('slow', { ms: 10_000 }).catch(() => {});
    expect(await client.close(300)).toEqual({ code: null, signal: 'SIGKILL' });
  });

  it('honours FIXTURE_GRANDCHILD: reports the grandchild pid on stderr', async () => {
    const client = startEcho({ FIXTURE_GRANDCHILD: '1' });
    const line = await client.waitForStderr(/^grandchild \d+$/, SETTLE_MS);
    const grandchild = Number(line.split(' ')[1]);
    try {
      expect(isAlive(grandchild)).toBe(true);
      await client.initialize();
    } finally {
      process.kill(grandchild, 'SIGKILL');
    }
  });
});

describe('StdioRpcClient against @modelcontextprotocol/server-everything', () => {
  const startEverything = () => start(process.execPath, [everythingBin(), 'stdio']);

  it('initializes, lists tools and calls echo', async () => {
    const client = startEverything();
    const init = (await client.initialize()) as { serverInfo: { name: string } };
    expect(init.serverInfo.name).toBe('mcp-servers/everything');
    await client.waitForStderr(/Starting default \(STDIO\) server/, SETTLE_MS);

    const tools = await client.request('tools/list');
    const echo = (
      tools.result as { tools: { name: string; inputSchema: { required?: string[] } }[] }
    ).tools.find((t) => t.name === 'echo');
    expect(echo?.inputSchema.required).toEqual(['message']);
    expect(textOf(await client.callTool('echo', { message: 'hi there' }))).toBe('Echo: hi there');
    // It registers client-dependent tools after `initialized` and announces it.
    await client.waitForNotification('notifications/tools/list_changed', SETTLE_MS);
  });

  it('answers server-to-client requests with the handler', async () => {
    const client = startEverything();
    client.onServerRequest = (message) => {
      expect(message.method).toBe('sampling/createMessage');
      return { role: 'assistant', content: { type: 'text', text: 'sampled!' }, model: 'test-model' };
    };
    await client.initialize({ sampling: {} });
    // The sampling tool is registered only after `initialized`, for clients that declare sampling.
    await client.waitForNotification('notifications/tools/list_changed', SETTLE_MS);
    const reply = await client.callTool('trigger-sampling-request', { prompt: 'hello', maxTokens: 5 });
    expect(reply.error).toBeUndefined();
    expect(textOf(reply)).toContain('sampled!');
    expect(client.serverRequests).toHaveLength(1);
  });
});
