import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RemoteFixture } from '../../../test/fixtures/remote/remote-fixture.js';
import { textOf, until } from '../../../test/fixtures/remote/remote-harness.js';
import { systemClock } from '../flow/clock.js';
import { ConfigService } from '../config/config-service.js';
import { NodeProcessSpawner } from '../process/process-runner.js';
import { NoSecretStore } from '../secrets/secret-store.js';
import { Supervisor } from './supervisor.js';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

let dir: string;
let fixture: RemoteFixture;
let config: ConfigService;
let supervisor: Supervisor;

beforeEach(async () => {
  mkdirSync(path.join(REPO, '.tmp-test'), { recursive: true });
  dir = mkdtempSync(path.join(REPO, '.tmp-test', 'supervisor-remote-'));
  fixture = new RemoteFixture();
  await fixture.start();
});

afterEach(async () => {
  await supervisor.stopAll();
  await config.close();
  await fixture.kill();
  rmSync(dir, { recursive: true, force: true });
});

async function startEngine(servers: Record<string, unknown>): Promise<void> {
  const file = path.join(dir, 'config.json');
  writeFileSync(file, JSON.stringify({ mcpServers: servers }));
  config = new ConfigService({ file, log: () => {}, debounceMs: 50 });
  supervisor = new Supervisor({
    config,
    secrets: new NoSecretStore(),
    spawner: new NodeProcessSpawner(),
    clock: systemClock,
    env: { REMOTE_KEY: 's3cret' },
    homedir: dir,
    log: () => {},
  });
  await config.start();
  await supervisor.reconcile();
}

const server = (name: string) => supervisor.snapshot().servers.find((s) => s.name === name);

describe('Supervisor with remote servers', () => {
  it('brings http and sse servers up, lists their tools and routes calls, with resolved headers', async () => {
    await startEngine({
      remote: { type: 'http', url: fixture.url, headers: { 'X-Key': '${env:REMOTE_KEY}' } },
      legacy: { type: 'sse', url: fixture.sseUrl },
    });
    await until(
      () => server('remote')?.state === 'ready' && server('legacy')?.state === 'ready',
      'both ready',
    );
    expect(server('remote')).toMatchObject({ transport: 'http', tools: 6, reason: 'connected' });
    expect(server('legacy')).toMatchObject({ transport: 'sse', tools: 6 });
    const reply = await supervisor.upstreamOf('remote')!.request('tools/call', {
      name: 'echo',
      arguments: { text: 'via supervisor' },
    });
    expect(textOf(reply)).toBe('via supervisor');
    const posts = fixture.requests.filter((r) => r.path === '/mcp');
    expect(posts.length).toBeGreaterThan(0);
    expect(posts.every((r) => r.headers['x-key'] === 's3cret')).toBe(true);

    await supervisor.restart('remote');
    expect(server('remote')).toMatchObject({ state: 'ready', restarts: 1 });
    await supervisor.stop('remote');
    expect(server('remote')?.state).toBe('stopped');
    expect(fixture.deletes).toBe(2);
  });

  it('holds a remote server whose secret is missing in needs-secret, saying which one', async () => {
    await startEngine({
      locked: { url: fixture.url, headers: { Authorization: 'Bearer ${secret:remote-token}' } },
    });
    await until(() => server('locked')?.state === 'needs-secret', 'locked waits for its secret');
    expect(server('locked')?.reason).toMatch(/secret "remote-token" is not set/);
  });
});
