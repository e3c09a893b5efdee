import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ECHO_FIXTURE, InProcessEngine, REPO } from './gateway-harness.js';

/**
 * The Python `mcp` SDK 2.x (where pip installs it: `.ci/run` makes the venv) in both eras through
 * every surface (issue 23): pinned to 2025-11-25 (`legacy`), automatic, and pinned to 2026-07-28,
 * against the old-era echo fixture and the new-era fixture; tools listed and called, and against
 * the new fixture its questions (elicitation, sampling) answered by the client, and its progress.
 */

const PYTHON = path.join(REPO, '.venv-python', 'bin', 'python');
const SCRIPT = path.join(REPO, 'test', 'fixtures', 'python', 'era_client.py');
const BIN = path.join(REPO, 'bin/switchboard.mjs');
const MODERN_FIXTURE = path.join(REPO, 'test/fixtures/modern-server.mjs');
const SERVERS = {
  old: { command: process.execPath, args: [ECHO_FIXTURE] },
  modern: { command: process.execPath, args: [MODERN_FIXTURE] },
} as const;
const MODERN = '2026-07-28';

type Surface = 'http' | 'aggregate' | 'connect' | 'run';
type Mode = 'legacy' | 'auto' | typeof MODERN;

let engine: InProcessEngine;

describe.skipIf(!existsSync(PYTHON))(
  'real Python mcp 2.x clients of both eras (skipped: no .venv-python with the mcp SDK; .ci/run makes one)',
  () => {
    beforeAll(async () => {
      engine = new InProcessEngine({ ...SERVERS });
      await engine.start();
      await engine.until(
        () => engine.state('old') === 'ready' && engine.state('modern') === 'ready',
        'ready',
      );
    }, 30_000);
    afterAll(() => engine?.stop());

    /** The client's report (one JSON line), or the error it died with. */
    async function runClient(mode: Mode, surface: Surface, server: keyof typeof SERVERS) {
      const target =
        surface === 'http'
          ? [`${engine.url}/mcp/${server}`]
          : surface === 'aggregate'
            ? [`${engine.url}/mcp`]
            : surface === 'connect'
              ? ['--', process.execPath, BIN, 'connect', server]
              : ['--', process.execPath, BIN, 'run', '--', SERVERS[server].command, ...SERVERS[server].args];
      const { stdout } = await promisify(execFile)(PYTHON, [SCRIPT, mode, ...target], {
        timeout: 60_000,
        env: {
          ...process.env,
          SWITCHBOARD_HOME: engine.dir,
          TOOL_PREFIX: surface === 'aggregate' ? `${server}__` : '',
        },
      });
      return JSON.parse(stdout.trim().split('\n').at(-1)!) as Record<string, unknown>;
    }

    const cells: [Mode, Surface, keyof typeof SERVERS][] = [];
    for (const mode of ['legacy', 'auto', MODERN] as const)
      for (const surface of ['http', 'aggregate', 'connect', 'run'] as const)
        for (const server of ['old', 'modern'] as const) cells.push([mode, surface, server]);

    it.each(cells)(
      '%s client, %s surface, %s server',
      async (mode, surface, server) => {
        // `run` passes messages through untouched: a client pinned to 2026-07-28 needs a server of it.
        if (mode === MODERN && surface === 'run' && server === 'old') {
          await expect(runClient(mode, surface, server)).rejects.toThrow();
          return;
        }
        const report = await runClient(mode, surface, server);
        const clientEra =
          mode === 'legacy' || (surface === 'run' && server === 'old') ? '2025-11-25' : MODERN;
        expect(report.era).toBe(clientEra);
        const prefix = surface === 'aggregate' ? `${server}__` : '';
        expect(report.tools).toContain(`${prefix}echo`);
        // The modern fixture says the era it was spoken to in: the engine speaks it the new one;
        // `run` passes the client's own through.
        const upstream = surface === 'run' && clientEra !== MODERN ? 'legacy' : 'modern';
        expect(report.echo).toBe(server === 'modern' ? `hi (${upstream})` : 'hi');
        if (server === 'modern') {
          expect(report.greet).toBe(`Hello, Ada! (${upstream})`);
          expect(report.sample).toBe('sampled: sampled');
          // The last step may come after the answer (the SDK's, seen without Switchboard too).
          expect((report.progress as number[]).slice(0, 2)).toEqual([1, 2]);
        }
      },
      90_000,
    );
  },
);
