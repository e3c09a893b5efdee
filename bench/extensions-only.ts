/** `npm run bench:extensions`: only the extension framework's overhead (see extensions-bench.ts). */
import { measureExtensions, printExtensions } from './extensions-bench.js';

const CALLS = Number(process.env.BENCH_CALLS ?? 4000) * 10;

async function main(): Promise<void> {
  const bench = await measureExtensions({ calls: CALLS, rounds: 12, warmup: 3000, timeCapMs: 30_000 });
  printExtensions(bench);
  console.log(JSON.stringify({ extensions: bench }));
}

void main();
