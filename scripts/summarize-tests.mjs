// Sums every suite's JSON report in a folder into the one line CI ends with: "N passed, N failed".
// Reads Vitest/Jest reports, Playwright reports, and steps.json from scripts/run-tests.mjs, where a
// step that failed with no failed test of its own (build, check, a crashed vitest) is one failed
// test; those steps are named above the line, so a crash shows. A non-zero exit of the test command
// with no failure in any report (the runner itself died) still counts as one failure, and so does an
// unreadable report: the line never says all is well when it is not.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/** Prints the failed steps, then "N passed, N failed"; returns the counts. */
export function printSummary(dir = 'test-results', status = 0) {
  let passed = 0;
  let failed = 0;
  let files = [];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith('.json'));
  } catch {
    // no reports at all
  }
  for (const file of files) {
    let report;
    try {
      report = JSON.parse(readFileSync(path.join(dir, file), 'utf8'));
    } catch (err) {
      console.log(`unreadable report ${file}: ${err.message}`);
      failed++;
      continue;
    }
    if (typeof report.numPassedTests === 'number') {
      // Vitest / Jest format; steps.json has the same shape
      passed += report.numPassedTests;
      failed += report.numFailedTests;
      for (const step of report.failedSteps ?? []) console.log(`failed step: ${step.name} (${step.reason})`);
    } else if (report.stats && typeof report.stats.expected === 'number') {
      // Playwright format (skipped specs count as neither)
      passed += report.stats.expected + (report.stats.flaky ?? 0);
      failed += report.stats.unexpected;
    }
  }
  if (Number(status) !== 0 && failed === 0) failed = 1;
  console.log(`${passed} passed, ${failed} failed`);
  return { passed, failed };
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const [dir, status] = process.argv.slice(2);
  printSummary(dir, status);
}
