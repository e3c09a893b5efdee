import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EngineOptions } from '../../electron/engine/index.js';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const ECHO_FIXTURE = path.join(REPO, 'test/fixtures/echo-server.mjs');

/** A fresh engine home under .tmp-test whose config runs one server, `echo` (the repo's fixture). */
export function makeEchoHome(prefix: string): string {
  mkdirSync(path.join(REPO, '.tmp-test'), { recursive: true });
  const home = mkdtempSync(path.join(REPO, '.tmp-test', `${prefix}-`));
  writeFileSync(
    path.join(home, 'config.json'),
    JSON.stringify({ mcpServers: { echo: { command: process.execPath, args: [ECHO_FIXTURE] } } }),
  );
  return home;
}

/** Options for an in-process engine on `home`: any free port, silent. */
export function engineOptions(home: string): EngineOptions {
  return {
    home,
    configFile: path.join(home, 'config.json'),
    port: 0,
    homedir: home,
    env: process.env,
    version: 'test',
    log: () => {},
  };
}
