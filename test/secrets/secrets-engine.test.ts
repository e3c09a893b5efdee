import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { Engine } from '../../electron/engine/engine.js';
import { MemorySecretStore, NoSecretStore } from '../../electron/engine/secrets/secret-store.js';
import { ECHO_FIXTURE, engineOptions } from '../helpers/echo-home.js';
import type { ApiInput, ApiName, ApiOutput } from '../../electron/shared/api.js';
import type { EngineEvent } from '../../electron/shared/events.js';
import { REPO } from '../gateway/gateway-harness.js';
import { firstText } from '../extensions/extension-harness.js';

const TOKEN = 'tok_live_9f8e7d6c5b4a39281706';
const OPTIONAL = 'opt-secret-value-5566';

let engine: Engine | undefined;
let home: string | undefined;
const clients: Client[] = [];

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close().catch(() => undefined)));
  await engine?.stop();
  if (home) rmSync(home, { recursive: true, force: true });
  engine = home = undefined;
});

async function startEngine(store: MemorySecretStore) {
  mkdirSync(path.join(REPO, '.tmp-test'), { recursive: true });
  home = mkdtempSync(path.join(REPO, '.tmp-test', 'secrets-'));
  const config = {
    mcpServers: {
      locked: {
        command: process.execPath,
        args: [ECHO_FIXTURE],
        env: { FIXTURE_TOKEN: '${secret:fixture-token}', EXTRA: '${secret:extra-key}' },
        credentials: {
          'fixture-token': { label: 'Fixture token', description: 'From the fixture vendor' },
          'extra-key': { required: false },
        },
      },
    },
  };
  writeFileSync(path.join(home, 'config.json'), JSON.stringify(config, null, 2));
  const events: EngineEvent[] = [];
  const logs: string[] = [];
  engine = new Engine({
    ...engineOptions(home),
    secrets: store,
    log: (line) => logs.push(line),
    onEvent: (event) => events.push(event),
  });
  await engine.start();
  const api = <N extends ApiName>(name: N, input: ApiInput<N>) =>
    engine!.dispatcher.invoke(name, input) as Promise<ApiOutput<N>>;
  const state = () => engine!.supervisor.snapshot().servers.find((s) => s.name === 'locked');
  return { events, logs, api, state, home };
}

async function until(
  condition: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 15_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Every file under dir, as text. */
function filesUnder(dir: string): { file: string; text: string }[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((name) => path.join(dir, name))
    .filter((file) => statSync(file).isFile())
    .map((file) => ({ file, text: readFileSync(file, 'utf8') }));
}

describe('secrets through a whole engine', () => {
  it('waits in needs-secret, starts once the secret is set, and never lets the value out', async () => {
    const store = new MemorySecretStore();
    const { events, logs, api, state, home: dir } = await startEngine(store);
    await until(() => state()?.state === 'needs-secret', 'needs-secret');
    expect(state()?.reason).toMatch(
      /secret "fixture-token" is not set: .*switchboard secret set fixture-token/,
    );
    expect(state()?.restarts).toBe(0);

    const credentials = await api('getServerCredentials', { server: 'locked' });
    expect(credentials.credentials).toEqual([
      // Used in env and declared: the declaration's label, and required.
      {
        name: 'fixture-token',
        label: 'Fixture token',
        description: 'From the fixture vendor',
        required: true,
        set: false,
      },
      { name: 'extra-key', label: 'extra-key', required: false, set: false },
    ]);

    // An MCP client asking for it is told why it cannot be had.
    const refused = new Client({ name: 'secrets-test', version: '1' });
    await expect(
      refused.connect(new StreamableHTTPClientTransport(new URL('/mcp/locked', engine!.url))),
    ).rejects.toThrow(/waits for a secret/);

    const set = await api('setSecret', { name: 'fixture-token', value: TOKEN });
    expect(set).toEqual({ name: 'fixture-token', set: true, hint: '…1706', usedBy: ['locked'] });
    await until(() => state()?.state === 'ready', 'ready after the secret was set');

    // The server got the value (its length proves it without showing it)...
    const client = new Client({ name: 'secrets-test', version: '1' });
    await client.connect(new StreamableHTTPClientTransport(new URL('/mcp/locked', engine!.url)));
    clients.push(client);
    expect(firstText(await client.callTool({ name: 'token_length', arguments: {} }))).toBe(
      String(TOKEN.length),
    );
    // ...and printed it to stderr, which the log keeps only masked.
    let serverLog: string[] = [];
    await until(async () => {
      serverLog = (await api('getLogs', { server: 'locked', lines: 50 })).lines;
      return serverLog.some((line) => line.includes('using token'));
    }, 'the fixture to log its token');
    expect(serverLog.join('\n')).toContain('using token [redacted]');

    // The optional credential, once set, reaches the server after the restart it causes.
    await api('setSecret', { name: 'extra-key', value: OPTIONAL });
    await until(() => (state()?.restarts ?? 0) >= 1 && state()?.state === 'ready', 'restart for extra-key');

    // The hunt: config, every file of the home, events, logs, API answers.
    const answers = JSON.stringify([
      await api('listSecrets', {}),
      await api('listServers', {}),
      await api('getServerCredentials', { server: 'locked' }),
      await api('getLogs', { server: 'locked', lines: 200 }),
      await api('getConfig', {}),
    ]);
    const places: [string, string][] = [
      ['API answers', answers],
      ['events', JSON.stringify(events)],
      ['engine log', logs.join('\n')],
      ...filesUnder(dir).map(({ file, text }) => [file, text] as [string, string]),
    ];
    for (const [where, text] of places) {
      expect(text.includes(TOKEN), `the token in ${where}`).toBe(false);
      expect(text.includes(OPTIONAL), `the optional secret in ${where}`).toBe(false);
    }
    expect(events.filter((e) => e.type === 'secrets.changed')).toHaveLength(2);

    // Removing a secret does not stop the server; listing says it is not set any more.
    expect(await api('deleteSecret', { name: 'fixture-token' })).toEqual({
      name: 'fixture-token',
      removed: true,
    });
    const listed = await api('listSecrets', {});
    expect(listed.secrets.find((s) => s.name === 'fixture-token')).toEqual({
      name: 'fixture-token',
      set: false,
      usedBy: ['locked'],
    });
    expect(state()?.state).toBe('ready');
  });

  it('keeps the value out of a crash report: lastError, the state event and the engine log quote stderr masked', async () => {
    const store = new MemorySecretStore({ 'fixture-token': TOKEN });
    const { events, logs, api, state } = await startEngine(store);
    await until(() => state()?.state === 'ready', 'ready');
    const client = new Client({ name: 'secrets-test', version: '1' });
    await client.connect(new StreamableHTTPClientTransport(new URL('/mcp/locked', engine!.url)));
    clients.push(client);
    // The fixture printed its token to stderr at start; exiting now makes that its "last stderr".
    await client.callTool({ name: 'crash', arguments: { code: 1 } }).catch(() => undefined);
    await until(() => /last stderr/.test(state()?.lastError ?? ''), 'the crash to be reported');
    expect(state()?.lastError).toMatch(/exit code 1; last stderr: .*using token \[redacted\]/);
    const crashEvent = events.find((e) => e.type === 'server.state' && e.to === 'backoff');
    expect(JSON.stringify(crashEvent)).toContain('using token [redacted]');
    const places: [string, string][] = [
      [
        'API answers',
        JSON.stringify([await api('listServers', {}), await api('getServer', { server: 'locked' })]),
      ],
      ['events', JSON.stringify(events)],
      ['engine log', logs.join('\n')],
    ];
    for (const [where, text] of places) expect(text.includes(TOKEN), `the token in ${where}`).toBe(false);
  });

  it('starts a server whose optional credential is missing', async () => {
    const store = new MemorySecretStore({ 'fixture-token': TOKEN });
    const { state } = await startEngine(store);
    await until(() => state()?.state === 'ready', 'ready without the optional secret');
  });

  it('says nothing about an unreachable keyring for a server that uses no secret', async () => {
    mkdirSync(path.join(REPO, '.tmp-test'), { recursive: true });
    home = mkdtempSync(path.join(REPO, '.tmp-test', 'secrets-'));
    const plain = { command: process.execPath, args: [ECHO_FIXTURE] };
    writeFileSync(path.join(home, 'config.json'), JSON.stringify({ mcpServers: { plain } }));
    engine = new Engine({
      ...engineOptions(home),
      secrets: new NoSecretStore('no Secret Service on this bus'),
      log: () => undefined,
    });
    await engine.start();
    const answer = await engine.dispatcher.invoke('getServerCredentials', { server: 'plain' });
    expect(answer).toMatchObject({ credentials: [] });
  });
});
