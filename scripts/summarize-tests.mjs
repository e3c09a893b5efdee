// Sums every suite's JSON report in a folder into the one line CI ends with: "N passed, N failed".
// A non-zero exit of the test command with no failed test (lint, typecheck, a crashed runner)
// still counts as one failure, so the line never says all is well when it is not.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const [dir = 'test-results', statusArg = '0'] = process.argv.slice(2);
let passed = 0;
let failed = 0;
let files = [];
try {
  files = readdirSync(dir).filter((f) => f.endsWith('.json'));
} catch {
  // no reports at all
}
for (const file of files) {
  const report = JSON.parse(readFileSync(path.join(dir, file), 'utf8'));
  if (typeof report.numPassedTests === 'number') {
    // Vitest / Jest format
    passed += report.numPassedTests;
    failed += report.numFailedTests;
  } else if (report.stats && typeof report.stats.expected === 'number') {
    // Playwright format (skipped specs count as neither)
    passed += report.stats.expected + (report.stats.flaky ?? 0);
    failed += report.stats.unexpected;
  }
}
if (Number(statusArg) !== 0 && failed === 0) failed = 1;
console.log(`${passed} passed, ${failed} failed`);
