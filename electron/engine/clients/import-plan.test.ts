import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ImportChoice } from '../../shared/clients.js';
import { clientSpec } from './client-catalog.js';
import { readClientDocument, type ClientDocument } from './client-document.js';
import { ClientError } from './client-error.js';
import type { TranslateContext } from './entry-translate.js';
import { planImport, type SecretLookup } from './import-plan.js';

let dir: string;
let ctx: TranslateContext;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'sb-import-plan-'));
  ctx = { home: dir, readEnvFile: () => ({}) };
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const GH = `ghp_${'Ab3d'.repeat(9)}`;
const GH_HINT = `…${GH.slice(-4)}`;
const GITHUB = { command: 'npx', args: ['-y', 'gh'], env: { GITHUB_TOKEN: GH } };
const REF = '${secret:github-GITHUB_TOKEN}';

/** A Claude Desktop file holding these servers, read as the import reads it. */
async function docWith(servers: Record<string, unknown>): Promise<ClientDocument> {
  const file = path.join(dir, 'claude_desktop_config.json');
  writeFileSync(file, JSON.stringify({ mcpServers: servers }, null, 2));
  return readClientDocument(clientSpec('claude-desktop'), file);
}

/** A keyring holding these values. */
const keyring =
  (values: Record<string, string> = {}): SecretLookup =>
  (name) =>
    Promise.resolve(values[name]);

async function plan(
  servers: Record<string, unknown>,
  options: {
    existing?: Record<string, unknown>;
    choices?: Record<string, ImportChoice>;
    moveSecrets?: boolean;
    lookup?: SecretLookup;
  } = {},
) {
  return planImport(
    await docWith(servers),
    ctx,
    options.existing ?? {},
    { choices: options.choices ?? {}, moveSecrets: options.moveSecrets ?? true },
    options.lookup ?? keyring(),
  );
}

async function conflictOf(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(error).toBeInstanceOf(ClientError);
  expect((error as ClientError).kind).toBe('conflict');
  return (error as ClientError).message;
}

describe('planImport', () => {
  it('adds a new server with its credential moved to the keyring', async () => {
    const { dto, writes } = await plan({ github: GITHUB });
    const config = { type: 'stdio', command: 'npx', args: ['-y', 'gh'], env: { GITHUB_TOKEN: REF } };
    expect(dto.servers).toEqual([
      {
        name: 'github',
        as: 'github',
        action: 'add',
        conflict: 'none',
        config,
        secrets: [{ at: 'env.GITHUB_TOKEN', secret: 'github-GITHUB_TOKEN', hint: GH_HINT }],
        inClear: [],
        notes: [],
      },
    ]);
    expect(dto).toMatchObject({ client: 'claude-desktop', bridges: [], moveSecrets: true, applied: false });
    expect(writes.servers).toEqual({ github: config });
    expect([...writes.secrets]).toEqual([['github-GITHUB_TOKEN', GH]]);
    expect(JSON.stringify(dto)).not.toContain(GH);
  });

  it('lists bridges apart, leaves out what cannot run, and cleans up names', async () => {
    const { dto, writes } = await plan({
      sb: { command: 'switchboard', args: ['connect', '--all'] },
      broken: { args: ['x'] },
      'my server!': { command: 'x' },
    });
    expect(dto.bridges).toEqual(['sb']);
    expect(dto.servers.map((s) => [s.name, s.as, s.action])).toEqual([
      ['broken', 'broken', 'skip'],
      ['my server!', 'my-server-', 'add'],
    ]);
    expect(dto.servers[1]!.notes).toEqual([expect.stringContaining('it becomes "my-server-"')]);
    expect(Object.keys(writes.servers)).toEqual(['my-server-']);
  });

  describe('conflicts', () => {
    const other = { command: 'something-else' };

    it('skips a different server of the same name by default, with a note', async () => {
      const { dto, writes } = await plan({ github: GITHUB }, { existing: { github: other } });
      expect(dto.servers[0]).toMatchObject({ action: 'skip', conflict: 'different', secrets: [] });
      expect(dto.servers[0]!.notes).toContainEqual(
        expect.stringContaining('Switchboard has a different "github"'),
      );
      expect(writes.servers).toEqual({});
      expect(writes.secrets.size).toBe(0);
      expect(JSON.stringify(dto)).not.toContain(GH);
    });

    it('sees the same config, even where Switchboard holds ${secret:X} with the same value', async () => {
      const existing = {
        github: { command: 'npx', args: ['-y', 'gh'], env: { GITHUB_TOKEN: '${secret:gh}' } },
      };
      const same = await plan({ github: GITHUB }, { existing, lookup: keyring({ gh: GH }) });
      expect(same.dto.servers[0]).toMatchObject({ action: 'skip', conflict: 'same' });
      expect(same.dto.servers[0]!.notes.join(' ')).not.toContain('different');
      const changed = await plan({ github: GITHUB }, { existing, lookup: keyring({ gh: 'another-value' }) });
      expect(changed.dto.servers[0]).toMatchObject({ conflict: 'different' });
    });

    it('sees a clash between two of the client’s own servers', async () => {
      const { dto, writes } = await plan({ 'a b': { command: 'one' }, 'a-b': { command: 'two' } });
      expect(dto.servers.map((s) => [s.as, s.action, s.conflict])).toEqual([
        ['a-b', 'add', 'none'],
        ['a-b', 'skip', 'different'],
      ]);
      expect(writes.servers).toEqual({ 'a-b': { type: 'stdio', command: 'one', args: [], env: {} } });
    });

    it('renames to a proposed free name', async () => {
      const { dto, writes } = await plan(
        { github: GITHUB },
        { existing: { github: other, 'github-claude': other }, choices: { github: { action: 'rename' } } },
      );
      expect(dto.servers[0]).toMatchObject({
        as: 'github-claude-2',
        action: 'rename',
        conflict: 'different',
      });
      expect(Object.keys(writes.servers)).toEqual(['github-claude-2']);
      expect([...writes.secrets.keys()]).toEqual(['github-claude-2-GITHUB_TOKEN']);
    });

    it('renames to the name given', async () => {
      const { dto, writes } = await plan(
        { github: GITHUB },
        { existing: { github: other }, choices: { github: { action: 'rename', as: ' gh2 ' } } },
      );
      expect(dto.servers[0]).toMatchObject({ as: 'gh2', action: 'rename' });
      expect(writes.servers.gh2).toMatchObject({ env: { GITHUB_TOKEN: '${secret:gh2-GITHUB_TOKEN}' } });
    });

    it('refuses an invalid or taken new name', async () => {
      const existing = { github: other, taken: other };
      const rename = (as: string) =>
        plan({ github: GITHUB }, { existing, choices: { github: { action: 'rename', as } } });
      expect(await conflictOf(rename('bad name!'))).toContain('is not a valid server name');
      expect(await conflictOf(rename('-x'))).toContain('is not a valid server name');
      expect(await conflictOf(rename('taken'))).toContain('is taken already');
      expect(await conflictOf(rename('github'))).toContain('is taken already');
    });

    it('refuses a rename onto a name this import adds', async () => {
      const message = await conflictOf(
        plan({ a: { command: 'a' }, b: { command: 'b' } }, { choices: { b: { action: 'rename', as: 'a' } } }),
      );
      expect(message).toContain('"a" (for "b") is taken already');
    });

    it('refuses to add onto a taken name', async () => {
      const message = await conflictOf(
        plan({ github: GITHUB }, { existing: { github: other }, choices: { github: { action: 'add' } } }),
      );
      expect(message).toContain('a server named "github" exists already');
    });

    it('replaces when asked (and a replace without a conflict is an add)', async () => {
      const replaced = await plan(
        { github: GITHUB },
        { existing: { github: other }, choices: { github: { action: 'replace' } } },
      );
      expect(replaced.dto.servers[0]).toMatchObject({
        as: 'github',
        action: 'replace',
        conflict: 'different',
      });
      expect(replaced.writes.servers.github).toMatchObject({ command: 'npx', env: { GITHUB_TOKEN: REF } });
      const added = await plan({ github: GITHUB }, { choices: { github: { action: 'replace' } } });
      expect(added.dto.servers[0]).toMatchObject({ action: 'add', conflict: 'none' });
    });
  });

  describe('secrets', () => {
    it('takes a -2 name when the keyring holds a different value under the proposed one', async () => {
      const { dto, writes } = await plan(
        { github: GITHUB },
        {
          lookup: keyring({ 'github-GITHUB_TOKEN': 'someone-elses', 'github-GITHUB_TOKEN-2': 'also-taken' }),
        },
      );
      expect(dto.servers[0]!.secrets).toEqual([
        { at: 'env.GITHUB_TOKEN', secret: 'github-GITHUB_TOKEN-3', hint: GH_HINT },
      ]);
      expect(writes.servers.github!.env).toEqual({ GITHUB_TOKEN: '${secret:github-GITHUB_TOKEN-3}' });
      expect([...writes.secrets]).toEqual([['github-GITHUB_TOKEN-3', GH]]);

      const once = await plan(
        { github: GITHUB },
        { lookup: keyring({ 'github-GITHUB_TOKEN': 'someone-elses' }) },
      );
      expect(once.dto.servers[0]!.secrets[0]!.secret).toBe('github-GITHUB_TOKEN-2');
    });

    it('reuses the proposed name when the keyring holds the same value', async () => {
      const { dto, writes } = await plan(
        { github: GITHUB },
        { lookup: keyring({ 'github-GITHUB_TOKEN': GH }) },
      );
      expect(dto.servers[0]!.secrets[0]!.secret).toBe('github-GITHUB_TOKEN');
      expect(writes.servers.github!.env).toEqual({ GITHUB_TOKEN: REF });
    });

    it('with moveSecrets false, writes the literal values and shows only hints', async () => {
      const remote = { url: 'https://api.example/mcp', headers: { Authorization: `Bearer ${GH}` } };
      const { dto, writes } = await plan({ github: GITHUB, remote }, { moveSecrets: false });
      expect(writes.servers.github!.env).toEqual({ GITHUB_TOKEN: GH });
      expect(writes.servers.remote!.headers).toEqual({ Authorization: `Bearer ${GH}` });
      expect(writes.secrets.size).toBe(0);
      expect(dto.moveSecrets).toBe(false);
      expect(dto.servers[0]!.config.env).toEqual({ GITHUB_TOKEN: GH_HINT });
      expect(dto.servers[1]!.config.headers).toEqual({ Authorization: `Bearer ${GH_HINT}` });
      expect(dto.servers.map((s) => s.secrets)).toEqual([[], []]);
      expect(dto.servers.map((s) => s.inClear)).toEqual([['env.GITHUB_TOKEN'], ['headers.Authorization']]);
      expect(dto.servers[0]!.notes).toEqual([
        'env.GITHUB_TOKEN looks like a secret and stays in the config file as it is',
      ]);
      expect(JSON.stringify(dto)).not.toContain(GH);
    });

    it('keeps the values in the entries when the keyring cannot be read, saying why once', async () => {
      let asked = 0;
      const broken: SecretLookup = () => {
        asked++;
        return Promise.reject(new Error('no D-Bus session'));
      };
      const { dto, writes } = await plan(
        { github: GITHUB, other: { command: 'o', env: { API_KEY: 'k3y-k3y-k3y-k3y' } } },
        { lookup: broken },
      );
      const notes = dto.servers.flatMap((s) => s.notes);
      const why = notes.filter((n) => n.includes('no D-Bus session'));
      expect(why).toHaveLength(1);
      expect(why[0]).toMatch(/stays in the config file as it is: the OS keyring cannot be reached/);
      expect(notes.filter((n) => n.includes('cannot be reached'))).toHaveLength(2);
      expect(asked).toBe(1);
      expect(dto.moveSecrets).toBe(false);
      expect(dto.servers.map((s) => [s.as, s.action, s.secrets, s.inClear])).toEqual([
        ['github', 'add', [], ['env.GITHUB_TOKEN']],
        ['other', 'add', [], ['env.API_KEY']],
      ]);
      expect(writes.secrets.size).toBe(0);
      expect(writes.servers.other).toMatchObject({ env: { API_KEY: 'k3y-k3y-k3y-k3y' } });
      expect(JSON.stringify(dto)).not.toContain('k3y-k3y-k3y-k3y');
    });
  });
});
