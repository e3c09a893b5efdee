/**
 * `npm run bench`: the same fixture server reached directly, through a naive SDK pass-through and
 * through `switchboard run`, measured side by side in one run. Every loop is bounded in count and time.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { StdioRpcClient } from '../test/helpers/stdio-rpc-client.js';
import { closedLoop, mergeSamples, summarise, type LoadSample, type LoadSummary } from './load.js';
import { FIXTURE, RAW_FIXTURE, REPO, startInitialized, startMode, type ModeName } from './modes.js';
import { median, round } from './stats.js';
import { measureGateway, printGateway } from './gateway-bench.js';
import { measureExtensions, printExtensions } from './extensions-bench.js';
import { measureScale, printScale } from './scale-bench.js';

const CALLS = Number(process.env.BENCH_CALLS ?? 4000);
const ROUNDS = 4;
const WARMUP = 300;
const TIME_CAP_MS = 30_000;
const BIG_BYTES = 1024 * 1024;
const BIG_REPS = 60;
const RESTART_REPS = 5;
const DEBOUNCE_MS = 100;
const MODES = ['direct', 'sdk-passthrough', 'switchboard'] as const;

interface ModeResult {
  c1: LoadSummary;
  c32: LoadSummary;
  bigMs: number;
}

const echo = (client: StdioRpcClient) => (i: number) => client.callTool('echo', { text: `hello ${i}` });

/**
 * The modes that start stay up and are measured in interleaved rounds, so drift in the machine's
 * speed (other load, CPU frequency) falls on all of them alike. A mode that fails to initialize is
 * skipped with its reason.
 */
async function measureModes(): Promise<{
  results: Partial<Record<ModeName, ModeResult>>;
  skipped: Partial<Record<ModeName, string>>;
}> {
  const clients: Partial<Record<ModeName, StdioRpcClient>> = {};
  const skipped: Partial<Record<ModeName, string>> = {};
  await Promise.all(
    MODES.map(async (m) => {
      const started = await startInitialized(m);
      if ('client' in started) clients[m] = started.client;
      else skipped[m] = started.skipped;
    }),
  );
  const modes = MODES.filter((m) => clients[m]);
  for (const [mode, why] of Object.entries(skipped)) console.log(`  skipping ${mode}: ${why}`);
  type Samples = { c1: LoadSample[]; c32: LoadSample[]; big: number[] };
  const samples = Object.fromEntries(
    modes.map((m): [ModeName, Samples] => [m, { c1: [], c32: [], big: [] }]),
  ) as Record<ModeName, Samples>;
  const client = (mode: ModeName) => clients[mode]!;
  try {
    for (const mode of modes) {
      await closedLoop({ concurrency: 32, calls: WARMUP, timeCapMs: TIME_CAP_MS, call: echo(client(mode)) });
      await client(mode).callTool('big', { bytes: BIG_BYTES });
    }
    const perRound = Math.ceil(CALLS / ROUNDS);
    for (let round = 0; round < ROUNDS; round++) {
      for (const mode of modes) {
        const call = echo(client(mode));
        samples[mode].c1.push(
          await closedLoop({ concurrency: 1, calls: perRound, timeCapMs: TIME_CAP_MS, call }),
        );
      }
      for (const mode of modes) {
        const call = echo(client(mode));
        samples[mode].c32.push(
          await closedLoop({ concurrency: 32, calls: perRound, timeCapMs: TIME_CAP_MS, call }),
        );
      }
      for (const mode of modes) {
        for (let i = 0; i < BIG_REPS / ROUNDS; i++) {
          const t0 = performance.now();
          const reply = await client(mode).callTool('big', { bytes: BIG_BYTES });
          if (reply.error) throw new Error(`${mode}: 1 MiB reply failed: ${reply.error.message}`);
          samples[mode].big.push(performance.now() - t0);
        }
      }
    }
  } finally {
    await Promise.all(modes.map((m) => client(m).close(5000)));
  }
  const results = Object.fromEntries(
    modes.map((m) => [
      m,
      {
        c1: summarise(mergeSamples(samples[m].c1)),
        c32: summarise(mergeSamples(samples[m].c32)),
        bigMs: median(samples[m].big),
      },
    ]),
  ) as Partial<Record<ModeName, ModeResult>>;
  return { results, skipped };
}

/** File write → first reply from the new process, through `switchboard run --watch`. */
async function measureRestart(
  fixture: string,
): Promise<{ samples: number[]; errors: number; startupMs: number }> {
  mkdirSync(path.join(REPO, '.tmp-test'), { recursive: true });
  const dir = mkdtempSync(path.join(REPO, '.tmp-test', 'bench-'));
  const versionFile = path.join(dir, 'version.txt');
  writeFileSync(versionFile, 'r0');
  const startupMs = await measureStartup(fixture);
  const client = startMode('switchboard', {
    runArgs: ['--watch', dir, '--debounce', String(DEBOUNCE_MS)],
    env: { FIXTURE_VERSION_FILE: versionFile },
    fixture,
  });
  const samples: number[] = [];
  let errors = 0;
  try {
    await client.initialize();
    for (let rep = 1; rep <= RESTART_REPS; rep++) {
      await new Promise((r) => setTimeout(r, 300));
      const version = `r${rep}`;
      const t0 = performance.now();
      writeFileSync(versionFile, version);
      const deadline = t0 + 10_000;
      for (;;) {
        const reply = await client.callTool('version', {});
        if (reply.error) errors++;
        else if ((JSON.parse(contentText(reply)) as { version: string }).version === version) break;
        if (performance.now() > deadline) throw new Error('restart did not happen within 10 s');
        await new Promise((r) => setTimeout(r, 5));
      }
      samples.push(performance.now() - t0);
    }
  } finally {
    await client.close(5000);
    rmSync(dir, { recursive: true, force: true });
  }
  return { samples, errors, startupMs };
}

/** Crash → first successful reply from the restarted process, through `switchboard run` (a fresh run each time). */
async function measureCrashRecovery(): Promise<number[]> {
  const samples: number[] = [];
  for (let rep = 0; rep < 3; rep++) {
    const client = startMode('switchboard');
    try {
      await client.initialize();
      const t0 = performance.now();
      await client.callTool('crash', { code: 1 }); // answered with server_exited
      const deadline = t0 + 10_000;
      while ((await client.callTool('echo', { text: 'back?' })).error) {
        if (performance.now() > deadline) throw new Error('no recovery within 10 s');
      }
      samples.push(performance.now() - t0);
    } finally {
      await client.close(5000);
    }
  }
  return samples;
}

/** The server's own cost: spawn → first initialize reply, directly (median of 5). */
async function measureStartup(fixture: string): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    const client = startMode('direct', { fixture });
    await client.initialize();
    times.push(performance.now() - t0);
    await client.close(5000);
  }
  return median(times);
}

function contentText(reply: { result?: unknown }): string {
  return ((reply.result as { content?: { text?: string }[] })?.content ?? [])
    .map((c) => c.text ?? '')
    .join('');
}

function row(name: string, r: ModeResult): string {
  const cells = [
    name.padEnd(16),
    round(r.c1.reqPerSec, 0).toString().padStart(8),
    round(r.c1.p50Ms, 3).toString().padStart(8),
    round(r.c1.p99Ms, 3).toString().padStart(8),
    round(r.c32.reqPerSec, 0).toString().padStart(8),
    round(r.c32.p50Ms, 3).toString().padStart(8),
    round(r.c32.p99Ms, 3).toString().padStart(8),
    round(r.bigMs, 2).toString().padStart(9),
  ];
  return cells.join(' ');
}

type Ratios = { c1ReqPerSec: number; c32ReqPerSec: number; c1P50: number; big: number };
type Restart = Awaited<ReturnType<typeof measureRestart>>;

async function main(): Promise<void> {
  console.log(
    `switchboard bench: ${CALLS} tools/call echo per mode and level in ${ROUNDS} interleaved rounds ` +
      `after ${WARMUP} warm-up calls; 1 MiB reply: median of ${BIG_REPS}`,
  );
  const { results, skipped } = await measureModes();
  const measured = MODES.filter((m) => results[m]);
  for (const mode of measured) {
    const errs = results[mode]!.c1.errors + results[mode]!.c32.errors;
    if (errs > 0) console.log(`  ${mode}: ${errs} error replies`);
  }
  let crashRecovery: number[] = [];
  let restarts: Record<string, Restart> = {};
  if (results.switchboard) {
    crashRecovery = await measureCrashRecovery();
    restarts = {
      sdkFixture: await measureRestart(FIXTURE),
      rawFixture: await measureRestart(RAW_FIXTURE),
    };
  }

  console.log('');
  console.log(
    `${'mode'.padEnd(16)} ${'c1 req/s'.padStart(8)} ${'c1 p50'.padStart(8)} ${'c1 p99'.padStart(8)} ${'c32 r/s'.padStart(8)} ${'c32 p50'.padStart(8)} ${'c32 p99'.padStart(8)} ${'1MiB ms'.padStart(9)}`,
  );
  for (const mode of MODES) {
    const r = results[mode];
    console.log(r ? row(mode, r) : `${mode.padEnd(16)} skipped: ${skipped[mode] ?? '?'}`);
  }

  const direct = results.direct;
  const ratios: Partial<Record<ModeName, Ratios>> = {};
  if (direct) {
    for (const mode of measured) {
      if (mode === 'direct') continue;
      const r = results[mode]!;
      ratios[mode] = {
        c1ReqPerSec: round(r.c1.reqPerSec / direct.c1.reqPerSec),
        c32ReqPerSec: round(r.c32.reqPerSec / direct.c32.reqPerSec),
        c1P50: round(r.c1.p50Ms / direct.c1.p50Ms),
        big: round(r.bigMs / direct.bigMs),
      };
    }
  }
  const ratioModes = (['switchboard', 'sdk-passthrough'] as const).filter((m) => ratios[m]);
  if (ratioModes.length > 0) {
    const cell = (m: ModeName, key: keyof Ratios) => String(ratios[m]![key]).padStart(Math.max(11, m.length));
    const line = (label: string, key: keyof Ratios) =>
      console.log(`  ${label.padEnd(34)} ${ratioModes.map((m) => cell(m, key)).join('   ')}`);
    console.log('');
    console.log(
      `${'ratios to direct (target)'.padEnd(36)} ${ratioModes.map((m) => m.padStart(11)).join('   ')}`,
    );
    line('req/s at concurrency 32 (>= 0.5)', 'c32ReqPerSec');
    line('req/s at concurrency 1', 'c1ReqPerSec');
    line('p50 at concurrency 1 (<= 2)', 'c1P50');
    line('1 MiB reply time (<= 1.5)', 'big');
  }

  const restartBudget = DEBOUNCE_MS + 150;
  console.log('');
  if (results.switchboard) {
    console.log(
      `restart latency: file write -> first reply from the new process (debounce ${DEBOUNCE_MS} ms, target <= ${restartBudget} ms)`,
    );
    for (const [name, r] of Object.entries(restarts)) {
      const med = median(r.samples);
      console.log(
        `  ${name.padEnd(11)} median ${round(med, 0)} ms, max ${round(Math.max(...r.samples), 0)} ms; ` +
          `the server alone takes ${round(r.startupMs, 0)} ms to start, so Switchboard adds ` +
          `${round(med - DEBOUNCE_MS - r.startupMs, 0)} ms beyond debounce + start; errors: ${r.errors}`,
      );
    }
    console.log(
      `crash recovery: crash -> first good reply from the new process: ` +
        `${crashRecovery.map((x) => `${round(x, 0)} ms`).join(', ')} (first retry after 100 ms ±20 %, then the server's start)`,
    );
  } else {
    console.log('restart latency and crash recovery: not measured (switchboard skipped)');
  }
  // HTTP paths need longer runs than stdio ones to settle (JIT, keep-alive sockets).
  const gateway = await measureGateway({
    calls: CALLS * 10,
    rounds: ROUNDS,
    warmup: 3000,
    timeCapMs: TIME_CAP_MS,
  });
  printGateway(gateway);
  const extensions = await measureExtensions({
    calls: CALLS * 10,
    rounds: ROUNDS * 3,
    warmup: 3000,
    timeCapMs: TIME_CAP_MS,
  });
  printExtensions(extensions);
  const scale = await measureScale([10, 50, 200]);
  printScale(scale);
  console.log(
    JSON.stringify({
      calls: CALLS,
      gateway,
      extensions,
      scale,
      skipped,
      results,
      ratios: { switchboard: ratios.switchboard, sdkPassthrough: ratios['sdk-passthrough'] },
      crashRecoveryMs: crashRecovery.map((x) => round(x, 1)),
      restart: {
        debounceMs: DEBOUNCE_MS,
        ...Object.fromEntries(
          Object.entries(restarts).map(([k, r]) => [
            k,
            {
              samplesMs: r.samples.map((x) => round(x, 1)),
              medianMs: round(median(r.samples), 1),
              maxMs: round(Math.max(...r.samples), 1),
              startupMs: round(r.startupMs, 1),
              errors: r.errors,
            },
          ]),
        ),
      },
    }),
  );
}

await main();
