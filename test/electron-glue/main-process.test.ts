import { execFileSync, fork, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The main process bundle (dist/main/main.js) run under plain Node with a fake 'electron' module
// (fake-electron.mjs): the real engine, servers, IPC handlers, tray menu and quit path, driven the
// way Electron would drive them. This is not Electron (e2e/electron-app.e2e.test.ts is, where a
// binary exists); it proves the glue wires the tested pieces together and starts and stops cleanly.

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const MAIN = path.join(REPO, 'dist/main/main.js');
const ECHO = path.join(REPO, 'test/fixtures/echo-server.mjs');

interface Report {
  kind: string;
  [key: string]: unknown;
}

let child: ChildProcess;
let home: string;
let xdg: string;
const reports: Report[] = [];
let nextId = 0;

function ask(command: Record<string, unknown>): Promise<unknown> {
  const id = ++nextId;
  child.send({ ...command, id });
  return waitFor((r) => r.kind === 'answer' && r.id === id, `an answer to ${String(command.do)}`).then(
    (r) => {
      if (r.error) throw new Error(String(r.error));
      return r.value;
    },
  );
}

async function waitFor(match: (r: Report) => boolean, what: string, ms = 15_000): Promise<Report> {
  const deadline = Date.now() + ms;
  for (;;) {
    const found = reports.find(match);
    if (found) return found;
    if (child.exitCode !== null && !reports.some(match)) throw new Error(`main exited before ${what}`);
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}: ${JSON.stringify(reports.slice(-5))}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The processes `pid` started (its servers), from ps. */
function childPids(pid: number): number[] {
  return execFileSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' })
    .split('\n')
    .map((line) => Number(line.trim()))
    .filter((n) => n > 0);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const lastMenu = () => [...reports].reverse().find((r) => r.kind === 'trayMenu')?.labels as unknown[];
const invoke = (operation: string, input: unknown, from = 'app://switchboard/index.html') =>
  ask({ do: 'invoke', operation, input, from }) as Promise<{
    ok: boolean;
    value?: { state?: string; restarts?: number };
    status?: number;
  }>;

describe.skipIf(!existsSync(MAIN))('the main process, under a fake Electron', () => {
  beforeAll(async () => {
    mkdirSync(path.join(REPO, '.tmp-test'), { recursive: true });
    home = mkdtempSync(path.join(REPO, '.tmp-test', 'main-'));
    xdg = path.join(home, 'xdg-config');
    writeFileSync(
      path.join(home, 'config.json'),
      JSON.stringify({
        mcpServers: { echo: { command: process.execPath, args: [ECHO] } },
        settings: { port: 0, launchAtLogin: false },
      }),
    );
    child = fork(MAIN, [], {
      execArgv: ['--import', path.join(REPO, 'test/electron-glue/register.mjs')],
      env: {
        ...process.env,
        SWITCHBOARD_HOME: home,
        SWITCHBOARD_CONFIG: '',
        XDG_CONFIG_HOME: xdg,
        FAKE_ELECTRON_APP_PATH: REPO,
      },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    child.on('message', (m) => reports.push(m as Report));
  });

  afterAll(async () => {
    if (child.exitCode === null) child.kill('SIGKILL');
    rmSync(home, { recursive: true, force: true });
  });

  it('hosts the engine for the home, and shows the window from app://, hardened', async () => {
    await waitFor((r) => r.kind === 'show', 'the window to show');
    const window = reports.find((r) => r.kind === 'window')!;
    expect(window.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
    });
    expect(String((window.webPreferences as { preload: string }).preload)).toMatch(
      /dist[/\\]preload[/\\]preload\.cjs$/,
    );
    expect(existsSync(String((window.webPreferences as { preload: string }).preload))).toBe(true);
    expect(reports.find((r) => r.kind === 'load')?.url).toBe('app://switchboard/index.html');
    expect(reports.some((r) => r.kind === 'permissions' && r.denies)).toBe(true);
    const info = JSON.parse(readFileSync(path.join(home, 'engine.json'), 'utf8')) as { pid: number };
    expect(info.pid).toBe(child.pid);

    const page = (await ask({ do: 'fetch', url: 'app://switchboard/index.html' })) as {
      status: number;
      csp: string;
    };
    expect(page.status).toBe(200);
    expect(page.csp).toContain("default-src 'self'");
    const outside = (await ask({ do: 'fetch', url: 'app://switchboard/../../package.json' })) as {
      status: number;
    };
    expect(outside.status).toBe(404);
  });

  it('answers the window over IPC from the API table, and refuses other frames', async () => {
    await expect
      .poll(async () => (await invoke('getServer', { server: 'echo' })).value?.state, { timeout: 15_000 })
      .toBe('ready');
    const refused = await invoke('listServers', {}, 'https://example.com/');
    expect(refused).toMatchObject({ ok: false, status: 403 });
    const invalid = await invoke('getServer', {});
    expect(invalid).toMatchObject({ ok: false, status: 400 });
  });

  it('builds the tray menu from the servers, and its Restart reaches the server', async () => {
    await waitFor(
      () => JSON.stringify(lastMenu() ?? []).includes('echo — ready'),
      'echo ready in the tray menu',
    );
    expect(reports.some((r) => r.kind === 'trayIcon' && String(r.path).endsWith('tray-ready.png'))).toBe(
      true,
    );
    await ask({ do: 'clickTray', server: 'echo', label: 'Restart' });
    await expect
      .poll(async () => (await invoke('getServer', { server: 'echo' })).value?.restarts, { timeout: 15_000 })
      .toBe(1);
  });

  it('turns on launch at login from the tray: the setting is saved and the XDG autostart file written', async () => {
    await ask({ do: 'clickTray', label: 'Launch at login' });
    const file = path.join(xdg, 'autostart', 'switchboard.desktop');
    await expect.poll(() => existsSync(file), { timeout: 10_000 }).toBe(true);
    expect(readFileSync(file, 'utf8')).toContain('--hidden');
    const config = JSON.parse(readFileSync(path.join(home, 'config.json'), 'utf8')) as {
      settings: { launchAtLogin: boolean };
    };
    expect(config.settings.launchAtLogin).toBe(true);
    await waitFor(() => JSON.stringify(lastMenu()).includes('Launch at login'), 'the menu');
  });

  it('quits cleanly: every server stopped, engine.json removed, no orphan', async () => {
    const servers = childPids(child.pid!);
    expect(servers.length).toBeGreaterThan(0);
    await ask({ do: 'quit' });
    await new Promise((r) => child.once('exit', r));
    expect(child.exitCode).toBe(0);
    expect(reports.some((r) => r.kind === 'quit')).toBe(true);
    expect(existsSync(path.join(home, 'engine.json'))).toBe(false);
    expect(servers.filter(alive)).toEqual([]);
  });
});
