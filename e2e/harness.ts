import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const SWITCHBOARD = path.join(REPO, 'bin/switchboard.mjs');
export const ECHO_SERVER = path.join(REPO, 'test/fixtures/echo-server.mjs');
export const ARTIFACTS = path.join(REPO, 'test-results/e2e');

/** Debian's Chromium (apt-get install chromium), or CHROMIUM_PATH. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const chromiumMissing = existsSync(CHROMIUM)
  ? undefined
  : `no Chromium at ${CHROMIUM}: install it (apt-get install -y chromium) or set CHROMIUM_PATH`;

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

export interface Engine {
  home: string;
  port: number;
  url: string;
  token: string;
  child: ChildProcess;
  /** When `serve` was spawned (performance.now()). */
  spawnedAt: number;
  stop(): Promise<void>;
}

export function makeHome(config: object): string {
  mkdirSync(path.join(REPO, '.tmp-test'), { recursive: true });
  const home = mkdtempSync(path.join(REPO, '.tmp-test', 'e2e-'));
  writeFileSync(path.join(home, 'config.json'), JSON.stringify(config, null, 2));
  return home;
}

/** `switchboard serve` on a fixed port with `home`; resolves once engine.json is written. */
export async function startEngine(
  home: string,
  port: number,
  env: Record<string, string> = {},
): Promise<Engine> {
  const spawnedAt = performance.now();
  const info = path.join(home, 'engine.json');
  rmSync(info, { force: true });
  const child = spawn(process.execPath, [SWITCHBOARD, 'serve', '--port', String(port)], {
    env: { ...process.env, ...env, SWITCHBOARD_HOME: home, SWITCHBOARD_CONFIG: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  const deadline = Date.now() + 20_000;
  while (!existsSync(info)) {
    if (child.exitCode !== null) throw new Error(`serve exited ${child.exitCode}: ${err}`);
    if (Date.now() > deadline) throw new Error(`serve did not start in 20 s: ${err}`);
    await new Promise((r) => setTimeout(r, 5)); // a coarser poll would add to the first-paint figure
  }
  const { url, token } = JSON.parse(readFileSync(info, 'utf8')) as { url: string; token: string };
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  };
  return { home, port, url, token, child, spawnedAt, stop };
}

/** The one-time sign-in link `switchboard open --print` would print. */
export async function signInLink(engine: Engine): Promise<string> {
  const res = await fetch(`${engine.url}/api/v1/dashboard/code`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${engine.token}` },
  });
  return ((await res.json()) as { url: string }).url;
}

/** Calls the control API with the token (for setting the scene, not for what the test checks). */
export async function api(engine: Engine, method: string, route: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${engine.url}${route}`, {
    method,
    headers: {
      Authorization: `Bearer ${engine.token}`,
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return res.json();
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
}

/** Figures an e2e measured (latencies), written for the closing note and CI logs. */
export function recordFigure(name: string, value: number, unit: string): void {
  mkdirSync(ARTIFACTS, { recursive: true });
  const file = path.join(ARTIFACTS, 'figures.json');
  const figures = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>) : {};
  figures[name] = { value: Math.round(value * 10) / 10, unit };
  writeFileSync(file, JSON.stringify(figures, null, 2));
  console.log(`[e2e figure] ${name}: ${Math.round(value * 10) / 10} ${unit}`);
}

/** The OAuth fixture pair (authorization server + protected MCP server) as a child process. */
export interface OAuthFixture {
  mcpUrl: string;
  issuer: string;
  authUrl: string;
  resourceMetadataUrl: string;
  /** Sends one stdin command (revokeAll, expireAccessTokens, stats, …) and resolves with its JSON answer. */
  command(line: string): Promise<Record<string, unknown>>;
  stop(): Promise<void>;
}

const OAUTH_FIXTURE_CLI = path.join(REPO, 'test/fixtures/oauth/oauth-fixture-cli.ts');
const TSX = path.join(REPO, 'node_modules/.bin/tsx');

/** Starts test/fixtures/oauth/oauth-fixture-cli.ts with `options`; resolves once it printed its URLs. */
export async function startOAuthFixture(options: object = {}): Promise<OAuthFixture> {
  // stdin stays a pipe: its end (or SIGTERM) stops the fixture, so it cannot outlive the test run.
  const child = spawn(TSX, [OAUTH_FIXTURE_CLI, JSON.stringify(options)], { stdio: ['pipe', 'pipe', 'pipe'] });
  let err = '';
  child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  // Every stdout line answers, in order: first the URLs, then one line per command.
  const waiting: ((line: string) => void)[] = [];
  let buffered = '';
  child.stdout!.on('data', (c: Buffer) => {
    buffered += c.toString();
    for (let at = buffered.indexOf('\n'); at >= 0; at = buffered.indexOf('\n')) {
      const line = buffered.slice(0, at).trim();
      buffered = buffered.slice(at + 1);
      if (line) waiting.shift()?.(line);
    }
  });
  const nextLine = (what: string, timeoutMs: number) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`oauth fixture: no answer to ${what}: ${err}`)),
        timeoutMs,
      );
      waiting.push((line) => {
        clearTimeout(timer);
        resolve(JSON.parse(line) as Record<string, unknown>);
      });
    });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const started = await Promise.race([
    nextLine('start', 20_000),
    exited.then(() => {
      throw new Error(`oauth fixture exited ${child.exitCode}: ${err}`);
    }),
  ]);
  return {
    ...(started as { mcpUrl: string; issuer: string; authUrl: string; resourceMetadataUrl: string }),
    command(line) {
      const answer = nextLine(line, 5_000);
      child.stdin!.write(`${line}\n`);
      return answer;
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.stdin!.end();
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/**
 * The values of Switchboard's keyring entries whose name starts with `prefix` (e.g. `oauth:token:`),
 * read with `secret-tool` on the keyring `env` points at; [] when secret-tool is not installed.
 */
export function keyringValues(env: Record<string, string>, prefix: string): string[] {
  const found = spawnSync('secret-tool', ['search', '--all', '--unlock', 'service', 'switchboard'], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: 10_000,
  });
  if (found.error || found.status !== 0) return [];
  // secret-tool prints each item as `[path]`, `label = …`, `secret = …` (its attributes go to stderr,
  // apart from the items, so the entry's name is read from the label: `keyring:NAME@switchboard`).
  const values: string[] = [];
  for (const item of found.stdout.split(/^\[/m).slice(1)) {
    const field = (key: string) =>
      item
        .split('\n')
        .find((line) => line.startsWith(`${key} = `))
        ?.slice(key.length + 3);
    const name = /^keyring:(.*)@switchboard$/.exec(field('label') ?? '')?.[1] ?? '';
    const secret = field('secret');
    if (name.startsWith(prefix) && secret !== undefined) values.push(secret);
  }
  return values;
}

/** A free loopback port, so a restarted engine can come back on the same one. */
export { freePort } from '../test/helpers/free-port.js';
