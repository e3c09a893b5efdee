import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { MemorySecretStore, SecretStoreError, type SecretStore } from '../engine/index.js';
import { clientsCommand, parseClientArgs } from './clients-command.js';
import { CliError, UsageError } from './usage-error.js';

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

/** A keyring that cannot be reached, like a headless box without a Secret Service. */
class UnreachableStore extends MemorySecretStore {
  override async get(): Promise<string | undefined> {
    throw new SecretStoreError('no Secret Service on this bus');
  }
}

async function run(
  command: 'clients' | 'import' | 'install' | 'uninstall',
  argv: string[],
  secrets: SecretStore,
) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  stdout.on('data', (c: Buffer) => (out += c.toString()));
  const home = dir!;
  const code = await clientsCommand(
    command,
    argv,
    { stdin: new PassThrough(), stdout, stderr, cwd: home },
    {
      secrets,
      homedir: home,
      platform: 'linux',
      env: { SWITCHBOARD_HOME: path.join(home, 'sb'), PATH: '' },
    },
  );
  return { code, out };
}

describe('switchboard import without a reachable keyring', () => {
  const token = 'ghp_0123456789abcdefghijABCDEFGHIJ012345';
  const cursor = () => {
    dir = mkdtempSync(path.join(tmpdir(), 'sb-clients-cli-'));
    mkdirSync(path.join(dir, '.cursor'));
    writeFileSync(
      path.join(dir, '.cursor', 'mcp.json'),
      JSON.stringify({ mcpServers: { gh: { command: 'npx', env: { GITHUB_TOKEN: token } } } }),
    );
    return path.join(dir, 'sb', 'config.json');
  };

  it('imports nothing rather than write the credential in clear, and says the two ways on', async () => {
    const configFile = cursor();
    const refused = await run('import', ['cursor'], new UnreachableStore()).catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(CliError);
    const message = (refused as Error).message;
    expect(message).toContain('the OS keyring cannot be reached (no Secret Service on this bus)');
    expect(message).toContain('gh: env.GITHUB_TOKEN');
    expect(message).toContain('--keep-secrets');
    expect(message).not.toContain(token);
    expect(existsSync(configFile)).toBe(false);
  });

  it('with --keep-secrets, imports and keeps the credential in the config file, saying so', async () => {
    const configFile = cursor();
    const result = await run('import', ['cursor', '--keep-secrets'], new UnreachableStore());
    expect(result.code).toBe(0);
    expect(result.out).toContain('note: env.GITHUB_TOKEN looks like a secret and stays in the config file');
    expect(result.out).toContain('Imported 1 server.');
    expect(result.out).toContain(
      `Values that look like secrets are in clear in ${configFile} (gh: env.GITHUB_TOKEN).`,
    );
    expect(result.out).not.toContain(token);
    const config = JSON.parse(readFileSync(configFile, 'utf8')) as {
      mcpServers: { gh: { env: Record<string, string> } };
    };
    expect(config.mcpServers.gh.env.GITHUB_TOKEN).toBe(token);
  });
});

describe('switchboard uninstall --dry-run', () => {
  it('says what the undo would do and changes nothing; the undo then does it', async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'sb-clients-cli-'));
    mkdirSync(path.join(dir, '.cursor'));
    const file = path.join(dir, '.cursor', 'mcp.json');
    const original = JSON.stringify({ mcpServers: { echo: { command: 'node', args: ['echo.mjs'] } } });
    writeFileSync(file, original);
    const secrets = new MemorySecretStore();
    expect((await run('install', ['cursor'], secrets)).code).toBe(0);
    const installed = readFileSync(file, 'utf8');
    expect(installed).not.toBe(original);

    const preview = await run('uninstall', ['cursor', '--dry-run'], secrets);
    expect(preview.code).toBe(0);
    expect(preview.out).toContain(`Would restore ${file} as it was before the install.`);
    expect(preview.out).toContain('Nothing was changed (--dry-run).');
    expect(readFileSync(file, 'utf8')).toBe(installed);

    expect((await run('uninstall', ['cursor'], secrets)).out).toContain(`Restored ${file}`);
    expect(readFileSync(file, 'utf8')).toBe(original);
  });
});

describe('parseClientArgs', () => {
  it('reads each command with its own options', () => {
    expect(parseClientArgs('import', ['cursor', '--dry-run', '--on-conflict', 'rename'])).toMatchObject({
      client: 'cursor',
      dryRun: true,
      onConflict: 'rename',
    });
    expect(parseClientArgs('install', ['codex', '--aggregate', '--keep-secrets'])).toMatchObject({
      client: 'codex',
      aggregate: true,
      keepSecrets: true,
    });
    expect(parseClientArgs('uninstall', ['vscode', '--force'])).toMatchObject({
      client: 'vscode',
      force: true,
    });
    expect(parseClientArgs('clients', ['--json'])).toMatchObject({ json: true });
    expect(parseClientArgs('install', ['--help']).help).toBe(true);
  });

  it.each([
    ['import', [], /name the client: switchboard import CLIENT, one of claude-desktop/],
    ['import', ['notepad'], /unknown client "notepad"/],
    ['install', ['cursor', '--force'], /--force does not apply to `switchboard install`/],
    ['uninstall', ['cursor', '--aggregate'], /--aggregate does not apply/],
    [
      'import',
      ['cursor', '--on-conflict', 'merge'],
      /--on-conflict takes skip, rename or replace, not "merge"/,
    ],
    ['import', ['cursor', 'extra'], /unexpected extra/],
    ['clients', ['cursor'], /unexpected cursor/],
    ['import', ['cursor', '--bogus'], /bogus/],
  ] as const)('%s %j is a usage error', (command, argv, message) => {
    expect(() => parseClientArgs(command, [...argv])).toThrow(UsageError);
    expect(() => parseClientArgs(command, [...argv])).toThrow(message);
  });
});
