// Reads and compares the result files of the MCP conformance suite (@modelcontextprotocol/conformance).
//
// `conformance server -o DIR` writes one folder per scenario, `server-<scenario>-<ISO time>/checks.json`,
// holding the scenario's checks: [{ id, name, status: SUCCESS|FAILURE|WARNING|INFO|SKIPPED, errorMessage? }].
// A scenario passes when none of its checks is a FAILURE (the suite's own rule). Checks are keyed by
// their `id`; ids the suite repeats (INFO traces such as `outgoing-request`) collapse to one entry
// holding the worst status, so that two runs compare exactly.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** Worst first. */
export const STATUS_ORDER = ['FAILURE', 'WARNING', 'SUCCESS', 'INFO', 'SKIPPED'];

const rank = (status) => {
  const index = STATUS_ORDER.indexOf(status);
  return index === -1 ? STATUS_ORDER.length : index;
};

const RESULT_DIR = /^server-(.+)-(\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-\d{3}Z)$/;

/**
 * Summarises one scenario's checks (the array of its checks.json). `error` (absent when nothing
 * failed) joins the failed checks' messages; it is left out of the comparable JSON.
 * @returns {{ passed: boolean, checks: Record<string, string>, error?: string }}
 */
export function summarizeChecks(checks) {
  if (!Array.isArray(checks)) throw new Error('checks.json does not hold an array');
  const out = {};
  const errors = {};
  for (const check of checks) {
    const id = String(check?.id ?? check?.name ?? 'unnamed-check');
    const status = String(check?.status ?? 'UNKNOWN');
    const previous = out[id];
    if (previous === undefined || rank(status) < rank(previous)) out[id] = status;
    if (status === 'FAILURE' && check?.errorMessage && !(id in errors))
      errors[id] = String(check.errorMessage);
  }
  const ids = Object.keys(out).sort();
  const sorted = Object.fromEntries(ids.map((id) => [id, out[id]]));
  // No check at all is not a pass: the scenario did not run as intended.
  const passed = ids.length > 0 && !ids.some((id) => sorted[id] === 'FAILURE');
  const why = Object.entries(errors).map(([id, message]) => `${id}: ${message}`);
  return why.length > 0 ? { passed, checks: sorted, error: why.join('; ') } : { passed, checks: sorted };
}

/**
 * Reads every `server-<scenario>-<time>/checks.json` under `dir`. When a scenario has several
 * folders (a reused output dir), the latest wins.
 * @returns {Record<string, { passed: boolean, checks: Record<string, string> }>}
 */
export function readResultsDir(dir) {
  const latest = new Map(); // scenario -> { time, folder }
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const match = RESULT_DIR.exec(entry.name);
    if (!match) continue;
    const [, scenario, time] = match;
    const seen = latest.get(scenario);
    if (!seen || time > seen.time) latest.set(scenario, { time, folder: entry.name });
  }
  const results = {};
  for (const [scenario, { folder }] of [...latest].sort(([a], [b]) => a.localeCompare(b))) {
    let checks;
    try {
      checks = JSON.parse(readFileSync(path.join(dir, folder, 'checks.json'), 'utf8'));
    } catch (error) {
      results[scenario] = {
        passed: false,
        checks: { 'checks-json-unreadable': 'FAILURE' },
        error: error instanceof Error ? error.message : String(error),
      };
      continue;
    }
    results[scenario] = summarizeChecks(checks);
  }
  return results;
}

/** Scenario names from the output of `conformance list --server` (lines `  - name [versions]`). */
export function parseScenarioList(output) {
  const names = [];
  for (const line of output.split('\n')) {
    const match = /^\s*-\s+([a-z0-9][a-z0-9-]*)/.exec(line);
    if (match?.[1]) names.push(match[1]);
  }
  return names;
}

/**
 * Adds a failed entry for each expected scenario that has no result (the suite crashed or timed out
 * before it). Returns a new object, ordered like `expected` then any extra scenarios.
 */
export function withMissing(results, expected, reason = 'no result') {
  const out = {};
  for (const name of expected) {
    out[name] = results[name] ?? { passed: false, checks: { 'scenario-missing': 'FAILURE' }, error: reason };
  }
  for (const [name, result] of Object.entries(results)) if (!(name in out)) out[name] = result;
  return out;
}

/** Ids of the checks with the given status. */
export function checksWithStatus(result, status) {
  return Object.entries(result.checks)
    .filter(([, s]) => s === status)
    .map(([id]) => id);
}

/** One line per scenario, then `conformance: N scenarios passed, M failed`. */
export function formatResults(results) {
  const lines = [];
  let passed = 0;
  let failed = 0;
  for (const [name, result] of Object.entries(results)) {
    const count = Object.keys(result.checks).length;
    if (result.passed) {
      passed += 1;
      const warnings = checksWithStatus(result, 'WARNING');
      const note = warnings.length > 0 ? `; warnings: ${warnings.join(', ')}` : '';
      lines.push(`PASS ${name} (${count} check${count === 1 ? '' : 's'}${note})`);
    } else {
      failed += 1;
      const failures = checksWithStatus(result, 'FAILURE');
      const why = result.error ? ` (${result.error.slice(0, 500)})` : '';
      lines.push(`FAIL ${name}: ${failures.join(', ') || 'no checks'}${why}`);
    }
  }
  lines.push(`conformance: ${passed} scenarios passed, ${failed} failed`);
  return lines;
}

/** True when every scenario passed (and there is at least one). */
export function allPassed(results) {
  const list = Object.values(results);
  return list.length > 0 && list.every((r) => r.passed);
}

/** The JSON written by `--json`: `{ scenario: { passed, checks } }` (no error text, so runs compare). */
export function toComparable(results) {
  return Object.fromEntries(
    Object.entries(results).map(([name, r]) => [name, { passed: r.passed, checks: { ...r.checks } }]),
  );
}

/**
 * Differences between two runs, one entry per scenario or check that differs.
 * `ignore` lists `scenario` or `scenario/checkId` keys to leave out.
 * @returns {{ scenario: string, check?: string, expected: string, actual: string }[]}
 */
export function compareResults(expected, actual, { ignore = [] } = {}) {
  const skip = new Set(ignore);
  const diffs = [];
  const scenarios = [...new Set([...Object.keys(expected), ...Object.keys(actual)])].sort();
  for (const scenario of scenarios) {
    if (skip.has(scenario)) continue;
    const a = expected[scenario];
    const b = actual[scenario];
    if (!a || !b) {
      diffs.push({ scenario, expected: a ? 'present' : 'absent', actual: b ? 'present' : 'absent' });
      continue;
    }
    if (a.passed !== b.passed) {
      diffs.push({ scenario, check: '(passed)', expected: String(a.passed), actual: String(b.passed) });
    }
    const ids = [...new Set([...Object.keys(a.checks), ...Object.keys(b.checks)])].sort();
    for (const id of ids) {
      if (skip.has(`${scenario}/${id}`)) continue;
      const sa = a.checks[id] ?? 'absent';
      const sb = b.checks[id] ?? 'absent';
      if (sa !== sb) diffs.push({ scenario, check: id, expected: sa, actual: sb });
    }
  }
  return diffs;
}
