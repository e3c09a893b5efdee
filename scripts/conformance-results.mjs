// Reads and compares the result files of the MCP conformance suite (@modelcontextprotocol/conformance).
//
// `conformance server -o DIR` writes one folder per scenario, `server-<scenario>-<ISO time>/checks.json`,
// holding the scenario's checks: [{ id, name, status: SUCCESS|FAILURE|WARNING|INFO|SKIPPED, errorMessage? }].
// A scenario passes when none of its checks is a FAILURE (the suite's own rule). Checks are keyed by
// their `id`; ids the suite repeats (INFO traces such as `outgoing-request`) collapse to one entry
// holding the worst status, so that two runs compare exactly.
//
// `conformance client -o DIR` writes `<scenario>-<ISO time>/checks.json` instead, the scenario name
// taken as a path: `auth/metadata-default` lands in `DIR/auth/metadata-default-<time>/`. There the
// suite also fails a scenario on a WARNING (its client rules use WARNING for SHOULDs).
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
 * `warningsFail`: a WARNING fails the scenario too (the client suite's rule).
 * @returns {{ passed: boolean, checks: Record<string, string>, error?: string }}
 */
export function summarizeChecks(checks, { warningsFail = false } = {}) {
  if (!Array.isArray(checks)) throw new Error('checks.json does not hold an array');
  const failing = warningsFail ? ['FAILURE', 'WARNING'] : ['FAILURE'];
  const out = {};
  const errors = {};
  for (const check of checks) {
    const id = String(check?.id ?? check?.name ?? 'unnamed-check');
    const status = String(check?.status ?? 'UNKNOWN');
    const previous = out[id];
    if (previous === undefined || rank(status) < rank(previous)) out[id] = status;
    // Client checks often carry no errorMessage: their description says what went wrong.
    const message = check?.errorMessage ?? (warningsFail ? check?.description : undefined);
    if (failing.includes(status) && message && !(id in errors)) errors[id] = String(message);
  }
  const ids = Object.keys(out).sort();
  const sorted = Object.fromEntries(ids.map((id) => [id, out[id]]));
  // No check at all is not a pass: the scenario did not run as intended.
  const passed = ids.length > 0 && !ids.some((id) => failing.includes(sorted[id]));
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

const CLIENT_RESULT_DIR = /^(.+)-(\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-\d{3}Z)$/;
const MAX_CLIENT_DEPTH = 4; // scenario names hold at most a few `/`; bounds the walk

/**
 * Reads every `<scenario>-<time>/checks.json` that `conformance client -o dir` wrote, at any depth
 * up to MAX_CLIENT_DEPTH (`auth/metadata-default-<time>/` is scenario `auth/metadata-default`).
 * When a scenario has several folders, the latest wins. A WARNING fails a scenario unless
 * `warningsFail` is false.
 * @returns {Record<string, { passed: boolean, checks: Record<string, string>, error?: string }>}
 */
export function readClientResultsDir(dir, { warningsFail = true } = {}) {
  const latest = new Map(); // scenario -> { time, folder }
  const walk = (relative, depth) => {
    for (const entry of readdirSync(path.join(dir, relative), { withFileTypes: true })) {
      if (!entry.isDirectory()) continue;
      const child = relative ? `${relative}/${entry.name}` : entry.name;
      const match = CLIENT_RESULT_DIR.exec(entry.name);
      if (match) {
        const scenario = relative ? `${relative}/${match[1]}` : match[1];
        const seen = latest.get(scenario);
        if (!seen || match[2] > seen.time) latest.set(scenario, { time: match[2], folder: child });
      } else if (depth < MAX_CLIENT_DEPTH) {
        walk(child, depth + 1);
      }
    }
  };
  walk('', 1);
  const results = {};
  for (const [scenario, { folder }] of [...latest].sort(([a], [b]) => a.localeCompare(b))) {
    try {
      const checks = JSON.parse(readFileSync(path.join(dir, folder, 'checks.json'), 'utf8'));
      results[scenario] = { ...summarizeChecks(checks, { warningsFail }), folder };
    } catch (error) {
      // The suite makes the folder when the scenario starts and writes checks.json when it ends.
      const unfinished = error?.code === 'ENOENT';
      results[scenario] = {
        passed: false,
        checks: { [unfinished ? 'scenario-unfinished' : 'checks-json-unreadable']: 'FAILURE' },
        error: unfinished
          ? 'no checks.json: the scenario did not finish'
          : error instanceof Error
            ? error.message
            : String(error),
        folder,
      };
    }
  }
  return results;
}

/**
 * Client scenario names from the output of `conformance list --client` (the lines after
 * `Client scenarios`, `  - auth/metadata-default [2025-11-25]`).
 */
export function parseClientScenarioList(output) {
  const names = [];
  let inClientSection = false;
  for (const line of output.split('\n')) {
    if (/^\S/.test(line)) inClientSection = line.startsWith('Client scenarios');
    const match = /^\s*-\s+([a-z0-9][a-z0-9_/.-]*)/i.exec(line);
    if (inClientSection && match?.[1]) names.push(match[1]);
  }
  return names;
}

/**
 * What a `conformance client --suite NAME` (or `--requirements REVISION`) run announced: the
 * scenario count (`Running auth suite (14 scenarios) in parallel...`, `Running requirements
 * 2026-07-28 (39 scenarios) in parallel...`, stdout) and the scenarios it started (`Starting
 * scenario: X`, stderr) or summarised (`✓ X: 15 passed, 0 failed`, stdout). `count` is undefined
 * when the suite said nothing (it failed before starting).
 * @returns {{ count: number | undefined, scenarios: string[] }}
 */
export function parseClientSuiteOutput(stdout, stderr) {
  const count = /^Running (?:\S+ suite|requirements \S+) \((\d+) scenarios\)/m.exec(stdout)?.[1];
  const scenarios = new Set();
  // The summary lists the suite's order; the start lines (the ones a crash leaves) come as they happen.
  for (const match of stdout.matchAll(/^[✓✗] (\S+): \d+ passed, \d+ failed/gm)) scenarios.add(match[1]);
  for (const match of stderr.matchAll(/^Starting scenario: (\S+)\s*$/gm)) scenarios.add(match[1]);
  return { count: count === undefined ? undefined : Number(count), scenarios: [...scenarios] };
}

/** Scenario names from the output of `conformance list --server` (lines `  - name [versions]`). */
export function parseScenarioList(output) {
  // `list --requirements` prints sections (required server and client scenarios, then unscored
  // ones): only the "Server scenarios" section counts. A plain `list --server` has just that one.
  const names = [];
  let inServerSection = !/^Server scenarios/m.test(output);
  for (const line of output.split('\n')) {
    if (/^\S/.test(line)) inServerSection = line.startsWith('Server scenarios');
    const match = inServerSection && /^\s*-\s+([a-z0-9][a-z0-9-]*)/.exec(line);
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
      // A client scenario can fail on warnings alone (see summarizeChecks' warningsFail).
      const failures = checksWithStatus(result, 'FAILURE');
      if (failures.length === 0)
        failures.push(...checksWithStatus(result, 'WARNING').map((id) => `${id} (warning)`));
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
