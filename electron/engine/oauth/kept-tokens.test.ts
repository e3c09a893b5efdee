import { describe, expect, it } from 'vitest';
import { MemorySecretStore, NoSecretStore } from '../secrets/secret-store.js';
import { KeptTokens } from './kept-tokens.js';
import { OAuthVault } from './oauth-vault.js';

const serverUrl = new URL('https://mcp.example/mcp');

describe('KeptTokens.load', () => {
  it('finds nothing kept, without failing, where no keyring can be read (a remote server starts at once)', async () => {
    const tokens = new KeptTokens({
      server: 'remote',
      serverUrl,
      vault: new OAuthVault(new NoSecretStore()),
    });
    await expect(tokens.load()).resolves.toBeUndefined();
    expect(tokens.current).toBeUndefined();
  });

  it('loads the tokens kept for the server URL', async () => {
    const store = new MemorySecretStore();
    const vault = new OAuthVault(store);
    await vault.saveTokens('remote', {
      accessToken: 'at-123',
      issuer: 'https://as.example',
      resource: 'https://mcp.example/mcp',
      obtainedAt: 1,
    } as never);
    const tokens = new KeptTokens({ server: 'remote', serverUrl, vault });
    await tokens.load();
    expect(tokens.current?.accessToken).toBe('at-123');
  });
});
