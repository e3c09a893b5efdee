/**
 * The gateway's paths in one run: the fixture directly over stdio, through `switchboard connect`,
 * through `/mcp/echo` of `switchboard serve`, through the SDK's Streamable HTTP pass-through (the
 * peer baseline) and through a bare HTTP→stdio proxy (the ceiling). Plus the engine's memory with 10 idle servers. Every loop is bounded.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { StdioRpcClient } from '../test/helpers/stdio-rpc-client.js';
import { RawHttpClient } from './raw-http-client.js';
import { closedLoop, mergeSamples, summarise, type LoadSample, type LoadSummary } from './load.js';
import { FIXTURE, REPO, startMode } from './modes.js';
import { round } from './stats.js';

const SWITCHBOARD = path.join(REPO, 'bin/switchboard.mjs');
const SDK_HTTP = path.join(REPO, 'bench/sdk-http-passthrough.mjs');
const RAW_HTTP = path.join(REPO, 'bench/raw-http-proxy.mjs');
const PATHS = ['direct', 'connect', 'switchboard-http', 'sdk-http', 'raw-http'] as const;
type PathName = (typeof PATHS)[number];
type Caller = { callTool: (name: string, args: Record<string, unknown>) => Promise<{ error?: unknown }> };

interface Served {
  child: ChildProcess;
  home: string;
  url: string;
  token: string;
  stop(): Promise<void>;
}

/** `switchboard serve` on a fresh home with these servers (and any other config, env), once all are ready. */
export async function serve(
  servers: Record<string, unknown>,
  opts: { config?: Record<string, unknown>; env?: Record<string, string>; nodeArgs?: string[] } = {},
): Promise<Served> {
  mkdirSync(path.join(REPO, '.tmp-test'), { recursive: true });
  const home = mkdtempSync(path.join(REPO, '.tmp-test', 'bench-serve-'));
  writeFileSync(path.join(home, 'config.json'), JSON.stringify({ mcpServers: servers, ...opts.config }));
  const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), SWITCHBOARD, 'serve', '--port', '0'], {
    env: { ...process.env, ...opts.env, SWITCHBOARD_HOME: home, SWITCHBOARD_CONFIG: '' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await waitForLine(child, /listening on/, 20_000);
  const info = JSON.parse(readFileSync(path.join(home, 'engine.json'), 'utf8')) as {
    url: string;
    token: string;
  };
  const stop = async () => {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
    rmSync(home, { recursive: true, force: true });
  };
  const ready = async () => {
    const res = await fetch(`${info.url}/readyz`);
    return res.status === 200;
  };
  const deadline = Date.now() + 30_000;
  while (!(await ready())) {
    if (Date.now() > deadline) throw new Error('the engine did not get every server ready in 30 s');
    await new Promise((r) => setTimeout(r, 50));
  }
  return { child, home, url: info.url, token: info.token, stop };
}

export function waitForLine(child: ChildProcess, pattern: RegExp, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(
      () => reject(new Error(`no ${pattern} within ${timeoutMs} ms: ${out}`)),
      timeoutMs,
    );
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const line = out.split('\n').find((l) => pattern.test(l));
      if (line) {
        clearTimeout(timer);
        resolve(line);
      }
    });
  });
}

export interface GatewayBench {
  results: Record<PathName, { c1: LoadSummary; c32: LoadSummary }>;
  ratios: {
    httpVsSdkHttpC32: number;
    connectVsDirectC32: number;
    httpVsDirectC32: number;
    httpVsRawHttpC32: number;
  };
  idleRssMb: number;
}

export async function measureGateway(opts: {
  calls: number;
  rounds: number;
  warmup: number;
  timeCapMs: number;
}): Promise<GatewayBench> {
  const engine = await serve({ echo: { command: process.execPath, args: [FIXTURE] } });
  const proxies = [SDK_HTTP, RAW_HTTP].map((script) =>
    spawn(process.execPath, [script, process.execPath, FIXTURE], { stdio: ['ignore', 'pipe', 'inherit'] }),
  );
  const [sdkUrl, rawUrl] = await Promise.all(
    proxies.map(async (p) =>
      (await waitForLine(p, /listening on/, 15_000)).replace('listening on ', '').trim(),
    ),
  );
  const direct = startMode('direct');
  const connect = StdioRpcClient.spawn(process.execPath, [SWITCHBOARD, 'connect', 'echo'], {
    cwd: REPO,
    env: { SWITCHBOARD_HOME: engine.home },
  });
  const http = {
    'switchboard-http': new RawHttpClient(new URL(`${engine.url}/mcp/echo`)),
    'sdk-http': new RawHttpClient(new URL(sdkUrl!)),
    'raw-http': new RawHttpClient(new URL(rawUrl!)),
  };
  try {
    await Promise.all([
      direct.initialize(),
      connect.initialize(),
      ...Object.values(http).map((c) => c.initialize()),
    ]);
    const callers: Record<PathName, Caller> = { direct, connect, ...http };
    const samples = Object.fromEntries(
      PATHS.map((p) => [p, { c1: [] as LoadSample[], c32: [] as LoadSample[] }]),
    );
    const run = (p: PathName, concurrency: number, calls: number) =>
      closedLoop({
        concurrency,
        calls,
        timeCapMs: opts.timeCapMs,
        call: (i) => callers[p].callTool('echo', { text: `hello ${i}` }),
      });
    for (const p of PATHS) await run(p, 32, opts.warmup);
    const perRound = Math.ceil(opts.calls / opts.rounds);
    for (let r = 0; r < opts.rounds; r++) {
      for (const p of PATHS) samples[p]!.c1.push(await run(p, 1, Math.ceil(perRound / 4)));
      for (const p of PATHS) samples[p]!.c32.push(await run(p, 32, perRound));
    }
    const results = Object.fromEntries(
      PATHS.map((p) => [
        p,
        { c1: summarise(mergeSamples(samples[p]!.c1)), c32: summarise(mergeSamples(samples[p]!.c32)) },
      ]),
    ) as GatewayBench['results'];
    const c32 = (p: PathName) => results[p].c32.reqPerSec;
    return {
      results,
      ratios: {
        httpVsSdkHttpC32: round(c32('switchboard-http') / c32('sdk-http')),
        connectVsDirectC32: round(c32('connect') / c32('direct')),
        httpVsDirectC32: round(c32('switchboard-http') / c32('direct')),
        httpVsRawHttpC32: round(c32('switchboard-http') / c32('raw-http')),
      },
      idleRssMb: await measureIdleRss(),
    };
  } finally {
    for (const client of Object.values(http)) client.close();
    await Promise.all([direct.close(5000), connect.close(5000)]);
    for (const p of proxies) p.kill('SIGTERM');
    await engine.stop();
  }
}

/** The engine's resident memory with 10 idle servers, after they settle. */
async function measureIdleRss(): Promise<number> {
  const servers = Object.fromEntries(
    Array.from({ length: 10 }, (_, i) => [`idle${i}`, { command: process.execPath, args: [FIXTURE] }]),
  );
  const engine = await serve(servers);
  try {
    await new Promise((r) => setTimeout(r, 3000));
    const status = readFileSync(`/proc/${engine.child.pid}/status`, 'utf8');
    const kb = Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? NaN);
    return round(kb / 1024, 1);
  } finally {
    await engine.stop();
  }
}

export function printGateway(bench: GatewayBench): void {
  console.log('');
  console.log(
    `${'path'.padEnd(18)} ${'c1 req/s'.padStart(8)} ${'c1 p50'.padStart(8)} ${'c32 r/s'.padStart(8)} ${'c32 p50'.padStart(8)} ${'c32 p99'.padStart(8)}`,
  );
  for (const p of PATHS) {
    const r = bench.results[p];
    console.log(
      [
        p.padEnd(18),
        round(r.c1.reqPerSec, 0).toString().padStart(8),
        round(r.c1.p50Ms, 3).toString().padStart(8),
        round(r.c32.reqPerSec, 0).toString().padStart(8),
        round(r.c32.p50Ms, 3).toString().padStart(8),
        round(r.c32.p99Ms, 3).toString().padStart(8),
      ].join(' '),
    );
  }
  console.log(`  /mcp/echo vs SDK HTTP pass-through, c32 (target >= 5): ${bench.ratios.httpVsSdkHttpC32}`);
  console.log(`  connect vs direct stdio, c32 (target >= 0.35):        ${bench.ratios.connectVsDirectC32}`);
  console.log(`  /mcp/echo vs direct stdio, c32:                       ${bench.ratios.httpVsDirectC32}`);
  console.log(`  /mcp/echo vs a bare HTTP→stdio proxy (the ceiling):   ${bench.ratios.httpVsRawHttpC32}`);
  console.log(`  engine RSS with 10 idle servers (target <= 80 MB):    ${bench.idleRssMb} MB`);
}
