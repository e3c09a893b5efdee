import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ECHO_SERVER, isAlive, REPO, SWITCHBOARD, waitUntil } from './run-harness.js';
import { StdioRpcClient } from '../helpers/stdio-rpc-client.js';

let home: string;
let engine: ChildProcess | undefined;
let stdout = '';
let stderr = '';

interface Info {
  pid: number;
  port: number;
  url: string;
  token: string;
}

beforeEach(() => {
  mkdirSync(path.join(REPO, '.tmp-test'), { recursive: true });
  home = mkdtempSync(path.join(REPO, '.tmp-test', 'serve-'));
  writeFileSync(
    path.join(home, 'config.json'),
    JSON.stringify({
      mcpServers: {
        echo: { command: process.execPath, args: [ECHO_SERVER], env: { FIXTURE_GRANDCHILD: '1' } },
        off: { command: process.execPath, args: [ECHO_SERVER], enabled: false },
      },
    }),
  );
  stdout = '';
  stderr = '';
  engine = spawn(process.execPath, [SWITCHBOARD, 'serve', '--port', '0'], {
    env: { ...process.env, SWITCHBOARD_HOME: home, SWITCHBOARD_CONFIG: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  engine.stdout!.on('data', (c: Buffer) => (stdout += c.toString()));
  engine.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
});

afterEach(async () => {
  if (engine && engine.exitCode === null && engine.signalCode === null) {
    // SIGTERM first: SIGKILL would leave the engine's servers behind (it cannot stop them).
    const exited = new Promise((r) => engine!.once('exit', r));
    engine.kill('SIGTERM');
    const timer = setTimeout(() => engine!.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }
  rmSync(home, { recursive: true, force: true });
});

async function info(): Promise<Info> {
  await waitUntil(() => /listening on/.test(stdout), 15_000, `the engine to listen (stderr: ${stderr})`);
  return JSON.parse(readFileSync(path.join(home, 'engine.json'), 'utf8')) as Info;
}

const get = (url: string, headers: Record<string, string> = {}) => fetch(url, { headers });

describe('switchboard serve', () => {
  it('serves health, readiness and the control API behind its token, and guards Host/Origin', async () => {
    const { url, token, port } = await info();
    expect(stdout).toContain(`listening on ${url}`);
    expect(statSync(path.join(home, 'engine.json')).mode & 0o777).toBe(0o600);
    expect((await get(`${url}/healthz`)).status).toBe(200);

    let ready: Response;
    const deadline = Date.now() + 15_000;
    for (;;) {
      ready = await get(`${url}/readyz`);
      if (ready.status === 200 || Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 25));
    }
    expect(await ready.json()).toMatchObject({ ready: 1, enabled: 1 });

    expect((await get(`${url}/api/v1/servers`)).status).toBe(401);
    const auth = { Authorization: `Bearer ${token}` };
    const servers = (await (await get(`${url}/api/v1/servers`, auth)).json()) as {
      servers: { name: string; state: string }[];
    };
    expect(servers.servers.map((s) => [s.name, s.state])).toEqual([
      ['echo', 'ready'],
      ['off', 'stopped'],
    ]);

    const restarted = await fetch(`${url}/api/v1/servers/echo/restart`, { method: 'POST', headers: auth });
    expect(await restarted.json()).toMatchObject({ name: 'echo', state: 'ready', restarts: 1 });
    expect((await fetch(`${url}/api/v1/servers/nope/start`, { method: 'POST', headers: auth })).status).toBe(
      404,
    );

    expect((await get(`${url}/healthz`, { Origin: 'https://evil.example' })).status).toBe(403);
    const rebound = await new Promise<number>((resolve, reject) => {
      // fetch() will not let us set Host; node:http will.
      import('node:http').then(({ request }) =>
        request(
          { host: '127.0.0.1', port, path: '/healthz', headers: { Host: `evil.example:${port}` } },
          (res) => resolve(res.statusCode ?? 0),
        )
          .on('error', reject)
          .end(),
      );
    });
    expect(rebound).toBe(403);
  });

  it('stops every server on SIGTERM, leaves no process behind and removes engine.json', async () => {
    const { url, token } = await info();
    let body: { servers: { name: string; state: string }[] } = { servers: [] };
    const deadline = Date.now() + 15_000;
    while (!body.servers.some((s) => s.state === 'ready') && Date.now() < deadline) {
      body = (await (
        await get(`${url}/api/v1/servers`, { Authorization: `Bearer ${token}` })
      ).json()) as typeof body;
    }
    const children = readFileSync(`/proc/${engine!.pid}/task/${engine!.pid}/children`, 'utf8')
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map(Number);
    expect(children.length).toBeGreaterThan(0);
    engine!.kill('SIGTERM');
    const code = await new Promise<number | null>((r) => engine!.once('exit', (c) => r(c)));
    expect(code).toBe(143);
    await waitUntil(() => children.every((pid) => !isAlive(pid)), 5000, 'servers to exit');
    expect(existsSync(path.join(home, 'engine.json'))).toBe(false);
  });

  it('answers status, restart and logs from the CLI, and says when no engine runs', async () => {
    await info();
    const cli = (...args: string[]) =>
      new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
        const child = spawn(process.execPath, [SWITCHBOARD, ...args], {
          env: { ...process.env, SWITCHBOARD_HOME: home },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let out = '';
        let err = '';
        child.stdout.on('data', (c: Buffer) => (out += c.toString()));
        child.stderr.on('data', (c: Buffer) => (err += c.toString()));
        child.on('exit', (code) => resolve({ code, out, err }));
      });
    const deadline = Date.now() + 15_000;
    let json: { servers: { name: string; state: string }[] } = { servers: [] };
    while (!json.servers.some((s) => s.name === 'echo' && s.state === 'ready') && Date.now() < deadline) {
      json = JSON.parse((await cli('status', '--json')).out) as typeof json;
    }
    expect(json.servers.find((s) => s.name === 'echo')?.state).toBe('ready');
    const table = await cli('status');
    expect(table.out).toMatch(/^SERVER\s+STATE\s+RESTARTS\s+TOOLS\s+CLIENTS\s+CPU\s+MEM\s+WHY/);
    expect(table.out).toMatch(/\noff\s+stopped\s+0\s+-\s+0\s+-\s+-\s+disabled in the config/);
    // It says how to connect a client, and the stdio command it prints works from another folder.
    const { url } = await info();
    expect(table.out).toContain(`Streamable HTTP  ${url}/mcp/NAME   (all: ${url}/mcp)`);
    const printed = /stdio command {4}(.+)\n/.exec(table.out)![1]!.replace(/ NAME$/, ' echo');
    // As a shell runs it (the command carries this engine's SWITCHBOARD_HOME itself).
    const elsewhere = mkdtempSync(path.join(os.tmpdir(), 'sb-elsewhere-'));
    const bridge = StdioRpcClient.spawn('sh', ['-c', printed], { cwd: elsewhere });
    expect(await bridge.initialize()).toMatchObject({ serverInfo: { name: expect.any(String) } });
    await bridge.close();
    rmSync(elsewhere, { recursive: true, force: true });
    const restarted = await cli('restart', 'echo');
    expect(restarted).toMatchObject({ code: 0 });
    expect(restarted.out).toMatch(/^echo: ready/);
    const logs = await cli('logs', 'echo', '-n', '50');
    expect(logs.out).toMatch(/grandchild \d+/);
    // Every line has its time, and each run of the process starts with a mark (two runs now).
    const logLines = logs.out.trimEnd().split('\n');
    expect(logLines.every((line) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z /.test(line))).toBe(true);
    expect(logLines.filter((line) => /──── process \d+ started ────$/.test(line))).toHaveLength(2);
    const missing = await cli('restart', 'nope');
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/no server named "nope"/);

    engine!.kill('SIGTERM');
    await new Promise((r) => engine!.once('exit', r));
    const none = await cli('status');
    expect(none.code).toBe(1);
    expect(none.err).toMatch(/no engine is running for .*switchboard serve/);
  });
});
