import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { collectConsoleErrors, horizontalOverflow, seriousAxeViolations } from './design-checks.js';
import {
  ECHO_SERVER,
  api,
  chromiumMissing,
  freePort,
  launchBrowser,
  makeHome,
  screenshot,
  signInLink,
  startEngine,
  type Engine,
} from './harness.js';

// Every screen at a tray-window width (760 px) and a desktop one (1280 px), light and dark: no
// horizontal overflow, no console error, no serious or critical accessibility violation. The
// screenshots (design-SCREEN-WIDTH-THEME.png) are for a person to review side by side.

let browser: Browser;
let engine: Engine;

const SCREENS = [
  ['servers', '#/servers', 'server-row-echo'],
  ['detail-logs', '#/servers/echo/logs', undefined],
  ['detail-tools', '#/servers/echo/tools', undefined],
  ['detail-charts', '#/servers/echo/charts', undefined],
  ['detail-restarts', '#/servers/echo/restarts', undefined],
  ['add-server', '#/add', undefined],
  ['edit-server', '#/servers/echo/edit', undefined],
  ['extensions', '#/extensions', 'extension-quarantine'],
  ['activity', '#/activity', undefined],
  ['quarantine', '#/quarantine', undefined],
  ['secrets', '#/secrets', undefined],
  ['clients', '#/clients', undefined],
  ['settings', '#/settings', undefined],
] as const;

async function open(page: Page, hash: string, ready: string | undefined): Promise<void> {
  await page.goto(`${engine.url}/${hash}`);
  await page.waitForLoadState('networkidle').catch(() => undefined);
  if (ready) await page.getByTestId(ready).first().waitFor({ timeout: 10_000 });
  await page.getByRole('heading', { level: 1 }).first().waitFor({ timeout: 10_000 });
  await page.waitForTimeout(250); // async screens and their first answers settle
}

describe.skipIf(chromiumMissing !== undefined)(
  `every screen, narrow and wide, light and dark ${chromiumMissing ?? ''}`,
  () => {
    beforeAll(async () => {
      const home = makeHome({
        mcpServers: {
          echo: { command: process.execPath, args: [ECHO_SERVER] },
          second: { command: process.execPath, args: [ECHO_SERVER] },
          broken: { command: process.execPath, args: ['-e', 'process.exit(3)'] },
        },
        extensions: {
          'request-logger': { enabled: true },
          'rate-limiter': { enabled: true, config: { perTool: { echo__echo: 30 } } },
          quarantine: { enabled: true },
        },
      });
      engine = await startEngine(home, await freePort());
      browser = await launchBrowser();
      // A restart for the timeline, and some traffic, so Activity and the charts have rows.
      await api(engine, 'POST', '/api/v1/servers/echo/restart');
      for (let i = 0; i < 3; i++) {
        await api(engine, 'POST', '/api/v1/servers/second/tools/call', {
          tool: 'echo',
          arguments: { text: `hi ${i}` },
        });
      }
    }, 60_000);

    afterAll(async () => {
      await browser?.close();
      await engine?.stop();
    });

    // The narrowest window the layout is made for (640 px) once; the two the issue names in both themes.
    const CASES = [
      [640, 'light'],
      [760, 'light'],
      [760, 'dark'],
      [1280, 'light'],
      [1280, 'dark'],
    ] as const;
    for (const [width, scheme] of CASES) {
      it(`${width} px, ${scheme}: fits, passes axe, logs no error`, async () => {
        const context = await browser.newContext({ viewport: { width, height: 900 }, colorScheme: scheme });
        const page = await context.newPage();
        const errors = collectConsoleErrors(page);
        await page.goto(await signInLink(engine));
        const problems: string[] = [];
        for (const [name, hash, ready] of SCREENS) {
          await open(page, hash, ready);
          expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe(scheme);
          const overflow = await horizontalOverflow(page);
          if (overflow.scrollWidth > overflow.width) {
            problems.push(
              `${name}: ${overflow.scrollWidth} px wide in ${overflow.width}: ${overflow.culprits.join(', ')}`,
            );
          }
          for (const v of await seriousAxeViolations(page)) {
            problems.push(`${name}: axe ${v.impact} ${v.id} (${v.help}) at ${v.targets.join(' | ')}`);
          }
          await screenshot(page, `design-${name}-${width}-${scheme}`);
        }
        await context.close();
        expect(problems).toEqual([]);
        expect(errors).toEqual([]);
      }, 120_000);
    }

    it('has a sidebar of icons in a narrow window that opens to labels and keeps that choice', async () => {
      const context = await browser.newContext({ viewport: { width: 760, height: 900 } });
      const page = await context.newPage();
      await page.goto(await signInLink(engine));
      await open(page, '#/servers', 'server-row-echo');
      const toggle = page.getByTestId('sidebar-toggle');
      // The label's width: a visually hidden one is 1 px, a shown one the word's.
      const labelWidth = async () =>
        (await page.getByRole('link', { name: 'Servers', exact: true }).locator('.label').boundingBox())
          ?.width ?? 0;
      expect(await toggle.getAttribute('aria-expanded')).toBe('false');
      expect(await labelWidth()).toBeLessThanOrEqual(1);
      await toggle.click();
      expect(await toggle.getAttribute('aria-expanded')).toBe('true');
      expect(await labelWidth()).toBeGreaterThan(20);
      const overflow = await horizontalOverflow(page);
      expect(overflow.scrollWidth, overflow.culprits.join(', ')).toBeLessThanOrEqual(overflow.width);
      await screenshot(page, 'design-servers-760-sidebar-open');
      await page.reload();
      await open(page, '#/servers', 'server-row-echo');
      expect(await page.getByTestId('sidebar-toggle').getAttribute('aria-expanded')).toBe('true');
      await context.close();
    });
  },
);
