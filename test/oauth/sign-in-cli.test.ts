// `switchboard sign-in|sign-out NAME` against a real `switchboard serve` on a real OS keyring (a
// private Secret Service): the engine opens "the browser" ($BROWSER, here a script that follows the
// fixture's redirects), the command waits for the sign-in and the server becomes ready. Needs `npm run build`.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAuthServer, type AuthServer } from '../fixtures/oauth/auth-server.js';
import { startProtectedMcpServer, type ProtectedMcpServer } from '../fixtures/oauth/protected-mcp-server.js';
import {
  keyringUnavailableReason,
  startKeyringSession,
  type KeyringSession,
} from '../helpers/keyring-session.js';
import { REPO, SWITCHBOARD, waitUntil } from '../integration/run-harness.js';
import { runSwitchboard, type CliResult } from '../helpers/switchboard-cli.js';

const unavailable = keyringUnavailableReason();
const FOLLOW_BROWSER = path.join(REPO, 'test/fixtures/oauth/follow-browser.mjs');

describe.skipIf(unavailable !== undefined)(
  `switchboard sign-in${unavailable ? ` (skipped: ${unavailable})` : ''}`,
  () => {
    let keyring: KeyringSession;
    let auth: AuthServer;
    let mcp: ProtectedMcpServer;
    let home: string;
    let env: NodeJS.ProcessEnv;
    let serve: ChildProcess | undefined;
    let serveOutput = '';

    beforeAll(async () => {
      keyring = await startKeyringSession();
      auth = await startAuthServer();
      mcp = await startProtectedMcpServer({ authServer: auth });
      mkdirSync(path.join(REPO, '.tmp-test'), { recursive: true });
      home = mkdtempSync(path.join(REPO, '.tmp-test', 'sign-in-cli-'));
      writeFileSync(
        path.join(home, 'config.json'),
        JSON.stringify({ mcpServers: { web: { type: 'http', url: mcp.url } } }),
      );
      env = {
        ...process.env,
        ...keyring.env,
        SWITCHBOARD_HOME: home,
        SWITCHBOARD_CONFIG: '',
        BROWSER: FOLLOW_BROWSER,
      };
      serve = spawn(process.execPath, [SWITCHBOARD, 'serve', '--port', '0'], {
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      serve.stdout!.on('data', (c: Buffer) => (serveOutput += c.toString()));
      serve.stderr!.on('data', (c: Buffer) => (serveOutput += c.toString()));
      await waitUntil(() => /listening on/.test(serveOutput), 20_000, `serve to listen (${serveOutput})`);
    });

    afterAll(async () => {
      if (serve && serve.exitCode === null) {
        const exited = new Promise((resolve) => serve!.once('exit', resolve));
        serve.kill('SIGTERM');
        await exited;
      }
      await mcp?.close();
      await auth?.close();
      await keyring?.stop();
      if (home) rmSync(home, { recursive: true, force: true });
    });

    function cli(args: string[]): Promise<CliResult> {
      return runSwitchboard(args, { env, timeoutMs: 30_000 });
    }

    async function untilAsync(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
      const deadline = Date.now() + timeoutMs;
      while (!(await check())) {
        if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 200));
      }
    }

    it('waits in needs-auth, signs in through the browser, and signs out', async () => {
      await untilAsync(async () => /needs-auth/.test((await cli(['status'])).out), 20_000, 'needs-auth');
      const signedIn = await cli(['sign-in', 'web']);
      expect(signedIn.err).toBe('');
      expect(signedIn.out).toMatch(
        /Opening the sign-in page for web in your browser\. If it does not open, visit:\n {2}http:\/\/127\.0\.0\.1:\d+\/authorize\?/,
      );
      expect(signedIn.out).toContain(`web: signed in at ${auth.issuer} (scope: mcp:read)`);
      expect(signedIn.code).toBe(0);
      await untilAsync(async () => /web\s+ready/.test((await cli(['status'])).out), 20_000, 'ready');
      expect(auth.authorizations).toHaveLength(1);

      const out = await cli(['sign-out', 'web']);
      expect(out).toMatchObject({
        code: 0,
        out: 'web: signed out; its tokens are deleted from the keyring\n',
      });
      await untilAsync(
        async () => /web\s+needs-auth/.test((await cli(['status'])).out),
        20_000,
        'needs-auth again',
      );

      // The access and refresh tokens never reached the engine's output.
      for (const token of auth.issuedTokenValues()) expect(serveOutput).not.toContain(token);
    });

    it('says what is wrong: a local or unknown server, a missing name', async () => {
      expect(await cli(['sign-in'])).toMatchObject({
        code: 2,
        err: expect.stringMatching(/usage: switchboard sign-in NAME/),
      });
      const unknown = await cli(['sign-in', 'nope']);
      expect(unknown.code).toBe(1);
      expect(unknown.err).toMatch(/no server named "nope"/);
    });
  },
);
