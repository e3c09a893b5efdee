import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startServe, type ServedEngine } from '../integration/serve-harness.js';

/**
 * `startServe` with extra environment (a private keyring's bus, a throw-away HOME). startServe
 * spawns from `process.env` before its first await, so the variables are set for that one
 * synchronous call and put back at once.
 */
export function startServeWithEnv(
  servers: Record<string, unknown>,
  env: Record<string, string>,
): Promise<ServedEngine> {
  const saved = Object.keys(env).map((key) => [key, process.env[key]] as const);
  Object.assign(process.env, env);
  try {
    return startServe(servers);
  } finally {
    for (const [key, value] of saved) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
}

/** A throw-away HOME, so a request that got past a guard could not touch a real client's files. */
export function throwAwayHome(): { env: Record<string, string>; dispose(): void } {
  const home = mkdtempSync(path.join(tmpdir(), 'sb-hostile-home-'));
  return {
    env: { HOME: home, XDG_CONFIG_HOME: path.join(home, '.config'), APPDATA: home },
    dispose: () => rmSync(home, { recursive: true, force: true }),
  };
}
