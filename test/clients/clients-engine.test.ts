import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Engine } from '../../electron/engine/engine.js';
import { ApiError } from '../../electron/engine/errors/api-error.js';
import { MemorySecretStore } from '../../electron/engine/secrets/secret-store.js';
import { ECHO_FIXTURE, engineOptions } from '../helpers/echo-home.js';
import type { ApiInput, ApiName, ApiOutput } from '../../electron/shared/api.js';
import { REPO } from '../gateway/gateway-harness.js';

// Import and install through a whole engine (the window's path): the imported server starts for
// real, its secret comes from the store, and a broken Switchboard config refuses before anything.

let engine: Engine | undefined;
let home: string | undefined;

afterEach(async () => {
  await engine?.stop();
  if (home) rmSync(home, { recursive: true, force: true });
  engine = home = undefined;
});

const TOKEN = 'sk-live-4f1a9c2e7b3d8a05e6f7a8b9';

async function startEngine() {
  mkdirSync(path.join(REPO, '.tmp-test'), { recursive: true });
  home = mkdtempSync(path.join(REPO, '.tmp-test', 'clients-'));
  const cursorFile = path.join(home, '.cursor', 'mcp.json');
  mkdirSync(path.dirname(cursorFile), { recursive: true });
  const cursorText = `{\n  // mine\n  "mcpServers": {\n    "echo": {\n      "command": ${JSON.stringify(process.execPath)},\n      "args": [${JSON.stringify(ECHO_FIXTURE)}],\n      "env": { "OPENAI_API_KEY": "${TOKEN}" }\n    }\n  }\n}\n`;
  writeFileSync(cursorFile, cursorText);
  const secrets = new MemorySecretStore();
  // engineOptions puts the person's home (where client files are looked for) in the engine's home.
  engine = new Engine({ ...engineOptions(home), secrets, bridge: { command: 'switchboard', args: [] } });
  await engine.start();
  const api = <N extends ApiName>(name: N, input: ApiInput<N>) =>
    engine!.dispatcher.invoke(name, input) as Promise<ApiOutput<N>>;
  return { api, secrets, cursorFile, cursorText, configFile: path.join(home, 'config.json') };
}

async function until(condition: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('clients through the engine', () => {
  it('imports a client server that then runs, with its key from the store', async () => {
    const { api, secrets, configFile } = await startEngine();
    const { clients } = await api('listClients', {});
    expect(clients.find((c) => c.id === 'cursor')).toMatchObject({ exists: true, servers: ['echo'] });

    const preview = await api('previewImport', { client: 'cursor' });
    expect(preview.servers[0]).toMatchObject({ name: 'echo', action: 'add', conflict: 'none' });
    expect(JSON.stringify(preview)).not.toContain(TOKEN);

    const done = await api('importClient', { client: 'cursor' });
    expect(done.applied).toBe(true);
    expect(await secrets.get('echo-OPENAI_API_KEY')).toBe(TOKEN);
    expect(readFileSync(configFile, 'utf8')).toContain('${secret:echo-OPENAI_API_KEY}');
    const state = () => engine!.supervisor.snapshot().servers.find((s) => s.name === 'echo')?.state;
    await until(() => state() === 'ready', 'echo to be ready');
    const tools = await api('listTools', { server: 'echo' });
    expect(tools.tools.map((t) => t.name)).toContain('echo');
  });

  it('installs and undoes through the API, answering what cannot be done with a status', async () => {
    const { api, cursorFile, cursorText } = await startEngine();
    const plan = await api('installClient', { client: 'cursor', mode: 'per-server' });
    expect(plan.servers).toEqual([
      {
        name: 'echo',
        action: 'import',
        as: 'echo',
        conflict: 'none',
        note: 'added to Switchboard as "echo"',
      },
    ]);
    expect(readFileSync(cursorFile, 'utf8')).toContain(
      '"args": [\n        "connect",\n        "echo"\n      ]',
    );
    writeFileSync(cursorFile, `${readFileSync(cursorFile, 'utf8')} `);
    const refused = await api('uninstallClient', { client: 'cursor' }).catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(ApiError);
    expect((refused as ApiError).status).toBe(409);
    const undone = await api('uninstallClient', { client: 'cursor', force: true });
    expect(undone.outcome).toBe('restored');
    expect(readFileSync(cursorFile, 'utf8')).toBe(cursorText);
  });

  it('refuses to import while Switchboard config is invalid, storing no secret', async () => {
    const { api, secrets, configFile } = await startEngine();
    writeFileSync(configFile, '{ "mcpServers": ');
    await until(() => engine!.config.invalid !== undefined, 'the broken config to be noticed');
    const refused = await api('importClient', { client: 'cursor' }).catch((err: unknown) => err);
    expect((refused as ApiError).status).toBe(409);
    expect((refused as ApiError).message).toMatch(
      /config .* is invalid, so nothing was changed; fix it first/,
    );
    expect(await secrets.list()).toEqual([]);
  });
});
