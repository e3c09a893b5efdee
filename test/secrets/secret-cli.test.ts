import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  keyringUnavailableReason,
  startKeyringSession,
  type KeyringSession,
} from '../helpers/keyring-session.js';
import { ECHO_SERVER, REPO, SWITCHBOARD, waitUntil } from '../integration/run-harness.js';
import { filesContaining, runSwitchboard, type CliResult } from '../helpers/switchboard-cli.js';

// `switchboard secret` against a real OS keyring (a private Secret Service), with and without a
// running `switchboard serve`. Needs `npm run build`.

const unavailable = keyringUnavailableReason();

describe.skipIf(unavailable !== undefined)(
  `switchboard secret${unavailable ? ` (skipped: ${unavailable})` : ''}`,
  () => {
    let session: KeyringSession;
    let home: string;
    let configFile: string;
    let env: NodeJS.ProcessEnv;
    let serve: ChildProcess | undefined;
    /** Everything any CLI run printed, to hunt for the value in. */
    const printed: string[] = [];

    beforeEach(async () => {
      session = await startKeyringSession();
      mkdirSync(path.join(REPO, '.tmp-test'), { recursive: true });
      home = mkdtempSync(path.join(REPO, '.tmp-test', 'secret-cli-'));
      configFile = path.join(home, 'config.json');
      writeFileSync(
        configFile,
        JSON.stringify({
          mcpServers: {
            echo: {
              command: process.execPath,
              args: [ECHO_SERVER],
              env: { FIXTURE_TOKEN_ENV: '${secret:FIXTURE_TOKEN}' },
            },
          },
        }),
      );
      env = { ...process.env, ...session.env, SWITCHBOARD_HOME: home, SWITCHBOARD_CONFIG: '' };
      printed.length = 0;
    });

    afterEach(async () => {
      if (serve) await stop(serve);
      serve = undefined;
      await session?.stop();
      rmSync(home, { recursive: true, force: true });
    });

    async function cli(args: string[], input = ''): Promise<CliResult> {
      const result = await runSwitchboard(args, { env, input });
      printed.push(result.out, result.err);
      return result;
    }

    function newValue(): string {
      return `sb-fixture-${randomBytes(12).toString('hex')}`;
    }

    it('without an engine: stores a piped value in the keyring, lists name and hint, removes it', async () => {
      const value = newValue();
      // `echo value |`: the one trailing newline is not part of the value (the hint shows it).
      const set = await cli(['secret', 'set', 'FIXTURE_TOKEN'], `${value}\n`);
      expect(set).toEqual({
        code: 0,
        out: `secret FIXTURE_TOKEN set (…${value.slice(-4)}) in the OS keyring (no engine is running); servers using it: echo\n`,
        err: '',
      });

      const list = await cli(['secret', 'list']);
      expect(list.code).toBe(0);
      expect(list.out).toMatch(new RegExp(`^FIXTURE_TOKEN +yes +…${value.slice(-4)} +echo$`, 'm'));
      const json = JSON.parse((await cli(['secret', 'list', '--json'])).out) as unknown;
      expect(json).toEqual({
        store: { kind: 'keyring', available: true },
        secrets: [{ name: 'FIXTURE_TOKEN', set: true, hint: `…${value.slice(-4)}`, usedBy: ['echo'] }],
      });

      expect(await cli(['secret', 'rm', 'FIXTURE_TOKEN'])).toMatchObject({
        code: 0,
        out: 'secret FIXTURE_TOKEN removed in the OS keyring (no engine is running)\n',
      });
      expect((await cli(['secret', 'list'])).out).toMatch(/^FIXTURE_TOKEN +no +- +echo$/m);
      expect((await cli(['secret', 'rm', 'FIXTURE_TOKEN'])).out).toBe(
        'no secret FIXTURE_TOKEN was set; nothing removed\n',
      );

      for (const text of printed) expect(text).not.toContain(value);
      expect(filesContaining(home, value)).toEqual([]);
    });

    it('with `serve` running: setting the secret starts the waiting server, and the value shows nowhere', async () => {
      const engine = await startServe();
      const api = async (route: string): Promise<string> => {
        const res = await fetch(`${engine.url}${route}`, {
          headers: { authorization: `Bearer ${engine.token}` },
        });
        expect(res.status, route).toBe(200);
        return res.text();
      };
      const untilState = async (state: string) => {
        let last = '';
        try {
          await waitUntilAsync(async () => {
            last = await api('/api/v1/servers/echo');
            return (JSON.parse(last) as { state: string }).state === state;
          }, 20_000);
        } catch {
          throw new Error(`echo never reached ${state}; last seen: ${last}`);
        }
      };
      await untilState('needs-secret');

      const value = newValue();
      // `printf value |`: no newline at all.
      const set = await cli(['secret', 'set', 'FIXTURE_TOKEN'], value);
      expect(set).toEqual({
        code: 0,
        out: `secret FIXTURE_TOKEN set (…${value.slice(-4)}); servers using it: echo\n`,
        err: '',
      });
      await untilState('ready');

      const list = await cli(['secret', 'list']);
      expect(list.out).toMatch(new RegExp(`^FIXTURE_TOKEN +yes +…${value.slice(-4)} +echo$`, 'm'));

      const answers = await Promise.all(
        [
          '/api/v1/secrets',
          '/api/v1/servers',
          '/api/v1/servers/echo',
          '/api/v1/servers/echo/credentials',
        ].map(api),
      );
      expect(answers[0]).toContain('FIXTURE_TOKEN');
      for (const text of [...answers, ...printed]) expect(text).not.toContain(value);
      // The hunt reads every file: it finds the reference in the config file (and only there).
      expect(filesContaining(home, '${secret:FIXTURE_TOKEN}')).toEqual(['config.json']);
      expect(filesContaining(home, value)).toEqual([]);

      // Whatever the engine writes on the way out (logs, history) must not hold it either.
      await stop(serve!);
      expect(engine.output()).not.toContain(value);
      expect(filesContaining(home, value)).toEqual([]);
    });

    /** `switchboard serve --port 0` for this home and keyring, once it listens. */
    async function startServe(): Promise<{ url: string; token: string; output(): string }> {
      const child = spawn(process.execPath, [SWITCHBOARD, 'serve', '--port', '0'], {
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      serve = child;
      let output = '';
      child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
      child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
      await waitUntil(
        () => /listening on/.test(output) || child.exitCode !== null,
        20_000,
        `serve to listen (output: ${output})`,
      );
      if (child.exitCode !== null) throw new Error(`serve exited ${child.exitCode}: ${output}`);
      const info = JSON.parse(readFileSync(path.join(home, 'engine.json'), 'utf8')) as {
        url: string;
        token: string;
      };
      return { url: info.url, token: info.token, output: () => output };
    }
  },
);

/** SIGTERM, then SIGKILL if it is still there after 10 s; resolves once it has exited. */
async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

async function waitUntilAsync(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
