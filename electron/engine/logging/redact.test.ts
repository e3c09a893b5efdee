import { describe, expect, it } from 'vitest';
import { isSensitiveKey, redact, redactText, REDACTED } from './redact.js';

describe('isSensitiveKey', () => {
  it.each([
    'password',
    'PASSWORD',
    'db_password',
    'passwd',
    'passphrase',
    'secret',
    'client_secret',
    'clientSecret',
    'token',
    'GITHUB_TOKEN',
    'access_token',
    'accessToken',
    'accesstoken',
    'refresh-token',
    'id_token',
    'x-auth-token',
    'api_key',
    'apiKey',
    'API-KEY',
    'X-Api-Key',
    'OPENAI_API_KEY',
    'apikey',
    'private_key',
    'privateKey',
    'AWS_SECRET_ACCESS_KEY',
    'Authorization',
    'proxy-authorization',
    'cookie',
    'Set-Cookie',
    'credentials',
    'credential',
    'auth',
    'pwd',
  ])('%s is sensitive', (key) => {
    expect(isSensitiveKey(key)).toBe(true);
  });

  it.each([
    'name',
    'path',
    'session',
    'sessionId',
    'key',
    'keyword',
    'monkey',
    'author',
    'authMode',
    'max_tokens',
    'tokenizer',
    'token_count',
    'tokenCount',
    'token_type',
    'secretName',
    'passwordFile',
    'credentials_path',
    'query',
    'id',
  ])('%s is not sensitive', (key) => {
    expect(isSensitiveKey(key)).toBe(false);
  });
});

describe('redactText', () => {
  it.each([
    ['Authorization: Bearer abc123def456ghi', 'Authorization: [redacted]'],
    ['Authorization: Basic dXNlcjpwYXNzd29yZA==', 'Authorization: [redacted]'],
    ['sent Bearer abc123def456ghi to it', 'sent Bearer [redacted] to it'],
    ['header basic dXNlcjpwYXNz end', 'header basic [redacted] end'],
    ['Cookie: a=b; session=xyz', 'Cookie: [redacted]'],
    ['key sk-ant-api03-abcdefghijklmnop1234 here', 'key [redacted] here'],
    ['sk-proj-abcdefghijklmnopqrstuv', '[redacted]'],
    ['stripe sk_live_abcdefghijklmnop1234', 'stripe [redacted]'],
    ['gh ghp_abcdefghijklmnopqrstuvwxyz0123456789 x', 'gh [redacted] x'],
    ['gh gho_abcdefghijklmnopqrstuvwxyz0123456789 x', 'gh [redacted] x'],
    ['github_pat_11ABCDEFG0123456789_abcdefghijklmnop', '[redacted]'],
    ['slack xoxb-1234567890-abcdefghij done', 'slack [redacted] done'],
    ['slack xoxp-1234567890-abcdefghij done', 'slack [redacted] done'],
    ['aws AKIAIOSFODNN7EXAMPLE key', 'aws [redacted] key'],
    [
      'jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U end',
      'jwt [redacted] end',
    ],
    ['hex 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08 end', 'hex [redacted] end'],
    ['b64 q8Jx2LmR9vTzK4pYw7NbC1dF6hGs3EaU0oIiVrXe end', 'b64 [redacted] end'],
    ['GET /x?user=bob&password=hunter2&page=2', 'GET /x?user=bob&password=[redacted]&page=2'],
    ['url=https://h/?password=x&q=1', 'url=https://h/?password=[redacted]&q=1'],
    ['run --api-key=abc123 --verbose', 'run --api-key=[redacted] --verbose'],
    ['PASSWORD="abc def" OTHER=1', 'PASSWORD="[redacted]" OTHER=1'],
    ['Server=db;User Id=sa;Password=p4ss;', 'Server=db;User Id=sa;Password=[redacted];'],
    ['postgres://admin:s3cret@db.local:5432/app', 'postgres://admin:[redacted]@db.local:5432/app'],
    ['error: token: abc123 failed', 'error: token: [redacted] failed'],
    ['password: hunter2', 'password: [redacted]'],
    [
      '{"user":"bob","password":"hunter2","n":1,"api_key":"abc","token_count":5}',
      '{"user":"bob","password":"[redacted]","n":1,"api_key":"[redacted]","token_count":5}',
    ],
    ['{"secret": 12345, "enabled": true}', '{"secret": [redacted], "enabled": true}'],
    ['{"token": "a \\" quote"}', '{"token": "[redacted]"}'],
    ['-----BEGIN RSA PRIVATE KEY-----\nMIIEow\nabc\n-----END RSA PRIVATE KEY----- after', '[redacted] after'],
    ['cut -----BEGIN PRIVATE KEY-----\nMIIEow', 'cut [redacted]'],
  ])('%j → %j', (input, expected) => {
    expect(redactText(input)).toBe(expected);
  });

  it.each([
    'The bearer of this letter is trusted. Basic usage: run it.',
    'read the file /home/alice/projects/MyApplication/src/components/SettingsDialog.vue',
    'node_modules/@modelcontextprotocol/server-filesystem/dist/index.js',
    'call getUserProfileInformationFromDatabaseService now',
    'createVeryLongFunctionNameForTesting2024Version',
    'MAX_RETRY_COUNT_FOR_UPSTREAM_SERVICES=3',
    'request 550e8400-e29b-41d4-a716-446655440000 done',
    'stored as r-0123456789abcdef',
    'number 1234567890123456789012345678901234567890',
    'at 12:30:45 in C:\\Users\\bob\\Documents',
    'https://example.com/search?q=weather&page=2',
    'Error: the server did not answer in time',
    'max_tokens=1024 temperature=0.2',
    'hello, world',
    'sk-short',
    '',
  ])('leaves %j alone', (input) => {
    expect(redactText(input)).toBe(input);
  });

  it('is idempotent', () => {
    const once = redactText('Authorization: Bearer abc123def456ghi; {"password":"x"} password=y');
    expect(redactText(once)).toBe(once);
  });

  it('redacts every secret of a line, not only the first', () => {
    const line = 'a=1 token=t1 b=2 secret=s2 c=3';
    expect(redactText(line)).toBe('a=1 token=[redacted] b=2 secret=[redacted] c=3');
  });

  it('handles long input in bounded time', () => {
    const text = `${'x'.repeat(200_000)} token=abc ${'-----BEGIN PRIVATE KEY----- '.repeat(100)}`;
    const out = redactText(text);
    expect(out).toContain('token=[redacted]');
    expect(out.length).toBeLessThan(text.length);
  });
});

describe('redact', () => {
  it('replaces values under sensitive keys at any depth, keeps booleans and null', () => {
    const input = {
      user: 'bob',
      password: 'hunter2',
      nested: { apiKey: 'y', list: [{ client_secret: { deep: 1 } }], ok: true },
      tokenCount: 3,
      token: null,
      passwordRequired: false,
      headers: { Authorization: 'Bearer abcdefgh1234', Accept: 'application/json' },
    };
    expect(redact(input)).toEqual({
      user: 'bob',
      password: REDACTED,
      nested: { apiKey: REDACTED, list: [{ client_secret: REDACTED }], ok: true },
      tokenCount: 3,
      token: null,
      passwordRequired: false,
      headers: { Authorization: REDACTED, Accept: 'application/json' },
    });
  });

  it('redacts secret-looking substrings of any string and leaves the input untouched', () => {
    const input = { query: 'find Bearer abc123def456ghi please', path: '/srv/app/config.json', n: 5 };
    const out = redact(input);
    expect(out).toEqual({ query: 'find Bearer [redacted] please', path: '/srv/app/config.json', n: 5 });
    expect(input.query).toBe('find Bearer abc123def456ghi please');
  });

  it('keeps ordinary values as they are', () => {
    const input = {
      id: '550e8400-e29b-41d4-a716-446655440000',
      name: 'read_file',
      arguments: { path: '/home/me/notes/todo.md', limit: 10, flags: ['a', 'b'] },
    };
    expect(redact(input)).toEqual(input);
  });

  it('copies only what it changes: clean parts come back as the same objects', () => {
    const clean = { path: '/home/me/notes/todo.md', flags: ['a', 'b'] };
    const input = { arguments: clean, list: [1, { token: 'x1' }, 3], name: 'read_file' };
    const out = redact(input) as typeof input;
    expect(redact(clean)).toBe(clean);
    expect(out).not.toBe(input);
    expect(out.arguments).toBe(clean);
    expect(out.list).toEqual([1, { token: '[redacted]' }, 3]);
    expect(input.list[1]).toEqual({ token: 'x1' });
    expect(Object.keys(out)).toEqual(['arguments', 'list', 'name']);
    expect(redact({ a: 1, f: () => 1 })).toEqual({ a: 1, f: undefined });
  });

  it('survives cycles and marks them', () => {
    const a: Record<string, unknown> = { name: 'a' };
    a.self = a;
    a.list = [a];
    expect(redact(a)).toEqual({ name: 'a', self: '[circular]', list: ['[circular]'] });
  });

  it('copies a value shared twice (not a cycle) both times', () => {
    const shared = { v: 1 };
    expect(redact({ x: shared, y: shared })).toEqual({ x: { v: 1 }, y: { v: 1 } });
  });

  it('bounds depth', () => {
    let deep: Record<string, unknown> = { leaf: true };
    for (let i = 0; i < 50; i++) deep = { next: deep };
    let out = redact(deep, { maxDepth: 5 }) as Record<string, unknown>;
    for (let i = 0; i < 5; i++) out = out.next as Record<string, unknown>;
    expect(out).toBe('[too deep]');
  });

  it('bounds the work on huge values', () => {
    const big = Array.from({ length: 10_000 }, (_, i) => i);
    const out = redact(big, { maxNodes: 100 }) as unknown[];
    expect(out.slice(0, 99)).toEqual(big.slice(0, 99));
    expect(out[500]).toBe('[cut]');
  });

  it('cuts long strings without exposing a secret cut in half', () => {
    const secret = 'ghp_abcdefghijklmnopqrstuvwxyz0123456789';
    const out = redact(`${'a '.repeat(40)}${secret}${' b'.repeat(100)}`, { maxStringChars: 90 }) as string;
    expect(out).not.toContain('ghp_');
    expect(out).toMatch(/more characters\]$/);
  });

  it('passes primitives through', () => {
    expect(redact(3)).toBe(3);
    expect(redact(null)).toBe(null);
    expect(redact(undefined)).toBe(undefined);
    expect(redact('password=x')).toBe('password=[redacted]');
  });
});
