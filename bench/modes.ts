import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { StdioRpcClient } from '../test/helpers/stdio-rpc-client.js';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const FIXTURE = path.join(REPO, 'test/fixtures/echo-server.mjs');
export const RAW_FIXTURE = path.join(REPO, 'test/fixtures/raw-server.mjs');
const SWITCHBOARD = path.join(REPO, 'bin/switchboard.mjs');
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
