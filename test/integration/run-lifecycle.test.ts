import { createRequire } from 'node:module';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { StdioRpcClient } from '../helpers/stdio-rpc-client.js';
import {
  isAlive,
  makeWorkspace,
  REPO,
  startRun,
  SWITCHBOARD,
  textOf,
  waitUntil,
  type Workspace,
} from './run-harness.js';

let ws: Workspace | undefined;
let client: StdioRpcClient | undefined;
const leftovers: number[] = [];
// What these tests wait for (an exit, a line on stderr) must come; how soon depends on how loaded the
// machine is, so no wait is a claim about speed: each is long, and vitest's test timeout bounds all.
const SETTLE_MS = 20_000;

afterEach(async () => {
  await client?.close(5000).catch(() => client?.kill('SIGKILL'));
  for (const pid of leftovers.splice(0)) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
  ws?.dispose();
  client = undefined;
  ws = undefined;
});

/** Starts `run` over a server that also spawns a grandchild; returns the pids to watch. */
async function startWithGrandchild(): Promise<{ server: number; grandchild: number }> {
  ws = makeWorkspace();
  client = startRun(ws, ['--no-watch'], { FIXTURE_GRANDCHILD: '1' });
  await client.initialize();
  const line = await client.waitForStderr(/grandchild (\d+)/, SETTLE_MS);
  const grandchild = Number(/grandchild (\d+)/.exec(line)?.[1]);
  const server = (JSON.parse(textOf(await client.callTool('version', {}))) as { pid: number }).pid;
  leftovers.push(server, grandchild);
  expect(isAlive(server)).toBe(true);
  expect(isAlive(grandchild)).toBe(true);
  return { server, grandchild };
}

describe('switchboard run: no orphans', () => {
  it('stops the whole process group when the client closes stdin', async () => {
    const pids = await startWithGrandchild();
    const exit = await client!.close(SETTLE_MS);
    expect(exit.code).toBe(0);
    await waitUntil(
      () => !isAlive(pids.server) && !isAlive(pids.grandchild),
      SETTLE_MS,
      'server and grandchild to exit',
    );
  });

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`stops the whole process group on ${signal}`, async () => {
      const pids = await startWithGrandchild();
      client!.kill(signal);
      // Stdin stays open: the signal alone must stop everything, with 128 + N.
      const exit = await client!.waitForExit(SETTLE_MS);
      expect(exit).toEqual({ code: signal === 'SIGTERM' ? 143 : 130, signal: null });
      await waitUntil(
        () => !isAlive(pids.server) && !isAlive(pids.grandchild),
        SETTLE_MS,
        'server and grandchild to exit',
      );
    });
  }

  it('kills a server that ignores SIGTERM after the shutdown timeout', async () => {
    ws = makeWorkspace();
    client = startRun(ws, ['--no-watch', '--shutdown-timeout', '300'], { FIXTURE_IGNORE_SIGTERM: '1' });
    await client.initialize();
    const server = (JSON.parse(textOf(await client.callTool('version', {}))) as { pid: number }).pid;
    leftovers.push(server);
    const exit = await client.close(SETTLE_MS);
    expect(exit.code).toBe(0);
    await waitUntil(() => !isAlive(server), SETTLE_MS, 'the stubborn server to be killed');
  });

  it('answers requests sent just before stdin closes', async () => {
    ws = makeWorkspace();
    client = startRun(ws, ['--no-watch']);
    await client.initialize();
    const pending = client.callTool('slow', { ms: 300 });
    const exit = client.close(SETTLE_MS);
    expect(textOf(await pending)).toBe('done');
    expect((await exit).code).toBe(0);
  });
});

describe('switchboard run: a real server from npm', () => {
  it('proxies @modelcontextprotocol/server-everything and hot-reloads it', async () => {
    ws = makeWorkspace();
    const require = createRequire(import.meta.url);
    const pkg = require.resolve('@modelcontextprotocol/server-everything/package.json');
    const bin = path.join(
      path.dirname(pkg),
      (require(pkg) as { bin: Record<string, string> }).bin['mcp-server-everything']!,
    );
    client = StdioRpcClient.spawn(
      process.execPath,
      [SWITCHBOARD, 'run', '--watch', ws.dir, '--debounce', '50', '--', process.execPath, bin, 'stdio'],
      { cwd: REPO },
    );
    const init = (await client.initialize()) as { serverInfo: { name: string } };
    expect(init.serverInfo.name).toMatch(/everything/i);
    const tools = await client.request('tools/list', {});
    const names = (tools.result as { tools: { name: string }[] }).tools.map((t) => t.name);
    expect(names).toContain('echo');
    const echo = await client.callTool('echo', { message: 'hello' });
    expect(textOf(echo)).toContain('hello');

    ws.setVersion('touch');
    const during = client.callTool('echo', { message: 'across the restart' });
    await client.waitForStderr(/restarted .* ready in \d+ ms/, SETTLE_MS);
    expect(textOf(await during)).toContain('across the restart');
    const again = await client.callTool('echo', { message: 'after' });
    expect(textOf(again)).toContain('after');
  });
});
