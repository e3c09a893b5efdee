import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../flow/clock.js';
import { ServerActor } from '../actor/server-actor.js';
import { ProcessLink } from '../actor/process-link.js';
import { DEFAULT_RESTART_POLICY } from '../actor/backoff.js';
import { NodeProcessSpawner } from '../process/process-runner.js';
import { EngineErrors } from '../../shared/errors.js';
import type { JsonRpcMessage } from '../jsonrpc/messages.js';
import { StdioUpstream } from './stdio-upstream.js';
import { UpstreamError } from './upstream-error.js';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const FIXTURE = path.join(REPO, 'test/fixtures/echo-server.mjs');

const actors: ServerActor[] = [];
const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(actors.splice(0).map((a) => a.stop()));
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function connect(args: string[], env: Record<string, string> = {}, drainTimeoutMs = 2000) {
  const upstream = new StdioUpstream({
    server: 'fixture',
    clock: systemClock,
    maxMessageBytes: 16 * 1024 * 1024,
    requestTimeoutMs: 10_000,
    drainTimeoutMs,
    clientInfo: { name: 'switchboard-test', version: '0' },
    log: () => {},
    onStderr: () => {},
  });
  const actor = new ServerActor({
    name: 'fixture',
    link: new ProcessLink({
      spec: { command: process.execPath, args, env },
      spawner: new NodeProcessSpawner(),
      connection: upstream,
      shutdownTimeoutMs: 2000,
    }),
    startupTimeoutMs: 15_000,
    policy: { ...DEFAULT_RESTART_POLICY, baseDelayMs: 50 },
  });
  actors.push(actor);
  return { upstream, actor };
}

/** The fixture's version file (FIXTURE_VERSION_FILE), in a folder removed after the test. */
function makeVersionFile(version: string): string {
  mkdirSync(path.join(REPO, '.tmp-test'), { recursive: true });
  const dir = mkdtempSync(path.join(REPO, '.tmp-test', 'upstream-'));
  dirs.push(dir);
  const file = path.join(dir, 'version.txt');
  writeFileSync(file, version);
  return file;
}

const text = (response: JsonRpcMessage) =>
  ((response.result as { content?: { text?: string }[] })?.content ?? []).map((c) => c.text).join('');

describe('StdioUpstream (shared mode) with real servers', () => {
  it('initializes the server itself, lists what it offers and carries many requests at once', async () => {
    const { upstream, actor } = connect([FIXTURE]);
    await actor.start();
    expect(actor.state).toBe('ready');
    expect(upstream.info?.serverInfo.name).toBe('echo-fixture');
    expect((upstream.lists.tools as { name: string }[]).map((t) => t.name)).toContain('echo');
    expect(upstream.lists.prompts).toHaveLength(1);
    const replies = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        upstream.request('tools/call', { name: 'echo', arguments: { text: `m${i}` } }),
      ),
    );
    expect(replies.map(text)).toEqual(Array.from({ length: 50 }, (_, i) => `m${i}`));
  });

  it('re-lists after a restart and reports exactly the lists that changed', async () => {
    const versionFile = makeVersionFile('one');
    const { upstream, actor } = connect([FIXTURE], { FIXTURE_VERSION_FILE: versionFile });
    await actor.start();
    const changes: string[][] = [];
    upstream.on('listsChanged', (kinds) => changes.push(kinds));
    writeFileSync(versionFile, 'two');
    await actor.restart({ kind: 'file', paths: [versionFile] });
    expect(upstream.info?.serverInfo.version).toBe('two');
    expect(changes).toEqual([['tools']]);
  });

  it('fails the requests a crash interrupts with server_exited, then serves again', async () => {
    const { upstream, actor } = connect([FIXTURE]);
    await actor.start();
    const crash = upstream.request('tools/call', { name: 'crash', arguments: { code: 4 } });
    await expect(crash).rejects.toBeInstanceOf(UpstreamError);
    await crash.catch((err: UpstreamError) => {
      expect(err.error.code).toBe(EngineErrors.SERVER_EXITED.code);
      expect(err.error.message).toMatch(/exit code 4/);
    });
    const deadline = Date.now() + 10_000;
    while (actor.state !== 'ready' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(text(await upstream.request('tools/call', { name: 'echo', arguments: { text: 'back' } }))).toBe(
      'back',
    );
  });

  it('holds requests sent during a restart and answers them from the new process, in order', async () => {
    const versionFile = makeVersionFile('old');
    const { upstream, actor } = connect([FIXTURE], { FIXTURE_VERSION_FILE: versionFile });
    await actor.start();
    const inFlight = upstream.request('tools/call', { name: 'slow', arguments: { ms: 300 } });
    writeFileSync(versionFile, 'new');
    const restarting = actor.restart({ kind: 'file', paths: [versionFile] });
    await new Promise<void>((resolve) =>
      actor.on('event', (e) => e.type === 'server.state' && e.to === 'restarting' && resolve()),
    );
    const during = Array.from({ length: 5 }, () =>
      upstream.request('tools/call', { name: 'version', arguments: {} }),
    );
    expect(upstream.bufferDepth).toBe(5);
    await restarting;
    // The request in flight finished on the old process (drain); the held ones went to the new one.
    expect((await inFlight).error).toBeUndefined();
    const versions = (await Promise.all(during)).map(
      (r) => (JSON.parse(text(r)) as { version: string }).version,
    );
    expect(versions).toEqual(Array(5).fill('new'));
    expect(upstream.bufferDepth).toBe(0);
  });

  it('drains only what was sent: requests held for the restart do not make it wait out the drain timeout', async () => {
    const versionFile = makeVersionFile('old');
    // A drain timeout far past the test's own: a drain that counted held requests would never end here.
    const { upstream, actor } = connect([FIXTURE], { FIXTURE_VERSION_FILE: versionFile }, 3_600_000);
    await actor.start();
    const inFlight = upstream.request('tools/call', { name: 'slow', arguments: { ms: 300 } });
    const held: Promise<JsonRpcMessage>[] = [];
    const depths: number[] = [];
    actor.on('event', (e) => {
      if (e.type !== 'server.state' || e.to !== 'restarting') return;
      // Once the drain has begun (right after this event): the request is held for the new process.
      setImmediate(() => {
        held.push(upstream.request('tools/call', { name: 'version', arguments: {} }));
        depths.push(upstream.bufferDepth);
      });
    });
    writeFileSync(versionFile, 'new');
    await actor.restart({ kind: 'file', paths: [versionFile] });
    expect(depths).toEqual([1]);
    expect((await inFlight).error).toBeUndefined();
    expect((JSON.parse(text(await held[0]!)) as { version: string }).version).toBe('new');
  });

  it('tells requests to a server that gave up why, as run does: crash_loop', async () => {
    const { upstream, actor } = connect([FIXTURE], { FIXTURE_CRASH_ON_START: '1' });
    await actor.start();
    const deadline = Date.now() + 20_000;
    while (actor.state !== 'failed' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(actor.state).toBe('failed');
    await expect(upstream.request('tools/call', { name: 'echo', arguments: {} })).rejects.toMatchObject({
      error: {
        code: EngineErrors.CRASH_LOOP.code,
        data: { reason: 'crash_loop', detail: expect.stringMatching(/crash loop/) },
      },
    });
  });

  it('holds requests through crash recovery, and refuses them once the server is stopped', async () => {
    const { upstream, actor } = connect([FIXTURE]);
    await actor.start();
    await upstream.request('tools/call', { name: 'crash', arguments: { code: 3 } }).catch(() => undefined);
    const afterCrash = upstream.request('tools/call', { name: 'echo', arguments: { text: 'survived' } });
    expect(text(await afterCrash)).toBe('survived');
    await actor.stop();
    await expect(upstream.request('tools/call', { name: 'echo', arguments: {} })).rejects.toMatchObject({
      error: { code: EngineErrors.SERVER_UNAVAILABLE.code },
    });
  });

  it('gives up on a request after its timeout with request_timeout, and tells the server', async () => {
    const { upstream, actor } = connect([FIXTURE]);
    await actor.start();
    const slow = upstream.request(
      'tools/call',
      { name: 'slow', arguments: { ms: 3000 } },
      { timeoutMs: 200 },
    );
    await expect(slow).rejects.toMatchObject({ error: { code: EngineErrors.REQUEST_TIMEOUT.code } });
    expect(upstream.inFlight).toBe(0);
    expect(
      text(await upstream.request('tools/call', { name: 'echo', arguments: { text: 'still fine' } })),
    ).toBe('still fine');
  });

  it('passes a server→client request (sampling) out and the answer back', async () => {
    const require = createRequire(import.meta.url);
    const pkg = require.resolve('@modelcontextprotocol/server-everything/package.json');
    const bin = path.join(
      path.dirname(pkg),
      (require(pkg) as { bin: Record<string, string> }).bin['mcp-server-everything']!,
    );
    const { upstream, actor } = connect([bin, 'stdio']);
    upstream.on('serverRequest', (message) => {
      expect(message.method).toBe('sampling/createMessage');
      upstream.reply(message.id!, {
        result: {
          role: 'assistant',
          content: { type: 'text', text: 'sampled!' },
          model: 'test',
          stopReason: 'endTurn',
        },
      });
    });
    await actor.start();
    const deadline = Date.now() + 5000;
    const hasTool = () =>
      (upstream.lists.tools as { name: string }[] | undefined)?.some(
        (t) => t.name === 'trigger-sampling-request',
      );
    while (!hasTool() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    const response = await upstream.request('tools/call', {
      name: 'trigger-sampling-request',
      arguments: { prompt: 'hi', maxTokens: 10 },
    });
    expect(JSON.stringify(response.result)).toContain('sampled!');
  });
});
