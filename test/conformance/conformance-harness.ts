// Helpers to run the MCP conformance server suite (scripts/conformance.mjs) against an endpoint and to
// compare two runs: the direct run against test/fixtures/conformance-server.mjs is the reference that
// runs through the gateway are compared with.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { startServe, untilServers } from '../integration/serve-harness.js';
import { SWITCHBOARD } from '../integration/run-harness.js';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const CONFORMANCE_FIXTURE = path.join(REPO, 'test/fixtures/conformance-server.mjs');
/** The 2026-07-28 fixture (SDK v2): it prints `{"url": ...}` once listening. */
export const MODERN_CONFORMANCE_FIXTURE = path.join(REPO, 'test/fixtures/conformance-modern-server.mjs');
export const CONFORMANCE_SCRIPT = path.join(REPO, 'scripts/conformance.mjs');
export const CONFORMANCE_RESULTS_MODULE = path.join(REPO, 'scripts/conformance-results.mjs');
/** Suite output goes here (gitignored), never into the tracked tree. */
export const CONFORMANCE_OUT = path.join(REPO, 'test-results/conformance');

/** One scenario: passed when none of its checks is a FAILURE; checks are keyed by check id. */
export interface ScenarioResult {
  passed: boolean;
  checks: Record<string, string>;
}
export type ConformanceResults = Record<string, ScenarioResult>;

export interface ConformanceRun {
  results: ConformanceResults;
  /** stdout + stderr of scripts/conformance.mjs (the PASS/FAIL lines). */
  output: string;
  exitCode: number | null;
  jsonFile: string;
}

export interface RunOptions {
  /** Names the JSON file, test-results/conformance/<label>.json (default `run`), replaced on each run. */
  label?: string;
  /** Bound on the suite itself (default 5 minutes); the script is stopped 30 s after it. */
  timeoutMs?: number;
  /** Only this scenario. */
  scenario?: string;
  /**
   * The spec revision whose required scenarios run (default `2025-11-25`, the revision the engine
   * speaks); `all` runs every scenario of the suite.
   */
  requirements?: string;
}

/** Runs scripts/conformance.mjs against `url` and returns its parsed results and output. */
export async function runConformanceDetailed(url: string, options: RunOptions = {}): Promise<ConformanceRun> {
  const timeoutMs = options.timeoutMs ?? 5 * 60_000;
  const label = (options.label ?? 'run').replace(/[^a-zA-Z0-9_-]/g, '_');
  mkdirSync(CONFORMANCE_OUT, { recursive: true });
  const jsonFile = path.join(CONFORMANCE_OUT, `${label}.json`);
  const args = [CONFORMANCE_SCRIPT, '--url', url, '--out', CONFORMANCE_OUT, '--json', jsonFile];
  args.push('--timeout-ms', String(timeoutMs));
  if (options.scenario) args.push('--scenario', options.scenario);
  const requirements = options.requirements ?? '2025-11-25';
  if (requirements !== 'all') args.push('--requirements', requirements);

  const [script, ...rest] = args;
  const { results, output, exitCode } = await runResultsScript(script!, rest, jsonFile, timeoutMs);
  return { results, output, exitCode, jsonFile };
}

/**
 * Runs one of the conformance scripts (`script args`, which writes its JSON results to `jsonFile`),
 * bounded by `timeoutMs` (the script is stopped 30 s later; it then stops the suite it runs), and
 * reads the results back. A result left by an earlier run cannot pass for this one.
 */
export async function runResultsScript(
  script: string,
  args: string[],
  jsonFile: string,
  timeoutMs: number,
): Promise<{ results: ConformanceResults; output: string; exitCode: number | null }> {
  const name = path.relative(REPO, script);
  rmSync(jsonFile, { force: true });
  const child = spawn(process.execPath, [script, ...args], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr.on('data', (c: Buffer) => (output += c.toString()));
  const exitCode = await new Promise<number | null>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 5_000).unref();
      reject(new Error(`${name} did not finish within ${timeoutMs + 30_000} ms:\n${output}`));
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
  try {
    const results = JSON.parse(readFileSync(jsonFile, 'utf8')) as ConformanceResults;
    return { results, output, exitCode };
  } catch {
    throw new Error(`${name} wrote no results (exit ${exitCode}):\n${output}`);
  }
}

/**
 * Runs the whole conformance server suite against `url` (a Streamable HTTP MCP endpoint on loopback)
 * and returns `{ scenario: { passed, checks: { checkId: status } } }`, comparable with another run.
 */
export async function runConformance(url: string, options: RunOptions = {}): Promise<ConformanceResults> {
  return (await runConformanceDetailed(url, options)).results;
}

export interface ConformanceDiff {
  scenario: string;
  check?: string;
  expected: string;
  actual: string;
}

interface ResultsModule {
  compareResults(
    expected: ConformanceResults,
    actual: ConformanceResults,
    options?: { ignore?: string[] },
  ): ConformanceDiff[];
  formatResults(results: ConformanceResults): string[];
}

async function resultsModule(): Promise<ResultsModule> {
  return (await import(pathToFileURL(CONFORMANCE_RESULTS_MODULE).href)) as ResultsModule;
}

/**
 * Differences between two runs (scenarios or checks whose status differs). `ignore` lists
 * `scenario` or `scenario/checkId` keys to leave out.
 */
export async function compareConformance(
  expected: ConformanceResults,
  actual: ConformanceResults,
  options: { ignore?: string[] } = {},
): Promise<ConformanceDiff[]> {
  return (await resultsModule()).compareResults(expected, actual, options);
}

/** The PASS/FAIL lines and the total line, as scripts/conformance.mjs prints them. */
export async function formatConformance(results: ConformanceResults): Promise<string[]> {
  return (await resultsModule()).formatResults(results);
}

export interface HttpFixture {
  url: string;
  child: ChildProcess;
  /** stderr of the fixture so far. */
  stderr(): string;
  stop(): Promise<void>;
}

/** Starts a conformance fixture in `--http --port 0` mode and waits (bounded) for its URL. */
export async function startHttpFixture(
  fixture = CONFORMANCE_FIXTURE,
  timeoutMs = 15_000,
): Promise<HttpFixture> {
  const child = spawn(process.execPath, [fixture, '--http', '--port', '0'], {
    cwd: REPO,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  };
  try {
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`the fixture did not listen within ${timeoutMs} ms (stderr: ${stderr})`)),
        timeoutMs,
      );
      child.stdout.on('data', (c: Buffer) => {
        stdout += c.toString();
        const match = /^(?:listening on |\{"url":")(http:\/\/127\.0\.0\.1:\d+\/mcp)/m.exec(stdout);
        if (match?.[1]) {
          clearTimeout(timer);
          resolve(match[1]);
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`the fixture exited (${code}) before listening (stderr: ${stderr})`));
      });
    });
    return { url, child, stderr: () => stderr, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Where a conformance run reaches a fixture through the gateway. */
export interface GatewayPaths {
  /** `/mcp/fixture` of a real `switchboard serve` supervising the fixture over stdio. */
  stdio: string;
  /** `/mcp/remote`: the fixture served over HTTP, as the engine's http upstream. */
  remote: string;
  /** `switchboard connect fixture` as the stdio server of a second engine. */
  connect: string;
  stop(): Promise<void>;
}

/** Starts the three ways through the gateway to `fixture` (a conformance fixture file). */
export async function startGatewayPaths(fixture: string): Promise<GatewayPaths> {
  const upstreamFixture = await startHttpFixture(fixture);
  const engine = await startServe({
    fixture: { command: process.execPath, args: [fixture] },
    remote: { type: 'http', url: upstreamFixture.url },
  });
  await untilServers(
    engine,
    (s) => ['fixture', 'remote'].every((name) => s.some((x) => x.name === name && x.state === 'ready')),
    'fixture ready',
  );
  const chained = await startServe({
    viaConnect: {
      command: process.execPath,
      args: [SWITCHBOARD, 'connect', 'fixture'],
      env: { SWITCHBOARD_HOME: engine.home },
    },
  });
  await untilServers(
    chained,
    (s) => s.some((x) => x.name === 'viaConnect' && x.state === 'ready'),
    'bridge ready',
  );
  return {
    stdio: `${engine.url}/mcp/fixture`,
    remote: `${engine.url}/mcp/remote`,
    connect: `${chained.url}/mcp/viaConnect`,
    async stop() {
      await chained.stop();
      await engine.stop();
      await upstreamFixture.stop();
    },
  };
}
