import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { REPO, SWITCHBOARD, waitUntil } from './run-harness.js';

export interface ServedEngine {
  home: string;
  url: string;
  token: string;
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** SIGTERM, then SIGKILL after `graceMs`; removes the home. */
  stop(graceMs?: number): Promise<void>;
}

/** A real `switchboard serve --port 0` with its own home and config, once it listens. */
export async function startServe(
  servers: Record<string, unknown>,
  timeoutMs = 20_000,
): Promise<ServedEngine> {
  mkdirSync(path.join(REPO, '.tmp-test'), { recursive: true });
  const home = mkdtempSync(path.join(REPO, '.tmp-test', 'serve-'));
  writeFileSync(path.join(home, 'config.json'), JSON.stringify({ mcpServers: servers }));
  const child = spawn(process.execPath, [SWITCHBOARD, 'serve', '--port', '0'], {
    env: { ...process.env, SWITCHBOARD_HOME: home, SWITCHBOARD_CONFIG: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  const stop = async (graceMs = 10_000) => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    }
    rmSync(home, { recursive: true, force: true });
  };
  try {
    await waitUntil(
      () => /listening on/.test(out) || child.exitCode !== null,
      timeoutMs,
      `serve to listen (stderr: ${err})`,
    );
    if (child.exitCode !== null) throw new Error(`serve exited ${child.exitCode}: ${err}`);
  } catch (error) {
    await stop();
    throw error;
  }
  const info = JSON.parse(readFileSync(path.join(home, 'engine.json'), 'utf8')) as {
    url: string;
    token: string;
  };
  return { home, url: info.url, token: info.token, child, stdout: () => out, stderr: () => err, stop };
}

/** Polls the control API until `check` holds for the server list. */
export async function untilServers(
  engine: ServedEngine,
  check: (servers: { name: string; state: string }[]) => boolean,
  what: string,
  timeoutMs = 20_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    const res = await fetch(`${engine.url}/api/v1/servers`, {
      headers: { authorization: `Bearer ${engine.token}` },
    });
    const snapshot = (await res.json()) as { servers: { name: string; state: string }[] };
    last = snapshot;
    if (check(snapshot.servers)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}: ${JSON.stringify(last)}`);
}
