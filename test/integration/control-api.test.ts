import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseLogLine } from '../../electron/shared/log-lines.js';
import { ECHO_SERVER, isAlive, SWITCHBOARD, waitUntil } from './run-harness.js';
import { startServe, type ServedEngine } from './serve-harness.js';

// The control API derived from the API table, driven against a real `switchboard serve`.

let served: ServedEngine;
let home: string;
let configFile: string;
const followers: ChildProcess[] = [];

const initialConfig = {
  mcpServers: {
    echo: { command: process.execPath, args: [ECHO_SERVER] },
    off: { command: process.execPath, args: [ECHO_SERVER], enabled: false },
  },
};

beforeEach(async () => {
  served = await startServe(initialConfig.mcpServers);
  home = served.home;
  configFile = path.join(home, 'config.json');
});

afterEach(async () => {
  for (const child of followers.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  await served.stop();
});

interface Answer<T = Record<string, unknown>> {
  status: number;
  body: T;
}

/** Waits for the engine, then returns a caller of its control API (with the token unless told not to). */
async function connect() {
  const { url, token } = served;
  const call = async <T = Record<string, unknown>>(
    method: string,
    route: string,
    body?: unknown,
    withToken = true,
  ): Promise<Answer<T>> => {
    const response = await fetch(`${url}${route}`, {
      method,
      headers: {
        ...(withToken ? { Authorization: `Bearer ${token}` } : {}),
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, body: (await response.json()) as T };
  };
  const serverState = async (name: string) =>
    (await call<{ state: string }>('GET', `/api/v1/servers/${name}`)).body.state;
  const untilState = async (name: string, state: string) => {
    const deadline = Date.now() + 15_000;
    let last: string;
    while ((last = await serverState(name)) !== state) {
      if (Date.now() > deadline)
        throw new Error(`${name} stayed ${last}, not ${state} (stderr: ${served.stderr()})`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  await untilState('echo', 'ready');
  return { call, untilState };
}

type ToolAnswer = { result?: { content: { text: string }[]; isError?: boolean }; error?: { data?: unknown } };

describe('control API over a real engine', () => {
  it('wants the token, lists and gets servers, stops, starts and restarts with history', async () => {
    const { call } = await connect();
    for (const [method, route] of [
      ['GET', '/api/v1/servers'],
      ['GET', '/api/v1/config'],
      ['POST', '/api/v1/servers/echo/stop'],
      ['PUT', '/api/v1/servers/echo/enabled'],
    ] as const) {
      expect((await call(method, route, undefined, false)).status, route).toBe(401);
    }
    expect(await call('GET', '/api/v1/servers/echo')).toMatchObject({
      status: 200,
      body: { state: 'ready' },
    });
    const listed = await call<{ servers: { name: string; state: string }[] }>('GET', '/api/v1/servers');
    expect(listed.body.servers.map((s) => [s.name, s.state])).toEqual([
      ['echo', 'ready'],
      ['off', 'stopped'],
    ]);
    const missing = await call('GET', '/api/v1/servers/nope');
    expect(missing.status).toBe(404);
    expect(missing.body.error).toMatch(/no server named "nope"; `switchboard status`/);

    expect((await call('POST', '/api/v1/servers/echo/stop')).body).toMatchObject({ state: 'stopped' });
    expect((await call('POST', '/api/v1/servers/echo/start')).body).toMatchObject({ state: 'ready' });
    expect((await call('POST', '/api/v1/servers/echo/restart')).body).toMatchObject({
      state: 'ready',
      restarts: 1,
    });
    const history = await call<{ restarts: { cause: { kind: string }; outcome: string }[] }>(
      'GET',
      '/api/v1/servers/echo/restarts',
    );
    expect(history.body.restarts).toEqual([
      expect.objectContaining({ server: 'echo', cause: { kind: 'user' }, outcome: 'ready' }),
    ]);
    expect((await call('GET', '/api/v1/servers/echo/restarts?limit=x')).status).toBe(400);
  });

  it('enables and disables a server through the config file', async () => {
    const { call, untilState } = await connect();
    const version = await call<ToolAnswer>('POST', '/api/v1/servers/echo/tools/call', { tool: 'version' });
    const { pid } = JSON.parse(version.body.result!.content[0]!.text) as { pid: number };
    expect(isAlive(pid)).toBe(true);

    const disabled = await call('PUT', '/api/v1/servers/echo/enabled', { enabled: false });
    expect(disabled).toMatchObject({ status: 200, body: { name: 'echo', enabled: false, state: 'stopped' } });
    const onDisk = JSON.parse(readFileSync(configFile, 'utf8')) as typeof initialConfig;
    expect(onDisk.mcpServers.echo).toEqual({ ...initialConfig.mcpServers.echo, enabled: false });
    expect(existsSync(`${configFile}.bak`)).toBe(true);
    await waitUntil(() => !isAlive(pid), 5000, 'the disabled server to exit');

    const enabled = await call('PUT', '/api/v1/servers/echo/enabled', { enabled: true });
    expect(enabled.body).toMatchObject({ enabled: true });
    await untilState('echo', 'ready');
    const bad = await call('PUT', '/api/v1/servers/echo/enabled', { enabled: 'no' });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatch(/enabled: must be a boolean/);
  });

  it('shows the config, refuses an invalid one without touching the file, and applies a valid one', async () => {
    const { call, untilState } = await connect();
    const shown = await call('GET', '/api/v1/config');
    expect(shown.body).toEqual({ file: configFile, config: initialConfig });

    const before = readFileSync(configFile, 'utf8');
    const invalid = await call('PUT', '/api/v1/config', { mcpServers: { echo: { command: 42 } } });
    expect(invalid.status).toBe(400);
    expect(invalid.body.problems).toEqual([
      { path: 'mcpServers.echo.command', message: 'must be a string, not a number' },
    ]);
    expect(invalid.body.error).toMatch(/mcpServers\.echo\.command: must be a string, not a number/);
    expect(readFileSync(configFile, 'utf8')).toBe(before);

    const next = {
      mcpServers: { ...initialConfig.mcpServers, two: { command: process.execPath, args: [ECHO_SERVER] } },
      myOwnKey: 'kept',
    };
    const put = await call('PUT', '/api/v1/config', next);
    expect(put).toMatchObject({ status: 200, body: { file: configFile, config: next } });
    expect(JSON.parse(readFileSync(configFile, 'utf8'))).toEqual(next);
    await untilState('two', 'ready');
  });

  it('lists tools and calls one, and gives the JSON-RPC error when the server cannot answer', async () => {
    const { call } = await connect();
    const tools = await call<{ tools: { name: string }[] }>('GET', '/api/v1/servers/echo/tools');
    expect(tools.body.tools.map((t) => t.name)).toEqual(
      expect.arrayContaining(['echo', 'version', 'stderr']),
    );

    const echoed = await call<ToolAnswer>('POST', '/api/v1/servers/echo/tools/call', {
      tool: 'echo',
      arguments: { text: 'hello through the API' },
    });
    expect(echoed.status).toBe(200);
    expect(echoed.body.result!.content[0]!.text).toBe('hello through the API');

    const stopped = await call<ToolAnswer>('POST', '/api/v1/servers/off/tools/call', { tool: 'echo' });
    expect(stopped.status).toBe(200);
    expect(stopped.body.error).toMatchObject({ data: { reason: 'server_unavailable', server: 'off' } });
  });

  it('adds, replaces and removes a server through the file; keeps settings; counts calls per minute', async () => {
    const { call, untilState } = await connect();
    const entry = { command: process.execPath, args: [ECHO_SERVER], description: 'added by the window' };
    const added = await call('PUT', '/api/v1/servers/added', { config: entry, createOnly: true });
    expect(added.status).toBe(200);
    await untilState('added', 'ready');
    const file = () =>
      JSON.parse(readFileSync(configFile, 'utf8')) as { mcpServers: Record<string, unknown> };
    // As sent: no defaults written into the person's file.
    expect(file().mcpServers.added).toEqual(entry);

    const again = await call('PUT', '/api/v1/servers/added', { config: entry, createOnly: true });
    expect(again.status).toBe(409);
    expect(again.body.error).toMatch(/exists already/);
    const invalid = await call<{ problems: { path: string }[] }>('PUT', '/api/v1/servers/bad', {
      config: { args: ['x'] },
    });
    expect(invalid.status).toBe(400);
    expect(invalid.body.problems[0]!.path).toMatch(/^config/);
    expect((await call('PUT', '/api/v1/servers/no%20spaces', { config: entry })).status).toBe(400);

    await call('POST', '/api/v1/servers/added/tools/call', { tool: 'echo', arguments: { text: 'x' } });
    const stats = await call<{ buckets: { calls: number; p50Ms: number }[] }>(
      'GET',
      '/api/v1/servers/added/stats',
    );
    expect(stats.body.buckets.at(-1)).toMatchObject({ calls: 1 });
    expect(stats.body.buckets.at(-1)!.p50Ms).toBeGreaterThan(0);

    const removed = await call('DELETE', '/api/v1/servers/added');
    expect(removed.body).toEqual({ server: 'added', removed: true });
    expect(file().mcpServers.added).toBeUndefined();
    expect((await call('GET', '/api/v1/servers/added')).status).toBe(404);
    expect((await call('DELETE', '/api/v1/servers/added')).status).toBe(404);

    const settings = await call('PUT', '/api/v1/settings', { theme: 'dark', launchAtLogin: true });
    expect(settings.body).toMatchObject({ theme: 'dark', launchAtLogin: true, host: '127.0.0.1' });
    expect((await call('GET', '/api/v1/settings')).body).toMatchObject({ theme: 'dark' });
    expect((await call('PUT', '/api/v1/settings', { theme: 'pink' })).status).toBe(400);

    const listed = (await call('GET', '/api/v1/extensions')).body as {
      extensions: { id: string; enabled: boolean }[];
    };
    expect(listed.extensions.map((x) => `${x.id}:${x.enabled}`)).toEqual([
      'request-logger:false',
      'circuit-breaker:false',
      'rate-limiter:false',
      'tool-filter:false',
      'quarantine:false',
      'large-response-handler:false',
      'tool-search:false',
    ]);
    const toggled = await call('PUT', '/api/v1/extensions/rate-limiter/enabled', { enabled: true });
    expect(toggled.body).toMatchObject({ id: 'rate-limiter', enabled: true });
    const badConfig = await call('PUT', '/api/v1/extensions/rate-limiter/config', { config: { burst: -1 } });
    expect(badConfig.status).toBe(400);
    expect(badConfig.body.problems).toEqual([expect.objectContaining({ path: 'burst' })]);
    const noSuch = await call('PUT', '/api/v1/extensions/nope/enabled', { enabled: true });
    expect(noSuch.status).toBe(404);
    expect(noSuch.body.error).toMatch(/no extension "nope"/);
  });

  it('prints logs from the CLI, and follows new lines with -f until Ctrl-C', async () => {
    const { call } = await connect();
    const say = (text: string) =>
      call('POST', '/api/v1/servers/echo/tools/call', { tool: 'stderr', arguments: { text } });
    await say('line before following');
    const env = { ...process.env, SWITCHBOARD_HOME: home };

    const once = spawn(process.execPath, [SWITCHBOARD, 'logs', 'echo', '-n', '5'], { env });
    let onceOut = '';
    once.stdout.on('data', (c: Buffer) => (onceOut += c.toString()));
    expect(await new Promise((r) => once.on('exit', r))).toBe(0);
    expect(onceOut).toContain('line before following');
    const searched = await call<{ lines: string[] }>('GET', '/api/v1/servers/echo/logs?search=BEFORE');
    expect(searched.body.lines.map((line) => parseLogLine(line).text)).toEqual(['line before following']);

    const follower = spawn(process.execPath, [SWITCHBOARD, 'logs', 'echo', '-f', '-n', '1'], { env });
    followers.push(follower);
    let out = '';
    follower.stdout.on('data', (c: Buffer) => (out += c.toString()));
    await waitUntil(() => out.includes('line before following'), 10_000, 'the backlog line');
    await say('a line written while following');
    await waitUntil(() => out.includes('a line written while following'), 10_000, 'the new line to arrive');
    expect(
      out
        .trim()
        .split('\n')
        .map((line) => parseLogLine(line).text),
    ).toEqual(['line before following', 'a line written while following']);
    follower.kill('SIGINT');
    expect(await new Promise((r) => follower.on('exit', r))).toBe(0);
  });
});
