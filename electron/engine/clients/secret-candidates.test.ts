import { describe, expect, it } from 'vitest';
import { SECRET_NAME_PATTERN } from '../../shared/config.js';
import { findSecretCandidates } from './secret-candidates.js';

const inEnv = (key: string, value: string) => findSecretCandidates('srv', { env: { [key]: value } });

// Made-up credentials in the shapes the providers use.
const TOKENS = {
  github: `ghp_${'a1B2'.repeat(9)}`,
  githubFineGrained: `github_pat_${'11AB'.repeat(6)}_${'xY9'.repeat(8)}`,
  slack: 'xoxb-1234567890-0987654321-AbCdEfGhIjKl',
  openai: `sk-proj-${'Zz09'.repeat(6)}`,
  gitlab: `glpat-${'Qw3_'.repeat(5)}`,
  aws: 'AKIAIOSFODNN7EXAMPLE',
  jwt: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dGhpcy1pcy1hLXNpZ25hdHVyZQ',
};

describe('findSecretCandidates', () => {
  it.each(Object.entries(TOKENS))('finds a %s token under any name', (_kind, token) => {
    const found = inEnv('SETTING', token);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ at: 'env.SETTING', value: token, proposedName: 'srv-SETTING' });
    expect(found[0]!.withReference('${secret:s}')).toBe('${secret:s}');
  });

  it.each([
    ['API_KEY', 'abc123xyz789'],
    ['DB_PASSWORD', 'Hunter2Hunter2'],
    ['CLIENT_SECRET', 'q8f7s6d5a4'],
    ['SERVICE_PAT', 'Xy7Pq2Lm9Zr4'],
    ['STRIPE_KEY', 'v4lu3-0f-k3y'],
  ])('finds %s with a real value', (key, value) => {
    expect(inEnv(key, value)).toMatchObject([{ at: `env.${key}`, value }]);
  });

  it('finds a header credential and keeps the Bearer scheme in the reference', () => {
    const found = findSecretCandidates('api', {
      headers: { Authorization: 'Bearer abcdef123456', 'X-Api-Key': 'K3yK3yK3y' },
    });
    expect(found.map((c) => [c.at, c.value, c.withReference('${secret:n}')])).toEqual([
      ['headers.Authorization', 'abcdef123456', 'Bearer ${secret:n}'],
      ['headers.X-Api-Key', 'K3yK3yK3y', '${secret:n}'],
    ]);
  });

  it('finds a URL with a password (the whole URL moves)', () => {
    const url = 'postgres://app:s3cr3t@db.internal:5432/app';
    const [found] = inEnv('DATABASE_URL', url);
    expect(found).toMatchObject({ at: 'env.DATABASE_URL', value: url });
    expect(found!.withReference('${secret:db}')).toBe('${secret:db}');
  });

  it.each([
    ['GITHUB_TOKEN', '${env:GITHUB_TOKEN}'],
    ['GITHUB_TOKEN', '${secret:github}'],
    ['Authorization', 'Bearer ${env:TOKEN}'],
    ['Authorization', 'Bearer ${secret:tok}'],
    ['TOKEN_FILE', '/home/me/.config/token'],
    ['TOKEN_FILE', '~/.token'],
    ['KEY_PATH', './keys/id_ed25519'],
    ['PRIVATE_KEY', 'C:\\keys\\id.pem'],
    ['AUTH_URL', 'https://auth.example.com/oauth/token'],
    ['DATABASE_URL', 'postgres://app@db:5432/app'],
    ['USE_AUTH', 'true'],
    ['AUTH_MODE', 'read-only'],
    ['SECRET_ENV', 'production'],
    ['TOKEN_TTL', '3600000'],
    ['API_KEY', 'abc12'],
    ['HOME', 'Xy7Pq2Lm9Zr4'],
  ])('leaves %s = %j alone', (key, value) => {
    expect(inEnv(key, value)).toEqual([]);
  });

  it('moves only the password of a URL in args or url, where the reference then stands', () => {
    const entry = {
      command: 'npx',
      args: ['-y', '@modelcontextprotocol/server-postgres', 'postgresql://app:s3cr%40t@db.local:5432/app'],
    };
    const [found] = findSecretCandidates('db', entry);
    expect(found).toMatchObject({ at: 'args[2]', value: 's3cr%40t', proposedName: 'db-password' });
    const written = structuredClone(entry);
    found!.put(written, found!.withReference('${secret:db-password}'));
    expect(written.args[2]).toBe('postgresql://app:${secret:db-password}@db.local:5432/app');
    expect(entry.args[2]).toContain('s3cr%40t'); // the entry it was found in is not touched

    const [remote] = findSecretCandidates('r', { url: 'https://user:hunter22@mcp.example.com/mcp' });
    expect(remote).toMatchObject({ at: 'url', value: 'hunter22' });
    // No password, or one that is a reference already: nothing to move.
    expect(findSecretCandidates('r', { url: 'https://user@mcp.example.com/mcp' })).toEqual([]);
    expect(findSecretCandidates('r', { args: ['postgresql://app:${secret:x}@h/db'] })).toEqual([]);
  });

  it('ignores values that are not strings and fields other than env, headers, args and url', () => {
    expect(
      findSecretCandidates('s', {
        env: { API_KEY: 12345678, TOKEN: null },
        args: [TOKENS.github],
        command: TOKENS.github,
      }),
    ).toEqual([]);
  });

  it.each([
    ['github', 'GITHUB_TOKEN', 'github-GITHUB_TOKEN'],
    ['my server', 'X-Api-Key', 'my-server-X-Api-Key'],
    ['_weird', '@@Auth Token!!', 'weird--Auth-Token-'],
    ['', '---', 'secret-'],
    ['сервер', 'токен', 'secret-'],
    ['s', 'k.e.y', 's-k.e.y'],
  ])('proposes a valid keyring name for server %j, key %j', (server, key, name) => {
    const [found] = findSecretCandidates(server, { headers: { [key]: TOKENS.github } });
    expect(found?.proposedName).toBe(name);
    expect(found?.proposedName).toMatch(SECRET_NAME_PATTERN);
  });

  it('cuts a long proposed name to what a secret name may hold', () => {
    const [found] = findSecretCandidates('s'.repeat(100), { env: { ['K'.repeat(100)]: TOKENS.github } });
    expect(found?.proposedName).toMatch(SECRET_NAME_PATTERN);
    expect(found?.proposedName.length).toBeLessThanOrEqual(128);
  });
});
