import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ECHO_FIXTURE, InProcessEngine, npmServerBin } from './gateway-harness.js';
import { RemoteFixture } from '../fixtures/remote/remote-fixture.js';
import { isAlive } from '../integration/run-harness.js';

type ToolResult = { content: { type: string; text?: string }[] };
const text = (r: unknown) => (r as ToolResult).content.map((c) => c.text ?? '').join('');
const EVERYTHING = npmServerBin('@modelcontextprotocol/server-everything', 'mcp-server-everything');

let engine: InProcessEngine;
let versionFile: string;
const remote = new RemoteFixture();

beforeAll(async () => {
  await remote.start();
  engine = new InProcessEngine({});
  versionFile = path.join(engine.dir, 'version.txt');
  writeFileSync(versionFile, 'one');
  engine.writeConfig(servers());
  await engine.start();
  await engine.until(
    () => ['own', 'shared', 'everything', 'web'].every((s) => engine.state(s) === 'ready'),
    'servers ready',
  );
}, 30_000);
afterAll(async () => {
  await engine.stop();
  await remote.kill();
});

/** The config, with `own` as it is at first or after an edit of its entry. */
const servers = (ownEnv: Record<string, string> = {}) => ({
  own: {
    command: process.execPath,
    args: [ECHO_FIXTURE],
    env: { FIXTURE_VERSION_FILE: versionFile, ...ownEnv },
    watch: [versionFile],
    debounceMs: 60,
    sessions: 'per-client',
  },
  shared: { command: process.execPath, args: [ECHO_FIXTURE], sessions: 'shared' },
  everything: { command: process.execPath, args: [EVERYTHING, 'stdio'] }, // sessions: auto
  web: { type: 'http', url: remote.url, sessions: 'per-client' },
});

const pidOf = async (client: Client) =>
  (JSON.parse(text(await client.callTool({ name: 'version', arguments: {} }))) as { pid: number }).pid;
const end = async (client: Client) => {
  await (client.transport as StreamableHTTPClientTransport).terminateSession(); // DELETE
  await client.close();
};

describe('sessions: per-client', () => {
  it('gives each session a process of its own, which ends with the session', async () => {
    const [a, b] = await Promise.all([engine.client('own'), engine.client('own')]);
    const [pa, pb] = await Promise.all([pidOf(a), pidOf(b)]);
    expect(pa).not.toBe(pb);
    expect(engine.supervisor.snapshot().servers.find((s) => s.name === 'own')?.sessions).toBe(2);
    await end(a);
    await engine.until(() => !isAlive(pa), 'the ended session’s process to exit');
    expect(isAlive(pb)).toBe(true);
    expect(await pidOf(b)).toBe(pb);
    await end(b);
    await engine.until(() => !isAlive(pb), 'the last session’s process to exit');
  });

  it('hot-reloads every session’s process, and a call during the restart waits and succeeds', async () => {
    const client = await engine.client('own');
    const before = await pidOf(client);
    writeFileSync(versionFile, 'two');
    const after = JSON.parse(text(await waitForVersion(client, 'two'))) as { pid: number };
    expect(after.pid).not.toBe(before);
    await end(client);
  });

  it('keeps each session across an edit of the server’s entry: its process is rebuilt from the new one', async () => {
    const [a, b] = await Promise.all([engine.client('own'), engine.client('own')]);
    const [pa, pb] = await Promise.all([pidOf(a), pidOf(b)]);
    engine.writeConfig(servers({ EDITED: 'yes' }));
    // Calls go on while the new processes come up; each session then has a new one of its own.
    await waitFor(
      async () => (await pidOf(a)) !== pa && (await pidOf(b)) !== pb,
      'both sessions on new processes',
    );
    const [qa, qb] = await Promise.all([pidOf(a), pidOf(b)]);
    expect(qa).not.toBe(qb);
    await engine.until(() => !isAlive(pa) && !isAlive(pb), 'the old processes to exit');
    expect(engine.supervisor.snapshot().servers.find((s) => s.name === 'own')?.sessions).toBe(2);
    await Promise.all([end(a), end(b)]);
    await engine.until(() => !isAlive(qa) && !isAlive(qb), 'the ended sessions’ processes to exit');
    engine.writeConfig(servers());
  });

  it('gives each session of a remote server a session of its own there, ended with it', async () => {
    const before = remote.sessionCount; // the shared upstream's
    const [a, b] = await Promise.all([engine.client('web'), engine.client('web')]);
    await Promise.all([a.callTool({ name: 'echo', arguments: { text: 'a' } }), b.listTools()]);
    expect(remote.sessionCount).toBe(before + 2);
    await end(a);
    await engine.until(() => remote.sessionCount === before + 1, 'the ended session’s remote session to end');
    await end(b);
    await engine.until(() => remote.sessionCount === before, 'back to the shared session only');
  });

  it('an aggregated session joins only the shared routers it sends over (so it counts once per server)', async () => {
    const joined = (name: string) => engine.gateway.router(name)!.sessionCount;
    const before = { own: joined('own'), shared: joined('shared') };
    const all = await engine.client();
    await all.listTools();
    // It reaches `own` over an instance of its own: the shared router of `own` never hears of it.
    expect(joined('own')).toBe(before.own);
    expect(joined('shared')).toBe(before.shared + 1);
    await end(all);
    await waitFor(async () => joined('shared') === before.shared, 'the session to leave the shared router');
    expect(joined('own')).toBe(before.own);
  });

  it('a shared server keeps one process for all sessions', async () => {
    const [a, b] = await Promise.all([engine.client('shared'), engine.client('shared')]);
    expect(await pidOf(a)).toBe(await pidOf(b));
  });
});

describe('sessions: auto (the default)', () => {
  it('gives each client of a server that asks its clients things the tools it would see directly', async () => {
    const capable = { sampling: {}, elicitation: {}, roots: { listChanged: true } };
    const direct = async (capabilities: Record<string, unknown>) => {
      const client = new Client({ name: 'direct', version: '1' }, { capabilities });
      await client.connect(
        new StdioClientTransport({ command: process.execPath, args: [EVERYTHING, 'stdio'] }),
      );
      const { tools } = await client.listTools();
      await client.close();
      return tools.map((t) => t.name);
    };
    const [plainDirect, capableDirect] = await Promise.all([direct({}), direct(capable)]);
    expect(plainDirect).not.toEqual(capableDirect); // what makes one shared upstream wrong here
    const [plain, able] = await Promise.all([
      engine.client('everything'),
      engine.client('everything', capable),
    ]);
    expect((await plain.listTools()).tools.map((t) => t.name)).toEqual(plainDirect);
    expect((await able.listTools()).tools.map((t) => t.name)).toEqual(capableDirect);
  });
});

async function waitFor(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let attempt = 0; attempt < 300; attempt++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Calls `version` until the new process answers (calls during the restart wait for it). */
async function waitForVersion(client: Client, version: string): Promise<unknown> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const result = await client.callTool({ name: 'version', arguments: {} });
    if ((JSON.parse(text(result)) as { version: string }).version === version) return result;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`the version never became ${version}`);
}
