import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  keyringUnavailableReason,
  startKeyringSession,
  type KeyringSession,
} from '../helpers/keyring-session.js';
import { runSwitchboard } from '../helpers/switchboard-cli.js';
import { SWITCHBOARD, waitUntil } from '../integration/run-harness.js';

/**
 * `switchboard import` from a shell that cannot reach the keyring (an SSH session, say), while an
 * engine runs that can: the engine does the import, and the token lands in its keyring, not in
 * the config file.
 */
const unavailable = keyringUnavailableReason();
const TOKEN = 'ghp_ThroughTheEngine0123456789abcdefABCD';

describe.skipIf(unavailable !== undefined)(`import with an engine running ${unavailable ?? ''}`, () => {
  let session: KeyringSession;
  let serve: ChildProcess;
  let home: string;
  let sbHome: string;

  beforeAll(async () => {
    session = await startKeyringSession();
    home = session.env.HOME!;
    sbHome = path.join(home, 'sb');
    mkdirSync(path.join(home, '.cursor'), { recursive: true });
    writeFileSync(
      path.join(home, '.cursor', 'mcp.json'),
      JSON.stringify({
        mcpServers: { gh: { command: 'npx', args: ['gh-mcp'], env: { GITHUB_TOKEN: TOKEN } } },
      }),
    );
    serve = spawn(process.execPath, [SWITCHBOARD, 'serve', '--port', '0'], {
      env: { ...process.env, ...session.env, SWITCHBOARD_HOME: sbHome, SWITCHBOARD_CONFIG: '' },
      stdio: 'ignore',
    });
    await waitUntil(() => existsSync(path.join(sbHome, 'engine.json')), 20_000, 'the engine to start');
  }, 40_000);

  afterAll(async () => {
    if (serve?.exitCode === null) {
      const exited = new Promise((resolve) => serve.once('exit', resolve));
      serve.kill('SIGTERM');
      await exited;
    }
    await session?.stop();
  });

  it('moves the token into the engine’s keyring though this shell has none', async () => {
    const noKeyring = {
      ...process.env,
      HOME: home,
      SWITCHBOARD_HOME: sbHome,
      SWITCHBOARD_CONFIG: '',
      DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/bus',
    };
    const imported = await runSwitchboard(['import', 'cursor'], { env: noKeyring, cwd: home });
    expect(imported.err).toBe('');
    expect(imported.code).toBe(0);
    expect(imported.out).toContain('env.GITHUB_TOKEN → keyring secret');
    const config = readFileSync(path.join(sbHome, 'config.json'), 'utf8');
    expect(config).not.toContain(TOKEN);
    expect(config).toContain('${secret:gh-GITHUB_TOKEN}');
    const listed = await runSwitchboard(['secret', 'list'], {
      env: { ...noKeyring, ...session.env, SWITCHBOARD_HOME: sbHome },
    });
    expect(listed.out).toMatch(/gh-GITHUB_TOKEN/);
  });
});
