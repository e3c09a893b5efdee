/**
 * The engine at scale (`npm run bench`, or alone: `npm run bench:scale`): `switchboard serve` with
 * N copies of the dependency-free fixture server. For each N: spawn → all ready, the engine's CPU
 * while nothing happens (10 s after all are ready, the engine process only), its RSS, the latency of
 * `GET /api/v1/servers`, and how long an engine event takes to reach a reader of `/events` (what the
 * window sees). Every wait is bounded.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { processCpuMs } from './process-cpu.js';
import { RAW_FIXTURE, REPO } from './modes.js';
import { median, round } from './stats.js';

const SWITCHBOARD = path.join(REPO, 'bin/switchboard.mjs');
const READY_BOUND_MS = 180_000;
const IDLE_WINDOW_MS = 10_000;
const LIST_REQUESTS = 50;
const EVENT_REPS = 5;

export interface ScaleFigures {
  servers: number;
  allReadyMs: number;
  idleCpuPercent: number | undefined;
  /** The same, while a reader follows /events (the window open). */
  watchedCpuPercent: number | undefined;
  rssMiB: number | undefined;
  listServersP50Ms: number;
  eventToReaderP50Ms: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function rssMiB(pid: number): number | undefined {
  try {
    const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb === undefined ? undefined : round(Number(kb) / 1024, 1);
  } catch {
    return undefined;
  }
}

interface Served {
  child: ChildProcess;
  url: string;
  token: string;
  home: string;
  startedAt: number;
}

async function startServe(servers: number): Promise<Served> {
  mkdirSync(path.join(REPO, '.tmp-test'), { recursive: true });
  const home = mkdtempSync(path.join(REPO, '.tmp-test', 'scale-'));
  const mcpServers = Object.fromEntries(
    Array.from({ length: servers }, (_, i) => [`s${i}`, { command: process.execPath, args: [RAW_FIXTURE] }]),
  );
  writeFileSync(path.join(home, 'config.json'), JSON.stringify({ mcpServers }));
  const startedAt = performance.now();
  const child = spawn(process.execPath, [SWITCHBOARD, 'serve', '--port', '0'], {
    env: { ...process.env, SWITCHBOARD_HOME: home, SWITCHBOARD_CONFIG: '' },
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  let out = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  const deadline = Date.now() + 30_000;
  while (!/listening on/.test(out)) {
    if (Date.now() > deadline || child.exitCode !== null) throw new Error('serve did not start');
    await sleep(20);
  }
  const info = JSON.parse(readFileSync(path.join(home, 'engine.json'), 'utf8')) as {
    url: string;
    token: string;
  };
  return { child, url: info.url, token: info.token, home, startedAt };
}

async function stopServe(served: Served): Promise<void> {
  const exited = new Promise((r) => served.child.once('exit', r));
  served.child.kill('SIGTERM');
  const timer = setTimeout(() => served.child.kill('SIGKILL'), 20_000);
  await exited;
  clearTimeout(timer);
  rmSync(served.home, { recursive: true, force: true });
}

async function getServers(served: Served): Promise<{ name: string; state: string }[]> {
  const res = await fetch(`${served.url}/api/v1/servers`, {
    headers: { authorization: `Bearer ${served.token}` },
  });
  return ((await res.json()) as { servers: { name: string; state: string }[] }).servers;
}

/** Milliseconds from a restart request to its `server.state` → restarting event on /events. */
async function eventLatencies(served: Served): Promise<number[]> {
  const controller = new AbortController();
  const res = await fetch(`${served.url}/events`, {
    headers: { authorization: `Bearer ${served.token}`, accept: 'text/event-stream' },
    signal: controller.signal,
  });
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buffered = '';
  const waitFor = async (match: (line: string) => boolean, bound: number): Promise<boolean> => {
    const deadline = Date.now() + bound;
    while (Date.now() < deadline) {
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      if (lines.some(match)) return true;
      const { value, done } = await reader.read();
      if (done) return false;
      buffered += decoder.decode(value, { stream: true });
    }
    return false;
  };
  const samples: number[] = [];
  try {
    for (let i = 0; i < EVENT_REPS; i++) {
      const started = performance.now();
      void fetch(`${served.url}/api/v1/servers/s0/restart`, {
        method: 'POST',
        headers: { authorization: `Bearer ${served.token}` },
      });
      const seen = await waitFor((l) => l.includes('"server.state"') && l.includes('"restarting"'), 10_000);
      if (seen) samples.push(performance.now() - started);
      await waitFor((l) => l.includes('"server.state"') && l.includes('"to":"ready"'), 10_000);
    }
  } finally {
    controller.abort();
  }
  return samples;
}

/** Percent of one core the process used over the next `ms`. */
async function cpuOver(pid: number, ms: number): Promise<number | undefined> {
  const before = processCpuMs(pid);
  const started = performance.now();
  await sleep(ms);
  const after = processCpuMs(pid);
  if (before === undefined || after === undefined) return undefined;
  return round(((after - before) / (performance.now() - started)) * 100, 2);
}

/** Runs `measure` while a reader follows /events, as the window does. */
async function whileWatched<T>(served: Served, measure: () => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const res = await fetch(`${served.url}/events`, {
    headers: { authorization: `Bearer ${served.token}`, accept: 'text/event-stream' },
    signal: controller.signal,
  });
  const reading = (async () => {
    const reader = res.body!.getReader();
    for (;;) if ((await reader.read()).done) return;
  })().catch(() => undefined);
  try {
    return await measure();
  } finally {
    controller.abort();
    await reading;
  }
}

export async function measureScale(counts: number[]): Promise<ScaleFigures[]> {
  const figures: ScaleFigures[] = [];
  for (const servers of counts) {
    const served = await startServe(servers);
    try {
      const deadline = Date.now() + READY_BOUND_MS;
      while ((await getServers(served)).filter((s) => s.state === 'ready').length < servers) {
        if (Date.now() > deadline) throw new Error(`${servers} servers were not all ready in time`);
        await sleep(50);
      }
      const allReadyMs = performance.now() - served.startedAt;
      await sleep(1000); // let start-up's last work settle
      const pid = served.child.pid!;
      const idleCpuPercent = await cpuOver(pid, IDLE_WINDOW_MS);
      const watchedCpuPercent = await whileWatched(served, () => cpuOver(pid, IDLE_WINDOW_MS));
      const rss = rssMiB(pid);
      const listSamples: number[] = [];
      for (let i = 0; i < LIST_REQUESTS; i++) {
        const started = performance.now();
        await getServers(served);
        listSamples.push(performance.now() - started);
      }
      const events = await eventLatencies(served);
      figures.push({
        servers,
        allReadyMs: round(allReadyMs, 0),
        idleCpuPercent,
        watchedCpuPercent,
        rssMiB: rss,
        listServersP50Ms: round(median(listSamples), 2),
        eventToReaderP50Ms: round(median(events), 1),
      });
    } finally {
      await stopServe(served);
    }
  }
  return figures;
}

export function printScale(figures: ScaleFigures[]): void {
  console.log('\nThe engine at scale (switchboard serve, N dependency-free fixture servers)');
  console.log(
    'servers | spawn → all ready | idle CPU (10 s) | idle CPU, /events followed | RSS | GET /api/v1/servers p50 | event → /events p50',
  );
  for (const f of figures) {
    console.log(
      `${f.servers} | ${f.allReadyMs} ms | ${f.idleCpuPercent ?? 'n/a'} % | ${f.watchedCpuPercent ?? 'n/a'} % | ${f.rssMiB ?? 'n/a'} MiB | ${f.listServersP50Ms} ms | ${f.eventToReaderP50Ms} ms`,
    );
  }
}

// Alone: `tsx bench/scale-bench.ts [N ...]`.
if (import.meta.url === `file://${process.argv[1]}`) {
  const counts = process.argv.slice(2).map(Number);
  printScale(await measureScale(counts.length > 0 ? counts : [10, 50, 200]));
}
