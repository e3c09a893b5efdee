import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiOperations } from '../../electron/shared/api.js';
import { pathParams } from '../../electron/shared/api-http.js';
import {
  keyringUnavailableReason,
  startKeyringSession,
  type KeyringSession,
} from '../helpers/keyring-session.js';
import { runSwitchboard } from '../helpers/switchboard-cli.js';
import { ECHO_SERVER } from '../integration/run-harness.js';
import { untilServers, type ServedEngine } from '../integration/serve-harness.js';
import { api } from './hostile-api.js';
import { startServeWithEnv } from './hostile-env.js';
import { openMcpSession } from './hostile-mcp-http.js';
import { rawRequest } from './hostile-request.js';
import { filesUnder, findLeaks, secretForms } from './hostile-secret.js';
import { collectStream } from './hostile-sse.js';
import { initializeRequest } from '../helpers/initialize-request.js';

// A secret from a real (private) keyring, handed to servers that print it to stderr, one while it
// runs and one right before crashing. Then a hunt for it everywhere Switchboard puts text: it may
// be in the keyring and in what a server's own tool replies say, nowhere else.

const unavailable = keyringUnavailableReason();

/** Prints its token to stderr and exits 1 at once: a crash whose "last stderr" holds the secret. */
const CRASH_WITH_TOKEN = `process.stderr.write('fatal: login failed with token ' + process.env.TOKEN + '\\n'); process.exit(1);`;

describe.skipIf(unavailable !== undefined)(
  `secrets hunt${unavailable ? ` (skipped: ${unavailable})` : ''}`,
  () => {
    // `/`, `+`, `=` and `&` make the base64 and URL-encoded forms differ from the value.
    const value = `Hunt${randomBytes(12).toString('hex')}/+=&`;
    const forms = secretForms(value);
    let session: KeyringSession;
    let engine: ServedEngine;
    let cliEnv: NodeJS.ProcessEnv;

    beforeAll(async () => {
      session = await startKeyringSession();
      const restart = { baseDelayMs: 50, maxDelayMs: 200, crashLoopCount: 3, crashLoopWindowMs: 60_000 };
      engine = await startServeWithEnv(
        {
          leaky: {
            command: process.execPath,
            args: [ECHO_SERVER],
            env: { FIXTURE_TOKEN: '${secret:hunt-token}' },
          },
          crashy: {
            command: process.execPath,
            args: ['-e', CRASH_WITH_TOKEN],
            env: { TOKEN: '${secret:hunt-token}' },
            restart,
          },
        },
        session.env,
      );
      cliEnv = { ...process.env, ...session.env, SWITCHBOARD_HOME: engine.home, SWITCHBOARD_CONFIG: '' };
    }, 60_000);

    afterAll(async () => {
      await engine?.stop();
      await session?.stop();
    });

    it('the value shows up nowhere but in the keyring and the server’s own replies', async () => {
      const bearer = { authorization: `Bearer ${engine.token}` };
      const events = collectStream(`${engine.url}/events`, bearer);
      await untilServers(
        engine,
        (s) => s.every((x) => x.state === 'needs-secret'),
        'both waiting for the secret',
      );

      const set = await runSwitchboard(['secret', 'set', 'hunt-token'], { env: cliEnv, input: value });
      expect(set.code, set.err).toBe(0);
      await untilServers(
        engine,
        (s) => s.some((x) => x.name === 'leaky' && x.state === 'ready'),
        'leaky ready',
      );
      await untilServers(
        engine,
        (s) => s.some((x) => x.name === 'crashy' && x.state === 'failed'),
        'crashy failed',
        30_000,
      );

      // The server did get the value (its length proves it without showing it).
      const mcp = await openMcpSession(engine.url, '/mcp/leaky');
      const length = await mcp.post(
        JSON.stringify({
          jsonrpc: '2.0',
          id: 1,
          method: 'tools/call',
          params: { name: 'token_length', arguments: {} },
        }),
      );
      mcp.close();
      expect(length.body).toContain(`"text":"${value.length}"`);

      const places: Record<string, string | Buffer> = {};
      // Every GET of the API, for each server, with the longest views it allows.
      const query: Record<string, string> = {
        logs: '?lines=10000',
        restarts: '?limit=1000',
        activity: '?limit=1000',
      };
      for (const spec of Object.values(apiOperations)) {
        if (spec.http.method !== 'GET') continue;
        const tail = query[spec.http.path.split('/').pop()!] ?? '';
        for (const server of pathParams(spec.http.path).includes('server') ? ['leaky', 'crashy'] : ['-']) {
          const route = spec.http.path.replace(':server', server).replace(':name', 'hunt-token') + tail;
          places[`GET ${route}`] = (await api(engine, 'GET', route)).text;
        }
      }
      for (const route of ['/metrics', '/readyz', '/healthz'])
        places[`GET ${route}`] = (await rawRequest(engine.url, { path: route })).body;
      for (const server of ['leaky', 'crashy']) {
        const follow = collectStream(
          `${engine.url}/api/v1/servers/${server}/logs?follow=1&lines=10000`,
          bearer,
        );
        await new Promise((r) => setTimeout(r, 500));
        await follow.stop();
        places[`GET /api/v1/servers/${server}/logs?follow=1`] = follow.text();
        // What an MCP client is told about a server (an error's reason and detail, for crashy).
        places[`POST /mcp/${server} initialize`] = (
          await rawRequest(engine.url, {
            method: 'POST',
            path: `/mcp/${server}`,
            headers: { accept: 'application/json, text/event-stream', 'content-type': 'application/json' },
            body: JSON.stringify(initializeRequest('hunt', { protocolVersion: '2025-06-18', id: 1 })),
          })
        ).body;
      }
      for (const args of [
        ['status', '--json'],
        ['status'],
        ['logs', 'leaky'],
        ['logs', 'crashy', '-n', '1000'],
        ['secret', 'list', '--json'],
      ]) {
        const result = await runSwitchboard(args, { env: cliEnv });
        places[`switchboard ${args.join(' ')}`] = result.out + result.err;
      }
      places['switchboard secret set'] = set.out + set.err;
      // The crash was seen (so the hunt is not vacuous): its line is in the log, masked.
      expect(places['switchboard logs crashy -n 1000']).toContain('fatal: login failed with token');

      await events.stop();
      places['GET /events'] = events.text();
      for (const [file, bytes] of Object.entries(filesUnder(engine.home)))
        places[`file ${file} (running)`] = bytes;
      // What the engine writes on its way out counts too (stop() would remove the home: exit first).
      const exited = new Promise((resolve) => engine.child.once('exit', resolve));
      engine.child.kill('SIGTERM');
      const kill = setTimeout(() => engine.child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(kill);
      for (const [file, bytes] of Object.entries(filesUnder(engine.home))) places[`file ${file}`] = bytes;
      places['serve stdout'] = engine.stdout();
      places['serve stderr'] = engine.stderr();

      const leaks = findLeaks(places, forms);
      const bytes = Object.values(places).reduce((n, p) => n + p.length, 0);
      console.log(
        `secrets hunt: ${Object.keys(places).length} places (${(bytes / 1024).toFixed(0)} KiB) searched for 4 forms; ${leaks.length} leaks${leaks.length ? `: ${leaks.join('; ')}` : ''}`,
      );
      expect(leaks).toEqual([]);
    });
  },
);
