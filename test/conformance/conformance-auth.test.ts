// The MCP conformance `auth` client suite (@modelcontextprotocol/conformance, `client --suite auth`)
// run by scripts/conformance-client.mjs against Switchboard's OAuth client, wrapped as the suite's
// client command in test/conformance/engine-client.ts. Also checks, on hand-made folders, how the
// runner reads the suite's client results. Suite output: test-results/conformance-client/.
// The requirement sets (every client scenario of a revision) are conformance-client-eras.test.ts's.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONFORMANCE_RESULTS_MODULE, type ConformanceResults } from './conformance-harness.js';
import { AUTH_SUITE, CLIENT_RUNNER, engineClientCommand, runClientRunner } from './client-runner.js';

/** Scenarios of the suite that Switchboard's client may fail, each with the reason. None. */
const EXCLUDED: Record<string, string> = {};

/** Bound on the whole suite; the test itself is stopped a minute later. */
const SUITE_TIMEOUT_MS = 3 * 60_000;
/** Bound on one client process (the suite's `--timeout`). */
const CLIENT_TIMEOUT_MS = 60_000;

interface ResultsModule {
  readClientResultsDir(dir: string, options?: { warningsFail?: boolean }): ConformanceResults;
  parseClientScenarioList(output: string): string[];
  parseClientSuiteOutput(stdout: string, stderr: string): { count: number | undefined; scenarios: string[] };
  formatResults(results: ConformanceResults): string[];
}

async function resultsModule(): Promise<ResultsModule> {
  return (await import(pathToFileURL(CONFORMANCE_RESULTS_MODULE).href)) as ResultsModule;
}

describe('reading the conformance suite client results', () => {
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'conformance-client-results-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const writeChecks = (folder: string, checks: unknown[] | undefined) => {
    mkdirSync(path.join(dir, folder), { recursive: true });
    if (checks) writeFileSync(path.join(dir, folder, 'checks.json'), JSON.stringify(checks));
  };

  it('finds nested scenario folders, keeps the latest, and fails on a WARNING', async () => {
    const { readClientResultsDir, formatResults } = await resultsModule();
    const ok = { id: 'token-request', status: 'SUCCESS' };
    writeChecks('initialize-2026-01-01T00-00-00-000Z', [ok]);
    writeChecks('auth/basic-cimd-2026-01-01T00-00-00-000Z', [
      ok,
      { id: 'cimd-client-id-used', status: 'WARNING', description: 'Client SHOULD use URL-based client ID' },
    ]);
    writeChecks('auth/pre-registration-2026-01-01T00-00-00-000Z', [
      { id: 'pre-registration-auth', status: 'FAILURE' },
    ]);
    writeChecks('auth/pre-registration-2026-01-02T00-00-00-000Z', [
      { id: 'pre-registration-auth', status: 'SUCCESS' },
    ]);
    writeChecks('auth/scope-step-up-2026-01-01T00-00-00-000Z', undefined); // started, never finished

    const results = readClientResultsDir(dir);
    expect(Object.keys(results).sort()).toEqual([
      'auth/basic-cimd',
      'auth/pre-registration',
      'auth/scope-step-up',
      'initialize',
    ]);
    expect(results['initialize']?.passed).toBe(true);
    expect(results['auth/pre-registration']).toMatchObject({
      passed: true,
      checks: { 'pre-registration-auth': 'SUCCESS' },
    });
    expect(results['auth/basic-cimd']?.passed).toBe(false);
    expect(results['auth/scope-step-up']).toMatchObject({
      passed: false,
      checks: { 'scenario-unfinished': 'FAILURE' },
    });
    expect(formatResults(results)).toContain(
      'FAIL auth/basic-cimd: cimd-client-id-used (warning) (cimd-client-id-used: Client SHOULD use URL-based client ID)',
    );
    // The server suite's rule (FAILURE only) is still there to ask for.
    expect(readClientResultsDir(dir, { warningsFail: false })['auth/basic-cimd']?.passed).toBe(true);
  });

  it('parses the client scenario list and what a suite run announced', async () => {
    const { parseClientScenarioList, parseClientSuiteOutput } = await resultsModule();
    const list = [
      'Server scenarios (test against a server):',
      '  - server-initialize [2025-06-18,2025-11-25]',
      '',
      'Client scenarios (test against a client):',
      '  - initialize [2025-06-18,2025-11-25]',
      '  - tools_call [2025-06-18,2025-11-25]',
      '  - auth/metadata-default [2025-11-25]',
    ].join('\n');
    expect(parseClientScenarioList(list)).toEqual(['initialize', 'tools_call', 'auth/metadata-default']);

    const stdout =
      'Running auth suite (2 scenarios) in parallel...\n\n=== SUITE SUMMARY ===\n\n✓ auth/a: 3 passed, 0 failed\n';
    const stderr = 'Starting scenario: auth/a\nExecuting client: x\nStarting scenario: auth/b\n';
    expect(parseClientSuiteOutput(stdout, stderr)).toEqual({ count: 2, scenarios: ['auth/a', 'auth/b'] });
    const required = 'Running requirements 2026-07-28 (39 scenarios) in parallel...\n';
    expect(parseClientSuiteOutput(required, '').count).toBe(39);
    expect(parseClientSuiteOutput('', '')).toEqual({ count: undefined, scenarios: [] });
  });
});

describe('scripts/conformance-client.mjs', () => {
  it('fails a scenario whose client does nothing, and says which checks are missing', async () => {
    const run = await runClientRunner(
      ['--command', 'true', '--scenario', 'auth/pre-registration', '--client-timeout-ms', '20000'],
      'runner-self-test',
      60_000,
    );
    expect(run.exitCode, run.output).toBe(1);
    expect(run.results['auth/pre-registration']).toMatchObject({
      passed: false,
      checks: { 'pre-registration-auth': 'FAILURE' },
    });
    expect(run.output).toContain('FAIL auth/pre-registration: pre-registration-auth');
    expect(run.output).toContain('conformance: 0 scenarios passed, 1 failed');
  }, 90_000);

  it('runs one scenario of a requirement set at that revision, and takes --requirements or --suite', async () => {
    const run = await runClientRunner(
      ['--command', 'true', '--requirements', '2026-07-28', '--scenario', 'tools_call'],
      'runner-requirements-self-test',
      60_000,
    );
    expect(run.exitCode, run.output).toBe(1);
    expect(Object.keys(run.results)).toEqual(['tools_call']);
    expect(run.results['tools_call']?.checks).toMatchObject({ 'tool-add-numbers': 'FAILURE' });

    const both = ['--command', 'true', '--suite', 'auth', '--requirements', '2026-07-28'];
    const refused = spawnSync(process.execPath, [CLIENT_RUNNER, ...both], {
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain('--requirements replaces --suite');
    // initialize is a 2025-11-25 scenario only: not one of the 2026-07-28 set.
    const other = ['--command', 'true', '--requirements', '2026-07-28', '--scenario', 'initialize'];
    const unknown = spawnSync(process.execPath, [CLIENT_RUNNER, ...other], {
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('unknown client scenario of the 2026-07-28 requirements: initialize');
  }, 90_000);
});

describe('Switchboard OAuth client against the conformance auth suite', () => {
  it(
    'passes every auth scenario',
    async () => {
      const run = await runClientRunner(
        [
          '--command',
          await engineClientCommand('engine-client-auth'),
          '--suite',
          'auth',
          '--client-timeout-ms',
          String(CLIENT_TIMEOUT_MS),
        ],
        'auth-suite',
        SUITE_TIMEOUT_MS,
      );
      const { results } = run;
      // Every known scenario ran; a newer suite may add more, and those must pass too.
      for (const scenario of AUTH_SUITE) expect(Object.keys(results), run.output).toContain(scenario);
      const failed = Object.entries(results)
        .filter(([name, r]) => !r.passed && !(name in EXCLUDED))
        .map(([name, r]) => `${name}: ${JSON.stringify(r.checks)}`);
      expect(failed, run.output).toEqual([]);
      // An exclusion that passes again is stale and must go.
      const stale = Object.keys(EXCLUDED).filter((name) => results[name]?.passed);
      expect(stale, run.output).toEqual([]);
      if (Object.keys(EXCLUDED).length === 0) expect(run.exitCode, run.output).toBe(0);
    },
    SUITE_TIMEOUT_MS + 60_000,
  );
});
