import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { _electron, type ElectronApplication } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ECHO_SERVER, makeHome, REPO } from './harness.js';

// The tray app itself, launched with Playwright's _electron.launch: the window opens and shows the
// servers, a tray-menu Restart reaches a server through the main process, and Quit leaves no orphan.
// Runs wherever an Electron binary is installed; skips, saying why, where it is not.

function electronBinary(): { path?: string; missing?: string } {
  try {
    const binary = createRequire(import.meta.url)('electron') as unknown as string;
    if (existsSync(binary)) return { path: binary };
    return { missing: `the Electron binary is not at ${binary}` };
  } catch {
    return {
      missing:
        'no Electron binary: node_modules/electron was installed without its download (blocked here); ' +
        'run `node node_modules/electron/install.js` where github.com is reachable',
    };
  }
}

const electron = electronBinary();
const distBuilt = existsSync(path.join(REPO, 'dist/main/main.js'));
const skip =
  electron.missing ?? (distBuilt ? undefined : 'dist/main/main.js is not built: run `npm run build`');

let app: ElectronApplication;
let home: string;

/** Clicks `label` in server `name`'s submenu of the tray menu, in the main process. */
async function clickTrayItem(name: string, label: string): Promise<void> {
  await app.evaluate(
    (_electron, { name, label }) => {
      const menu = globalThis.switchboardApp?.tray.menu;
      const server = menu?.items.find((item) => item.submenu && item.label.includes(` ${name} — `));
      const item = server?.submenu?.items.find((i) => i.label === label);
      if (!item) throw new Error(`no "${label}" for ${name} in the tray menu`);
      item.click();
    },
    { name, label },
  );
}

describe.skipIf(skip !== undefined)(`the tray app in Electron ${skip ? `(skipped: ${skip})` : ''}`, () => {
  beforeAll(async () => {
    // Port 0: the app's engine must not collide with an engine on the default port.
    home = makeHome({
      mcpServers: { echo: { command: process.execPath, args: [ECHO_SERVER] } },
      settings: { port: 0 },
    });
    app = await _electron.launch({
      executablePath: electron.path!,
      args: [REPO, '--no-sandbox'],
      env: { ...process.env, SWITCHBOARD_HOME: home, SWITCHBOARD_CONFIG: '' },
    });
  });

  afterAll(async () => {
    await app?.close().catch(() => undefined);
  });

  it('opens the window, and it shows the servers', async () => {
    const page = await app.firstWindow();
    await page.getByTestId('server-row-echo').waitFor();
    await expect
      .poll(() => page.getByTestId('server-row-echo').getByTestId('state-badge').textContent(), {
        timeout: 15_000,
      })
      .toBe('ready');
  });

  it('restarts a server from the tray menu, through the main process', async () => {
    const restarts = () =>
      app.evaluate(() => globalThis.switchboardApp?.engine.supervisor.snapshot().servers[0]?.restarts);
    const before = (await restarts()) ?? 0;
    await clickTrayItem('echo', 'Restart');
    await expect.poll(restarts, { timeout: 15_000 }).toBe(before + 1);
  });

  it('quits, and no server process is left behind', async () => {
    const pids = await app.evaluate(() => globalThis.switchboardApp?.engine.supervisor.pids() ?? []);
    expect(pids.length).toBeGreaterThan(0);
    await app.close();
    const alive = (pid: number) => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    await expect.poll(() => pids.filter(alive), { timeout: 20_000 }).toEqual([]);
    expect(existsSync(path.join(home, 'engine.json'))).toBe(false);
  });
});
