// `npm test`: every step below, in order, then the one line CI ends with: "N passed, N failed".
// Not `a && b && c`: there one failing step (a lint error, say) hid every test after it. Here every
// step runs whatever failed before it. A step that fails with no failed test in a report of its own
// (build, check, a crashed vitest, a vitest whose files failed to load) is written to
// test-results/steps.json as one failed test, so scripts/summarize-tests.mjs, which both this and
// .ci/run end with, counts it. Vitest runs from node_modules, never through anything that could
// fetch. TEST_STEPS=check,e2e runs only the steps named.
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { constants } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { printSummary } from './summarize-tests.mjs';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const RESULTS = path.join(REPO, 'test-results');
const STEPS_REPORT = path.join(RESULTS, 'steps.json');
const VITEST = [process.execPath, path.join(REPO, 'node_modules/vitest/vitest.mjs'), 'run'];
// npm is a .cmd on Windows, which only a shell runs.
const npm = (script) => ({ command: ['npm', 'run', script], shell: process.platform === 'win32' });
const vitest = (args, report) => ({ command: [...VITEST, ...args], report: path.join(RESULTS, report) });

const STEPS = [
  { name: 'build', ...npm('build') },
  { name: 'check', ...npm('check') },
  // The JSON report goes to test-results/vitest.json (vitest.config.ts).
  { name: 'engine+renderer', ...vitest(['--project', 'engine', '--project', 'renderer'], 'vitest.json') },
  // Small scale here (npm run test:reliability runs it in full). It may have no files yet.
  {
    name: 'reliability',
    ...vitest(
      [
        '--project',
        'reliability',
        '--passWithNoTests',
        '--outputFile.json=test-results/vitest-reliability.json',
      ],
      'vitest-reliability.json',
    ),
  },
  // On its own, after the rest: it measures first paint, which means nothing on a loaded machine.
  {
    name: 'e2e',
    ...vitest(['--project', 'e2e', '--outputFile.json=test-results/vitest-e2e.json'], 'vitest-e2e.json'),
  },
];

const only = process.env.TEST_STEPS?.split(',').filter(Boolean);
const unknown = only?.filter((name) => !STEPS.some((step) => step.name === name)) ?? [];
if (unknown.length > 0) {
  console.error(
    `TEST_STEPS: no step ${unknown.join(', ')}; the steps are ${STEPS.map((s) => s.name).join(', ')}`,
  );
  process.exit(2);
}
const steps = only ? STEPS.filter((step) => only.includes(step.name)) : STEPS;

// The final line sums every report in test-results: none may be left from an earlier run.
mkdirSync(RESULTS, { recursive: true });
for (const file of [STEPS_REPORT, ...STEPS.flatMap((step) => step.report ?? [])])
  rmSync(file, { force: true });

let anyFailed = false;
const failedSteps = [];
const record = () =>
  writeFileSync(
    STEPS_REPORT,
    JSON.stringify({ numPassedTests: 0, numFailedTests: failedSteps.length, failedSteps }, null, 2),
  );
record();

// Ctrl-C or a CI timeout stops the run instead of moving on to the next step.
let current;
let stoppedBy;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    stoppedBy = signal;
    current?.kill(signal);
  });
}

for (const step of steps) {
  if (stoppedBy) break;
  const [command, ...args] = step.command;
  console.log(`\n▶ ${step.name}: ${step.command.join(' ')}`);
  const { code, signal, error } = await new Promise((resolve) => {
    current = spawn(command, args, { cwd: REPO, stdio: 'inherit', shell: step.shell ?? false });
    current.once('error', (err) => resolve({ code: null, signal: null, error: err }));
    current.once('exit', (exitCode, exitSignal) => resolve({ code: exitCode, signal: exitSignal }));
  });
  current = undefined;
  if (code === 0) continue;
  anyFailed = true;
  const reason = error
    ? `could not start: ${error.message}`
    : signal
      ? `killed by ${signal}`
      : `exit ${code}`;
  console.log(`✗ ${step.name} failed (${reason})`);
  // A report with failed tests already counts them; otherwise the step is the one failure.
  if (failedTestsIn(step.report) > 0) continue;
  const why = step.report ? `${reason}, no failed test in its report` : reason;
  failedSteps.push({ name: step.name, command: step.command.join(' '), reason: why });
  record();
}

console.log('');
const { failed } = printSummary(RESULTS, anyFailed ? 1 : 0);
process.exit(stoppedBy ? 128 + constants.signals[stoppedBy] : anyFailed || failed > 0 ? 1 : 0);

function failedTestsIn(report) {
  if (!report) return 0;
  try {
    return JSON.parse(readFileSync(report, 'utf8')).numFailedTests ?? 0;
  } catch {
    return 0; // no report (it crashed before writing one) or a torn one
  }
}
