import { describe, expect, it } from 'vitest';
import { configSchema } from '../../shared/config.js';
import { MemorySecretStore, NoSecretStore } from '../secrets/secret-store.js';
import { resolveServer } from './resolve-server.js';

const serverOf = (entry: unknown) => configSchema.parse({ mcpServers: { s: entry } }).mcpServers.s!;
const ctx = {
  env: { TOKEN: 't0k', HOME_DIR: '/h' },
  secrets: new MemorySecretStore({ 'api-key': 'sk-123' }),
  homedir: '/home/ada',
  configDir: '/cfg',
};

describe('resolveServer', () => {
  it('fills ${env:…} and ${secret:…} in env, args, headers and cwd', async () => {
    const stdio = await resolveServer(
      's',
      serverOf({
        command: 'node',
        args: ['--token=${env:TOKEN}'],
        env: { KEY: 'Bearer ${secret:api-key}' },
        cwd: '~/dev',
      }),
      ctx,
    );
    expect(stdio).toMatchObject({
      ok: true,
      server: { args: ['--token=t0k'], env: { KEY: 'Bearer sk-123' }, cwd: '/home/ada/dev' },
    });
    const remote = await resolveServer(
      's',
      serverOf({ url: 'https://x.example/mcp', headers: { Authorization: 'Bearer ${secret:api-key}' } }),
      ctx,
    );
    expect(remote).toMatchObject({ ok: true, server: { headers: { Authorization: 'Bearer sk-123' } } });
  });

  it('resolves a relative cwd against the config file folder', async () => {
    const result = await resolveServer('s', serverOf({ command: 'x', cwd: 'servers/notes' }), ctx);
    expect(result).toMatchObject({ ok: true, server: { cwd: '/cfg/servers/notes' } });
  });

  it('makes a missing secret or variable this server’s error, saying how to fix it', async () => {
    const result = await resolveServer(
      'notes',
      serverOf({ command: 'x', env: { A: '${secret:gone}', B: '${env:NOPE}' } }),
      {
        ...ctx,
        secrets: new NoSecretStore(),
      },
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.missing).toEqual(['secret:gone', 'env:NOPE']);
    expect(result.error).toMatch(/^notes: secret "gone" is not set: .*\$\{env:GONE\}/);
    expect(result.error).toMatch(/environment variable NOPE is not set/);
  });
});
