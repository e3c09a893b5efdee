import { randomBytes } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  keyringUnavailableReason,
  startKeyringSession,
  type KeyringSession,
} from '../helpers/keyring-session.js';
import { ECHO_SERVER } from '../integration/run-harness.js';
import { filesContaining, runSwitchboard, type CliResult } from '../helpers/switchboard-cli.js';

// `switchboard clients|import|install|uninstall` as a person runs them: the built CLI, client files
// in a throw-away HOME, secrets in a real (private) OS keyring. Needs `npm run build`.

const unavailable = keyringUnavailableReason();

describe.skipIf(unavailable !== undefined)(
  `switchboard import/install/uninstall${unavailable ? ` (skipped: ${unavailable})` : ''}`,
  () => {
    let session: KeyringSession;
    let env: NodeJS.ProcessEnv;
    let homeDir: string;
    let sbHome: string;
    const token = `ghp_${randomBytes(18).toString('hex')}`;
    const printed: string[] = [];
    const cursorFile = () => path.join(homeDir, '.cursor', 'mcp.json');
    const desktopFile = () => path.join(homeDir, '.config', 'Claude', 'claude_desktop_config.json');
    const codexFile = () => path.join(homeDir, '.codex', 'config.toml');
    const configFile = () => path.join(sbHome, 'config.json');

    const cursorText = [
      '{',
      '  // servers for every Cursor window',
      '  "mcpServers": {',
      `    "echo": { "command": ${JSON.stringify(process.execPath)}, "args": [${JSON.stringify(ECHO_SERVER)}],`,
      `              "env": { "GITHUB_TOKEN": "${token}" } },`,
      '    "docs": { "url": "https://docs.example.com/mcp", },',
      '  },',
      '}',
      '',
    ].join('\n');

    beforeAll(async () => {
      session = await startKeyringSession();
      homeDir = session.env.HOME!;
      sbHome = path.join(homeDir, 'switchboard-home');
      env = { ...process.env, ...session.env, SWITCHBOARD_HOME: sbHome, SWITCHBOARD_CONFIG: '' };
      mkdirSync(path.dirname(cursorFile()), { recursive: true });
      writeFileSync(cursorFile(), cursorText);
      mkdirSync(path.dirname(desktopFile()), { recursive: true });
      writeFileSync(
        desktopFile(),
        JSON.stringify(
          { mcpServers: { echo: { command: 'uvx', args: ['other-echo'] } }, globalShortcut: '' },
          null,
          2,
        ),
      );
      mkdirSync(path.dirname(codexFile()), { recursive: true });
      writeFileSync(
        codexFile(),
        '# Codex settings\nmodel = "o4-mini"\n\n[mcp_servers.notes]\ncommand = "npx"\nargs = ["-y", "notes-mcp"]\n\n[profiles.fast]\nmodel = "o4-mini"\n',
      );
    });

    afterAll(async () => {
      await session?.stop();
    });

    async function cli(args: string[]): Promise<CliResult> {
      const result = await runSwitchboard(args, { env, cwd: homeDir });
      printed.push(result.out, result.err);
      return result;
    }

    it('lists the clients it finds, with their servers', async () => {
      const listed = await cli(['clients']);
      expect(listed.code).toBe(0);
      expect(listed.out).toMatch(
        new RegExp(`^cursor +${escape(cursorFile())}\\n +servers: echo, docs$`, 'm'),
      );
      expect(listed.out).toMatch(/^claude-desktop +.*\n +servers: echo$/m);
      expect(listed.out).toMatch(/^Not found: .*windsurf/m);
    });

    it('imports with --dry-run without writing, then for real with the token moved into the keyring', async () => {
      const dry = await cli(['import', 'cursor', '--dry-run']);
      expect(dry.code).toBe(0);
      expect(dry.out).toContain('env.GITHUB_TOKEN → keyring secret echo-GITHUB_TOKEN');
      expect(dry.out).toContain('Dry run: nothing was written. Without --dry-run: 2 servers, 1 secret value');
      expect(existsSync(configFile())).toBe(false);

      const done = await cli(['import', 'cursor']);
      expect(done).toMatchObject({ code: 0, err: '' });
      expect(done.out).toContain('Imported 2 servers, 1 secret value into the OS keyring.');
      const config = JSON.parse(readFileSync(configFile(), 'utf8')) as {
        mcpServers: Record<string, unknown>;
      };
      expect(config.mcpServers.echo).toMatchObject({ env: { GITHUB_TOKEN: '${secret:echo-GITHUB_TOKEN}' } });
      expect(config.mcpServers.docs).toEqual({
        type: 'http',
        url: 'https://docs.example.com/mcp',
        headers: {},
      });
      const secrets = JSON.parse((await cli(['secret', 'list', '--json'])).out) as {
        secrets: { name: string; set: boolean; usedBy: string[] }[];
      };
      expect(secrets.secrets).toContainEqual(
        expect.objectContaining({ name: 'echo-GITHUB_TOKEN', set: true, usedBy: ['echo'] }),
      );
      // Importing again finds nothing new: the same servers are there (the secret counts as the same value).
      const again = await cli(['import', 'cursor']);
      expect(again.out).toContain('skipped: Switchboard has the same server');
      expect(again.out).toContain('Imported 0 servers.');
    });

    it('skips a name clash unless told to rename or replace', async () => {
      const skipped = await cli(['import', 'claude-desktop']);
      expect(skipped.out).toContain(
        'echo: uvx other-echo (skipped: Switchboard has a different one (--on-conflict rename|replace))',
      );
      const renamed = await cli(['import', 'claude-desktop', '--on-conflict', 'rename']);
      expect(renamed.code).toBe(0);
      expect(renamed.out).toContain('+ echo as echo-claude: uvx other-echo (added)');
      const config = JSON.parse(readFileSync(configFile(), 'utf8')) as {
        mcpServers: Record<string, unknown>;
      };
      expect(Object.keys(config.mcpServers).sort()).toEqual(['docs', 'echo', 'echo-claude']);
    });

    it('installs with a diff preview and a backup; uninstall restores the bytes', async () => {
      const before = readFileSync(cursorFile());
      const dry = await cli(['install', 'cursor', '--dry-run']);
      expect(dry.code).toBe(0);
      expect(dry.out).toMatch(/^-\s+"env": \{ "GITHUB_TOKEN": "••••[0-9a-f]{4}"/m);
      expect(dry.out).toContain('"connect",');
      expect(readFileSync(cursorFile()).equals(before)).toBe(true);

      const done = await cli(['install', 'cursor']);
      expect(done.code).toBe(0);
      expect(done.out).toContain('the original is kept (undo: switchboard uninstall cursor)');
      const installed = readFileSync(cursorFile(), 'utf8');
      expect(installed).toContain('// servers for every Cursor window'); // the comment survives
      expect(installed).not.toContain(token);
      expect((await cli(['clients'])).out).toMatch(/installed per-server at /);

      const undone = await cli(['uninstall', 'cursor']);
      expect(undone).toMatchObject({ code: 0, err: '' });
      expect(readFileSync(cursorFile()).equals(before)).toBe(true);
      const twice = await cli(['uninstall', 'cursor']);
      expect(twice.code).toBe(1);
      expect(twice.err).toMatch(/nothing to undo/);
    });

    it('refuses to undo over later edits unless --force, keeping the edited file', async () => {
      const before = readFileSync(cursorFile());
      expect((await cli(['install', 'cursor', '--aggregate'])).code).toBe(0);
      appendFileSync(cursorFile(), '\n');
      const refused = await cli(['uninstall', 'cursor']);
      expect(refused.code).toBe(1);
      expect(refused.err).toMatch(/changed after Switchboard's install.*--force/s);
      const forced = await cli(['uninstall', 'cursor', '--force']);
      expect(forced.code).toBe(0);
      const kept = /kept as (\S+)\.\n/.exec(forced.out)?.[1];
      expect(kept && readFileSync(kept, 'utf8')).toMatch(/"connect",\s+"--all"/);
      expect(readFileSync(cursorFile()).equals(before)).toBe(true);
    });

    it('edits Codex TOML in place and undoes it byte for byte', async () => {
      const before = readFileSync(codexFile());
      expect((await cli(['install', 'codex'])).code).toBe(0);
      const text = readFileSync(codexFile(), 'utf8');
      expect(text).toContain('# Codex settings\nmodel = "o4-mini"\n\n[mcp_servers.notes]\ncommand = ');
      expect(text).toMatch(/args = \[.*"connect", "notes"\]/);
      expect(text).toContain('[profiles.fast]');
      expect((await cli(['uninstall', 'codex'])).code).toBe(0);
      expect(readFileSync(codexFile()).equals(before)).toBe(true);
    });

    it('says what is wrong and writes nothing for a broken file or an unknown client', async () => {
      const broken = path.join(homeDir, 'broken.json');
      writeFileSync(broken, '{ "mcpServers": { "a": { "command": "x" } ');
      const config = readFileSync(configFile());
      const result = await cli(['import', 'cursor', '--file', broken]);
      expect(result.code).toBe(1);
      expect(result.err).toMatch(/broken\.json is not valid JSON at line 1, column \d+ .*fix it there/);
      expect(readFileSync(configFile()).equals(config)).toBe(true);
      const unknown = await cli(['import', 'notepad']);
      expect(unknown.code).toBe(2);
      expect(unknown.err).toContain('unknown client "notepad"; the clients are claude-desktop, claude-code');
    });

    it("never printed the token; after the undo only the client's own file holds it", () => {
      for (const text of printed) expect(text).not.toContain(token);
      const holders = filesContaining(homeDir, token).filter((f) => !f.includes('keyrings'));
      expect(holders.map((f) => path.basename(path.dirname(f)) + '/' + path.basename(f)).sort()).toEqual([
        '.cursor/mcp.json',
      ]);
    });
  },
);

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
