import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startKeyringSession, type KeyringSession } from '../test/helpers/keyring-session.js';
import { watchForLeaks, type LeakWatch } from './page-checks.js';
import { ECHO_SERVER, freePort, launchBrowser, REPO, startEngine, type Engine } from './harness.js';

// The scene of clients-window.e2e.test.ts: a person's HOME with Cursor's and Claude Desktop's files
// (written by the first test), a real OS keyring, Chromium watching for the token, and `switchboard
// serve` with its own home.

/** Looks like a GitHub token (ghp_ + 36), so the import treats it as a credential by its value. */
export const TOKEN = 'ghp_e2eClientsZq7vK2mW9xLp4RtY7Q3dHs8Nbx';
/** The token, and its first 12 characters (a value cut short is a leak too). */
export const NEEDLES = [TOKEN, TOKEN.slice(0, 12)];
export const SECRET = 'echo-FIXTURE_TOKEN';
export const secretTool = spawnSync('sh', ['-c', 'command -v secret-tool']).status === 0;

export interface ServerEntry {
  command: string;
  args: string[];
  env?: Record<string, string>;
}
export interface SecretsAnswer {
  secrets: { name: string; set: boolean; hint?: string; usedBy: string[] }[];
}
export interface ServersAnswer {
  servers: { name: string; state: string }[];
}

export function cursorConfig(): string {
  const args = JSON.stringify([ECHO_SERVER]);
  return `{
  // Cursor's servers, edited by hand: this comment must come back with an undo.
  "mcpServers": {
    "echo": {
      "command": ${JSON.stringify(process.execPath)},
      "args": ${args},
      "env": { "FIXTURE_TOKEN": "${TOKEN}" }
    }
  }
}
`;
}

/** Claude Desktop's "echo" runs the same fixture with another description: a different server. */
export function claudeConfig(): string {
  const echo = {
    command: process.execPath,
    args: [ECHO_SERVER],
    env: { FIXTURE_ECHO_DESCRIPTION: "Claude Desktop's echo" },
  };
  return `${JSON.stringify({ mcpServers: { echo } }, null, 2)}\n`;
}

export interface ClientsScene {
  /** <temp>/home is the person's HOME, <temp>/sb Switchboard's home, <temp>/project an empty project. */
  temp: string;
  sbHome: string;
  cursorFile: string;
  claudeFile: string;
  session: KeyringSession;
  browser: Browser;
  context: BrowserContext;
  page: Page;
  engine: Engine;
  /** Where the token showed up in the window or the API's answers (never, we hope). */
  leaks: LeakWatch;
  stop(): Promise<void>;
}

export async function startClientsScene(): Promise<ClientsScene> {
  mkdirSync(path.join(REPO, '.tmp-test'), { recursive: true });
  const temp = mkdtempSync(path.join(REPO, '.tmp-test', 'clients-e2e-'));
  const home = path.join(temp, 'home');
  const sbHome = path.join(temp, 'sb');
  mkdirSync(path.join(temp, 'project'));
  mkdirSync(sbHome);
  writeFileSync(path.join(sbHome, 'config.json'), JSON.stringify({ mcpServers: {} }, null, 2));

  const session = await startKeyringSession();
  const browser = await launchBrowser();
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const leaks = await watchForLeaks(context, NEEDLES);
  const page = await context.newPage();
  // The client files are found under HOME (os.homedir() follows it on Linux); XDG_CONFIG_HOME,
  // CLAUDE_CONFIG_DIR and CODEX_HOME would move some of them, so they point inside it or are unset.
  const engine = await startEngine(sbHome, await freePort(), {
    ...session.env,
    HOME: home,
    XDG_CONFIG_HOME: path.join(home, '.config'),
    CLAUDE_CONFIG_DIR: '',
    CODEX_HOME: '',
  });
  return {
    temp,
    sbHome,
    cursorFile: path.join(home, '.cursor', 'mcp.json'),
    claudeFile: path.join(home, '.config', 'Claude', 'claude_desktop_config.json'),
    session,
    browser,
    context,
    page,
    engine,
    leaks,
    stop: async () => {
      await browser.close();
      await engine.stop();
      await session.stop();
      rmSync(temp, { recursive: true, force: true });
    },
  };
}
