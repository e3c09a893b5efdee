import { describe, expect, it } from 'vitest';
import { configSchema } from '../../shared/config.js';
import {
  MemorySecretStore,
  NoSecretStore,
  SecretStoreError,
  type SecretStore,
} from '../secrets/secret-store.js';
import { secretsUsedBy } from '../secrets/secret-references.js';
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
    expect(result.onlySecrets).toBe(false);
  });

  it('leaves out an env var or header whose optional credential is not set, and tells each value used', async () => {
    const seen: string[] = [];
    const result = await resolveServer(
      's',
      serverOf({
        command: 'x',
        env: { KEY: '${secret:api-key}', EXTRA: 'x-${secret:extra}', PLAIN: 'p' },
        credentials: { extra: { required: false } },
      }),
      { ...ctx, onSecretValue: (v) => seen.push(v) },
    );
    expect(result).toMatchObject({
      ok: true,
      server: { env: { KEY: 'sk-123', PLAIN: 'p' } },
      secrets: ['api-key'],
    });
    if (result.ok && result.server.type === 'stdio') expect('EXTRA' in result.server.env).toBe(false);
    expect(seen).toEqual(['sk-123']);
    const remote = await resolveServer(
      's',
      serverOf({
        url: 'https://x.example/mcp',
        headers: { 'X-Opt': '${secret:extra}' },
        credentials: { extra: { required: false } },
      }),
      ctx,
    );
    expect(remote).toMatchObject({ ok: true, server: { headers: {} } });
  });

  it('wants a declared required credential even when nothing uses it, and waits only for secrets', async () => {
    const result = await resolveServer(
      's',
      serverOf({ command: 'x', credentials: { 'license-key': { label: 'License' } } }),
      ctx,
    );
    expect(result).toMatchObject({ ok: false, missing: ['secret:license-key'], onlySecrets: true });
    expect(
      secretsUsedBy(
        serverOf({
          command: 'x',
          args: ['${secret:a}'],
          env: { B: '${secret:b}${secret:a}' },
          credentials: { c: {} },
        }),
      ),
    ).toEqual(['a', 'b', 'c']);
  });

  it('turns an unreachable store into a missing secret whose hint says what to do', async () => {
    class LockedStore extends MemorySecretStore {
      override get(): Promise<string | undefined> {
        return Promise.reject(new SecretStoreError('the OS keyring cannot be used: unlock it'));
      }
    }
    const locked: SecretStore = new LockedStore();
    const result = await resolveServer('s', serverOf({ command: 'x', env: { K: '${secret:k}' } }), {
      ...ctx,
      secrets: locked,
    });
    expect(result).toMatchObject({ ok: false, missing: ['secret:k'], onlySecrets: true });
    if (!result.ok)
      expect(result.error).toMatch(/secret "k" cannot be read: the OS keyring cannot be used: unlock it/);
  });
});
