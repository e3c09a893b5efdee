import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { systemClock } from '../flow/clock.js';
import { ConfigService } from '../config/config-service.js';
import { NodeProcessSpawner } from '../process/process-runner.js';
import { NoSecretStore } from '../secrets/secret-store.js';
import type { ServerSnapshot } from '../../shared/state-view.js';
import { STARTS_AT_ONCE, Supervisor, type SupervisorOptions } from './supervisor.js';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const FIXTURE = path.join(REPO, 'test/fixtures/echo-server.mjs');
const RAW_FIXTURE = path.join(REPO, 'test/fixtures/raw-server.mjs');

let dir: string;
let file: string;
let config: ConfigService;
let supervisor: Supervisor;

const node = (extra: Record<string, unknown> = {}) => ({
  command: process.execPath,
  args: [FIXTURE],
  ...extra,
});
const writeConfig = (servers: Record<string, unknown>) =>
  writeFileSync(file, JSON.stringify({ mcpServers: servers }));
const server = (name: string): ServerSnapshot | undefined =>
  supervisor.snapshot().servers.find((s) => s.name === name);

async function until(check: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}: ${JSON.stringify(supervisor.snapshot())}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

async function pidOf(name: string): Promise<number> {
  const reply = await supervisor.upstreamOf(name)!.request('tools/call', { name: 'version', arguments: {} });
  const text = (reply.result as { content: { text: string }[] }).content[0]!.text;
  return (JSON.parse(text) as { pid: number }).pid;
}

/** A config service and a supervisor over `file`, started; options override the supervisor's. */
async function startEngine(options: Partial<SupervisorOptions> = {}): Promise<void> {
  config = new ConfigService({ file, log: () => {}, debounceMs: 50 });
  supervisor = new Supervisor({
    config,
    secrets: new NoSecretStore(),
    spawner: new NodeProcessSpawner(),
    clock: systemClock,
    env: process.env,
    homedir: dir,
    log: () => {},
    ...options,
  });
  await config.start();
}

beforeEach(async () => {
  mkdirSync(path.join(REPO, '.tmp-test'), { recursive: true });
  dir = mkdtempSync(path.join(REPO, '.tmp-test', 'supervisor-'));
  file = path.join(dir, 'config.json');
  writeConfig({
    a: node(),
    b: node(),
    off: node({ enabled: false }),
    locked: node({ env: { KEY: '${secret:locked-key}' } }),
    remote: { url: 'http://127.0.0.1:9/mcp' },
  });
  await startEngine();
  await supervisor.reconcile();
});

afterEach(async () => {
  await supervisor.stopAll();
  await config.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('Supervisor', () => {
  it('starts what the config enables and says why the others are not running', async () => {
    await until(() => server('a')?.state === 'ready' && server('b')?.state === 'ready', 'a and b ready');
    expect(server('a')?.tools).toBeGreaterThan(3);
    expect(server('off')).toMatchObject({ state: 'stopped', reason: 'disabled in the config' });
    // Waiting for a secret is not a failure: no retries, and the reason says how to provide it.
    expect(server('locked')?.state).toBe('needs-secret');
    expect(server('locked')?.reason).toMatch(/secret "locked-key" is not set: .*\$\{env:LOCKED_KEY\}/);
    expect(server('locked')?.restarts).toBe(0);
    await until(() => server('remote')?.state === 'failed', 'the unreachable remote to give up');
    expect(server('remote')).toMatchObject({
      transport: 'http',
      reason: expect.stringMatching(/crash loop: 5 failures.*127\.0\.0\.1:9/),
    });
  });

  it('on a hand edit restarts only the server whose entry changed, and stops removed ones', async () => {
    await until(() => server('a')?.state === 'ready' && server('b')?.state === 'ready', 'a and b ready');
    const pidA = await pidOf('a');
    const pidB = await pidOf('b');
    writeConfig({ a: node(), b: node({ env: { CHANGED: '1' } }) });
    await until(
      () => server('off') === undefined && server('b')?.state === 'ready',
      'b restarted, others removed',
    );
    await until(() => supervisor.upstreamOf('b') !== undefined && server('b')?.state === 'ready', 'b ready');
    expect(await pidOf('a')).toBe(pidA);
    expect(await pidOf('b')).not.toBe(pidB);
    expect(supervisor.snapshot().servers.map((s) => s.name)).toEqual(['a', 'b']);
  });

  it('keeps servers running when the file turns invalid, and shows the problem', async () => {
    await until(() => server('a')?.state === 'ready', 'a ready');
    const pidA = await pidOf('a');
    writeFileSync(file, '{"mcpServers": {"a": {"args": []}}}');
    await until(() => supervisor.snapshot().configProblems !== undefined, 'the problem to show');
    expect(supervisor.snapshot().configProblems?.[0]).toMatchObject({ path: 'mcpServers.a' });
    expect(server('a')?.state).toBe('ready');
    expect(await pidOf('a')).toBe(pidA);
  });

  it('starts, stops and restarts on request', async () => {
    await until(() => server('a')?.state === 'ready', 'a ready');
    await supervisor.stop('a');
    expect(server('a')?.state).toBe('stopped');
    await supervisor.start('off');
    expect(server('off')?.state).toBe('ready');
    const before = await pidOf('off');
    await supervisor.restart('off');
    expect(await pidOf('off')).not.toBe(before);
    expect(server('off')?.restarts).toBe(1);
  });
});

describe('Supervisor at start-up', () => {
  it('brings many servers up a few at a time: never more than STARTS_AT_ONCE starting at once', async () => {
    const many = Object.fromEntries(
      Array.from({ length: STARTS_AT_ONCE * 3 }, (_, i) => [
        `s${i}`,
        { command: process.execPath, args: [RAW_FIXTURE] },
      ]),
    );
    writeConfig(many);
    const starting = new Set<string>();
    let most = 0;
    supervisor.on('event', (e) => {
      if (e.type !== 'server.state') return;
      if (e.to === 'starting') starting.add(e.server);
      else starting.delete(e.server);
      most = Math.max(most, starting.size);
    });
    await supervisor.reconcile();
    const names = Object.keys(many);
    await until(() => names.every((n) => server(n)?.state === 'ready'), 'every server ready', 60_000);
    expect(most).toBeGreaterThan(1); // in parallel...
    expect(most).toBeLessThanOrEqual(STARTS_AT_ONCE); // ...but bounded
  });
});

describe('Supervisor resource use', () => {
  it('shows CPU and memory of running servers in the snapshot', async () => {
    await until(() => server('a')?.state === 'ready', 'a ready');
    await supervisor.sampleUsage();
    expect(server('a')?.rssBytes).toBeGreaterThan(10 * 1024 * 1024);
    expect(server('a')?.cpuPercent).toBeGreaterThanOrEqual(0);
    expect(server('off')?.rssBytes).toBeUndefined();
  });
});

describe('Supervisor health checks', () => {
  it('restarts a server that stops answering pings, with the cause', async () => {
    await supervisor.stopAll();
    await config.close();
    writeConfig({ a: node() });
    await startEngine({ pingIntervalMs: 100, pingTimeoutMs: 300 });
    const restarts: string[] = [];
    supervisor.on('event', (e) => {
      if (e.type === 'server.restart') restarts.push(`${e.cause.kind}:${e.outcome}`);
    });
    await supervisor.reconcile();
    await until(() => server('a')?.state === 'ready', 'a ready');
    const before = await pidOf('a');
    void supervisor
      .upstreamOf('a')!
      .request('tools/call', { name: 'freeze', arguments: {} })
      .catch(() => undefined);
    await until(() => restarts.includes('health:ready'), 'a health restart', 10_000);
    expect(await pidOf('a')).not.toBe(before);
    expect(server('a')).toMatchObject({ state: 'ready', restarts: 1 });
  });
});
