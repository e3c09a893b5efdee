import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { StdioRpcClient } from '../test/helpers/stdio-rpc-client.js';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const FIXTURE = path.join(REPO, 'test/fixtures/echo-server.mjs');
export const RAW_FIXTURE = path.join(REPO, 'test/fixtures/raw-server.mjs');
/** SWITCHBOARD_BIN: benchmark another build of the launcher. */
const SWITCHBOARD = process.env.SWITCHBOARD_BIN ?? path.join(REPO, 'bin/switchboard.mjs');
const SDK_PASSTHROUGH = path.join(REPO, 'bench/sdk-passthrough.mjs');

export type ModeName = 'direct' | 'sdk-passthrough' | 'switchboard';

/** The three ways to reach the same upstream fixture. */
export function startMode(
  mode: ModeName,
  opts: { runArgs?: string[]; env?: Record<string, string>; fixture?: string } = {},
): StdioRpcClient {
  const node = process.execPath;
  const fixture = opts.fixture ?? FIXTURE;
  const upstream = [node, fixture];
  const argv: Record<ModeName, string[]> = {
    direct: [fixture],
    'sdk-passthrough': [SDK_PASSTHROUGH, ...upstream],
    switchboard: [SWITCHBOARD, 'run', ...(opts.runArgs ?? ['--no-watch']), '--', ...upstream],
  };
  return StdioRpcClient.spawn(node, argv[mode], { cwd: REPO, env: opts.env });
}

/**
 * Starts a mode and initializes it; a mode that cannot (not built yet, crashes, hangs) is closed and
 * reported as `skipped` with the reason and its stderr error line, so the others can still be measured.
 */
export async function startInitialized(
  mode: ModeName,
  opts: Parameters<typeof startMode>[1] = {},
  timeoutMs = 15_000,
): Promise<{ client: StdioRpcClient } | { skipped: string }> {
  const client = startMode(mode, opts);
  try {
    await client.initialize({}, { timeoutMs });
    return { client };
  } catch (err) {
    await client.close(2000);
    // The line that says why (a stack trace's `Error: ...`), else the last thing it printed.
    const lines = client.stderrLines.map((l) => l.trim()).filter((l) => l !== '');
    const why = lines.find((l) => /error/i.test(l)) ?? lines.at(-1);
    return { skipped: why ? `${(err as Error).message}: ${why}` : (err as Error).message };
  }
}
