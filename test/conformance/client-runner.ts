// Runs scripts/conformance-client.mjs (the MCP conformance suite's client scenarios) as a test does:
// bounded in time, with the JSON results it writes read back. Shared by the client conformance tests.
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { REPO, type ConformanceResults } from './conformance-harness.js';

/** Every scenario of the `auth` client suite (the suite runs them in parallel); both revisions require them. */
export const AUTH_SUITE = [
  'auth/metadata-default',
  'auth/metadata-var1',
  'auth/metadata-var2',
  'auth/metadata-var3',
  'auth/basic-cimd',
  'auth/scope-from-www-authenticate',
  'auth/scope-from-scopes-supported',
  'auth/scope-omitted-when-undefined',
  'auth/scope-step-up',
  'auth/scope-retry-limit',
  'auth/token-endpoint-auth-basic',
  'auth/token-endpoint-auth-post',
  'auth/token-endpoint-auth-none',
  'auth/pre-registration',
];

export const CLIENT_RUNNER = path.join(REPO, 'scripts/conformance-client.mjs');
/** The client under test: the engine's own upstream. */
const ENGINE_CLIENT = path.join(REPO, 'test/conformance/engine-client.ts');
/** Suite output goes here (gitignored), never into the tracked tree. */
const CLIENT_OUT = path.join(REPO, 'test-results/conformance-client');

/**
 * The suite's command for test/conformance/engine-client.ts bundled into one module (`name`.mjs):
 * the suite starts every scenario's client at once, and a bundle starts on a sixth of the CPU time
 * tsx takes. The path is relative: the suite runs the command in the repository folder.
 */
export async function engineClientCommand(name: string): Promise<string> {
  const outfile = path.join(CLIENT_OUT, `${name}.mjs`);
  await build({
    entryPoints: [ENGINE_CLIENT],
    outfile,
    bundle: true,
    packages: 'external',
    platform: 'node',
    target: 'node20',
    format: 'esm',
    logLevel: 'warning',
  });
  return `node ${path.relative(REPO, outfile)}`;
}

export interface RunnerRun {
  results: ConformanceResults;
  output: string;
  exitCode: number | null;
}

/**
 * Runs scripts/conformance-client.mjs with `args` (bounded by `timeoutMs`; the runner itself is
 * stopped 30 s later) and returns the JSON it wrote, under test-results/conformance-client/<label>.json.
 */
export async function runClientRunner(args: string[], label: string, timeoutMs: number): Promise<RunnerRun> {
  mkdirSync(CLIENT_OUT, { recursive: true });
  const jsonFile = path.join(CLIENT_OUT, `${label}.json`);
  rmSync(jsonFile, { force: true }); // a result left by an earlier run must not pass for this one
  const child = spawn(
    process.execPath,
    [CLIENT_RUNNER, ...args, '--json', jsonFile, '--timeout-ms', String(timeoutMs)],
    { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr.on('data', (c: Buffer) => (output += c.toString()));
  const exitCode = await new Promise<number | null>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGTERM'); // the runner then kills the suite and the clients it started
      setTimeout(() => child.kill('SIGKILL'), 5_000).unref();
      reject(
        new Error(
          `scripts/conformance-client.mjs did not finish within ${timeoutMs + 30_000} ms:\n${output}`,
        ),
      );
    }, timeoutMs + 30_000);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
  let results: ConformanceResults;
  try {
    results = JSON.parse(readFileSync(jsonFile, 'utf8')) as ConformanceResults;
  } catch {
    throw new Error(`scripts/conformance-client.mjs wrote no results (exit ${exitCode}):\n${output}`);
  }
  return { results, output, exitCode };
}
