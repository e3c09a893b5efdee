import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InProcessEngine, npmServerBin, REPO } from './gateway-harness.js';

/** The Python `mcp` SDK in the venv `.ci/run` makes (where pip can install it). */
const PYTHON = path.join(REPO, '.venv-python', 'bin', 'python');
const SCRIPT = path.join(REPO, 'test', 'fixtures', 'python', 'two_clients.py');
const haveSdk = existsSync(PYTHON);

let engine: InProcessEngine;

describe.skipIf(!haveSdk)(
  'real Python mcp clients (skipped: no .venv-python with the mcp SDK; .ci/run makes one)',
  () => {
    beforeAll(async () => {
      engine = new InProcessEngine({});
      engine.writeConfig({
        everything: {
          command: process.execPath,
          args: [npmServerBin('@modelcontextprotocol/server-everything', 'mcp-server-everything'), 'stdio'],
        },
      });
      await engine.start();
      await engine.until(() => engine.state('everything') === 'ready', 'everything ready');
    }, 30_000);
    afterAll(() => engine?.stop());

    it("two Python sessions on one server: one's sampling is never answered by the other", async () => {
      const { stdout } = await promisify(execFile)(PYTHON, [SCRIPT, `${engine.url}/mcp/everything`], {
        timeout: 60_000,
      });
      const report = JSON.parse(stdout.trim().split('\n').at(-1)!) as Record<string, unknown>;
      // B declared no sampling: A (connected, idle, able to sample) is not asked on its behalf.
      expect(report.askedA_afterB).toBe(0);
      expect(String(report.b)).not.toContain('sampled by A');
      // A's own call is sampled by A.
      expect(report.askedA).toBe(1);
      expect(String(report.a)).toContain('sampled by A');
      expect(report.toolsA).toContain('trigger-sampling-request');
    }, 90_000);
  },
);
