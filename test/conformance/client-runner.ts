// Runs scripts/conformance-client.mjs (the MCP conformance suite's client scenarios) as a test does:
// bounded in time, with the JSON results it writes read back. Shared by the client conformance tests.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { REPO, runResultsScript, type ConformanceResults } from './conformance-harness.js';

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
  const runnerArgs = [...args, '--json', jsonFile, '--timeout-ms', String(timeoutMs)];
  const { results, output, exitCode } = await runResultsScript(
    CLIENT_RUNNER,
    runnerArgs,
    jsonFile,
    timeoutMs,
  );
  return { results, output, exitCode };
}
