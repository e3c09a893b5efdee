/**
 * What the extension framework costs on `/mcp/echo`: the same engine with the framework held off
 * (SWITCHBOARD_EXTENSIONS=off, the baseline), with every extension disabled, and with the
 * request logger, rate limiter and tool filter on. Interleaved rounds; every loop is bounded.
 */
import { RawHttpClient } from './raw-http-client.js';
import { closedLoop, mergeSamples, summarise, type LoadSample, type LoadSummary } from './load.js';
import { FIXTURE } from './modes.js';
import { serve } from './gateway-bench.js';
import { processCpuMs } from './process-cpu.js';
import { round } from './stats.js';

const SETUPS = ['held-off', 'none-enabled', 'logger+limiter+filter'] as const;
type Setup = (typeof SETUPS)[number];

const ALL_OFF = Object.fromEntries(
  [
    'request-logger',
    'circuit-breaker',
    'rate-limiter',
    'tool-filter',
    'quarantine',
    'large-response-handler',
    'tool-search',
  ].map((id) => [id, { enabled: false }]),
);

const CONFIG: Record<Setup, Record<string, unknown>> = {
  'held-off': { extensions: ALL_OFF },
  'none-enabled': { extensions: ALL_OFF },
  'logger+limiter+filter': {
    extensions: {
      ...ALL_OFF,
      'request-logger': { enabled: true },
      // Limits far above what the bench sends: every call takes a token, none is refused.
      'rate-limiter': { enabled: true, config: { requestsPerMinute: 1_000_000, burst: 1_000_000 } },
      'tool-filter': { enabled: true, config: { disabledTools: ['echo__crash', 'echo__freeze'] } },
    },
  },
};

export interface ExtensionsBench {
  c32: Record<Setup, LoadSummary>;
  /** Throughput lost against the framework held off (0.02 = 2 %), all rounds together. */
  lossNoneEnabled: number;
  lossThreeEnabled: number;
  /** The engine process's CPU per call (µs), measured rounds only; absent where /proc is missing. */
  engineCpuUsPerCall?: Record<Setup, number>;
}

export async function measureExtensions(opts: {
  calls: number;
  rounds: number;
  warmup: number;
  timeCapMs: number;
}): Promise<ExtensionsBench> {
  const servers = { echo: { command: process.execPath, args: [FIXTURE] } };
  const engines = await Promise.all(
    SETUPS.map((setup) =>
      serve(servers, {
        config: CONFIG[setup],
        ...(setup === 'held-off' ? { env: { SWITCHBOARD_EXTENSIONS: 'off' } } : {}),
      }),
    ),
  );
  // A config the engine refused would leave an extension off and make the figure meaningless.
  await Promise.all(
    engines.map(async (e, i) => {
      const res = await fetch(`${e.url}/api/v1/extensions`, {
        headers: { Authorization: `Bearer ${e.token}` },
      });
      const { extensions } = (await res.json()) as {
        extensions: { id: string; enabled: boolean; problem?: string }[];
      };
      const wanted = Object.entries(
        (CONFIG[SETUPS[i]!].extensions ?? {}) as Record<string, { enabled: boolean }>,
      );
      for (const [id, { enabled }] of wanted) {
        const found = extensions.find((x) => x.id === id);
        if (found?.enabled !== (enabled && SETUPS[i] !== 'held-off'))
          throw new Error(
            `${SETUPS[i]}: ${id} is not ${enabled ? 'on' : 'off'} (${found?.problem ?? 'not listed'})`,
          );
      }
    }),
  );
  const clients = engines.map((e) => new RawHttpClient(new URL(`${e.url}/mcp/echo`)));
  try {
    await Promise.all(clients.map((c) => c.initialize()));
    const run = (i: number, calls: number) =>
      closedLoop({
        concurrency: 32,
        calls,
        timeCapMs: opts.timeCapMs,
        call: (n) => clients[i]!.callTool('echo', { text: `hello ${n}` }),
      });
    for (let i = 0; i < SETUPS.length; i++) await run(i, opts.warmup);
    const samples: LoadSample[][] = SETUPS.map(() => []);
    const cpuMs: (number | undefined)[] = SETUPS.map(() => 0);
    const perRound = Math.ceil(opts.calls / opts.rounds);
    for (let r = 0; r < opts.rounds; r++)
      for (let i = 0; i < SETUPS.length; i++) {
        const pid = engines[i]!.child.pid;
        const before = processCpuMs(pid);
        samples[i]!.push(await run(i, perRound));
        const after = processCpuMs(pid);
        cpuMs[i] = before === undefined || after === undefined ? undefined : cpuMs[i]! + after - before;
      }
    const c32 = Object.fromEntries(SETUPS.map((s, i) => [s, summarise(mergeSamples(samples[i]!))])) as Record<
      Setup,
      LoadSummary
    >;
    // Over every round together: a round here is too short for its own ratio to mean much.
    const loss = (s: Setup) => round(1 - c32[s].reqPerSec / c32['held-off'].reqPerSec, 3);
    const perCall = cpuMs.map((ms, i) =>
      ms === undefined ? undefined : (ms * 1000) / c32[SETUPS[i]!].calls,
    );
    return {
      c32,
      lossNoneEnabled: loss('none-enabled'),
      lossThreeEnabled: loss('logger+limiter+filter'),
      ...(perCall.every((x) => x !== undefined)
        ? {
            engineCpuUsPerCall: Object.fromEntries(
              SETUPS.map((s, i) => [s, round(perCall[i]!, 1)]),
            ) as Record<Setup, number>,
          }
        : {}),
    };
  } finally {
    for (const c of clients) c.close();
    await Promise.all(engines.map((e) => e.stop()));
  }
}

export function printExtensions(bench: ExtensionsBench): void {
  console.log('');
  console.log(
    `${'extensions'.padEnd(24)} ${'c32 r/s'.padStart(8)} ${'c32 p50'.padStart(8)} ${'c32 p99'.padStart(8)} ${'cpu µs/call'.padStart(12)}`,
  );
  for (const s of SETUPS) {
    const r = bench.c32[s];
    console.log(
      [
        s.padEnd(24),
        round(r.reqPerSec, 0).toString().padStart(8),
        round(r.p50Ms, 3).toString().padStart(8),
        round(r.p99Ms, 3).toString().padStart(8),
        (bench.engineCpuUsPerCall?.[s]?.toString() ?? 'n/a').padStart(12),
      ].join(' '),
    );
  }
  const pct = (x: number) => `${round(x * 100, 1)} %`;
  console.log(
    `  throughput lost, no extension enabled (target <= 3 %):          ${pct(bench.lossNoneEnabled)}`,
  );
  console.log(
    `  throughput lost, logger + rate limiter + filter (target <= 15 %): ${pct(bench.lossThreeEnabled)}`,
  );
}
