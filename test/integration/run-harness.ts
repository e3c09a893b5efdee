import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { StdioRpcClient } from '../helpers/stdio-rpc-client.js';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const SWITCHBOARD = path.join(REPO, 'bin/switchboard.mjs');
export const ECHO_SERVER = path.join(REPO, 'test/fixtures/echo-server.mjs');

/** A temp folder holding a copy of the fixture server and its version file, watched by `run`. */
export interface Workspace {
  dir: string;
  server: string;
  versionFile: string;
  setVersion(version: string): void;
  dispose(): void;
}

export function makeWorkspace(version = 'v1', fixture = ECHO_SERVER): Workspace {
  // Inside the repo so that the copied fixture resolves the SDK from our node_modules (ESM ignores NODE_PATH).
  mkdirSync(path.join(REPO, '.tmp-test'), { recursive: true });
  const dir = mkdtempSync(path.join(REPO, '.tmp-test', 'run-'));
  const server = path.join(dir, path.basename(fixture));
  copyFileSync(fixture, server);
  const versionFile = path.join(dir, 'version.txt');
  writeFileSync(versionFile, version);
  return {
    dir,
    server,
    versionFile,
    setVersion: (v) => writeFileSync(versionFile, v),
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Starts `switchboard run` over the fixture server copied into `ws`. */
export function startRun(
  ws: Workspace,
  runArgs: string[] = [],
  env: Record<string, string> = {},
): StdioRpcClient {
  return StdioRpcClient.spawn(process.execPath, [SWITCHBOARD, 'run', ...runArgs, '--', 'node', ws.server], {
    cwd: ws.dir,
    env: {
      FIXTURE_VERSION_FILE: ws.versionFile,
      ...env,
    },
  });
}

/** True while the process exists and is not a zombie (this sandbox's init reaps orphans slowly). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true; // no /proc (macOS): kill(0) said it exists
  }
}

/** Waits (bounded) until `check` holds. */
export async function waitUntil(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export function textOf(response: { result?: unknown }): string {
  const content = (response.result as { content?: { type: string; text?: string }[] } | undefined)?.content;
  return content?.map((c) => c.text ?? '').join('') ?? '';
}
