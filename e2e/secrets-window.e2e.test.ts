/// <reference lib="dom" />
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leaksInPage, screenshotsInBothThemes, watchForLeaks, type LeakWatch } from './page-checks.js';
import {
  keyringUnavailableReason,
  startKeyringSession,
  type KeyringSession,
} from '../test/helpers/keyring-session.js';
import {
  api,
  chromiumMissing,
  ECHO_SERVER,
  freePort,
  launchBrowser,
  makeHome,
  signInLink,
  startEngine,
  type Engine,
} from './harness.js';

// A person sets a server's secret from the window: the server waits in needs-secret, the value is
// typed into the Secrets screen, the server starts with it. All against a real `switchboard serve`
// on a real OS keyring (a private Secret Service), hunting the value in the page all along.

const unavailable = chromiumMissing ?? keyringUnavailableReason();
const VALUE = 'e2e-secret-Zq7vK2mW9xLp4RtY-7Q3d';
const HINT = `…${VALUE.slice(-4)}`;

let session: KeyringSession;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let engine: Engine;
/** Requests other than the one that sets the secret whose body held the value. */
const leakyRequests: string[] = [];
/** Where the value showed up in the window or the API's answers (never, we hope). */
let leaks: LeakWatch;
/** The value, and its first 8 characters (a value cut short is a leak too). */
const NEEDLES = [VALUE, VALUE.slice(0, 8)];

const row = (name: string) => page.getByTestId(`server-row-${name}`);
const secretRow = () => page.getByTestId('secret-E2E_TOKEN');

describe.skipIf(unavailable !== undefined)(
  `setting a secret from the window${unavailable ? ` (skipped: ${unavailable})` : ''}`,
  () => {
    beforeAll(async () => {
      session = await startKeyringSession();
      browser = await launchBrowser();
      context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      // The watch sees markup and text changes (typing the value into the password field changes neither).
      leaks = await watchForLeaks(context, NEEDLES);
      page = await context.newPage();
      page.on('request', (request) => {
        const body = request.postData() ?? '';
        const setsIt = request.method() === 'PUT' && request.url().endsWith('/api/v1/secrets/E2E_TOKEN');
        if (body.includes(VALUE) && !setsIt) leakyRequests.push(`${request.method()} ${request.url()}`);
      });
      const home = makeHome({
        mcpServers: {
          keyed: {
            command: process.execPath,
            args: [ECHO_SERVER],
            // The fixture logs this token to stderr, as a careless server would.
            env: { FIXTURE_TOKEN: '${secret:E2E_TOKEN}' },
            credentials: {
              E2E_TOKEN: { label: 'E2E token', description: 'Any long value; the e2e test types one in.' },
            },
          },
        },
      });
      engine = await startEngine(home, await freePort(), session.env);
    });

    afterAll(async () => {
      await browser?.close();
      await engine?.stop();
      await session?.stop();
    });

    it('shows a server that waits for its secret, with a way to set it', async () => {
      await page.goto(await signInLink(engine));
      await expect
        .poll(() => row('keyed').getByTestId('state-badge').textContent(), { timeout: 15_000 })
        .toBe('needs secret');
      expect(await row('keyed').getByTestId('set-secret-link').textContent()).toBe('Set secret');
      expect(await page.getByTestId('need-secret-count').textContent()).toBe('1');
      await screenshotsInBothThemes(page, 'secrets-servers-needs-secret');

      await row('keyed').getByTestId('set-secret-link').click();
      await page.waitForURL(/#\/servers\/keyed\/logs$/);
      const action = page.getByTestId('server-credentials');
      expect(await action.getByRole('heading').textContent()).toBe('keyed waits for a secret');
      expect(await action.getByTestId('needs-secret-reason').textContent()).toContain('E2E_TOKEN');
      const field = action.getByTestId('credential-E2E_TOKEN').getByTestId('secret-value');
      expect(await field.getAttribute('type')).toBe('password');
      expect(await field.inputValue()).toBe('');
      await screenshotsInBothThemes(page, 'secrets-detail-needs-secret');
    });

    it('sets the secret from the Secrets screen; the server starts with it', async () => {
      await page.getByRole('link', { name: /^Secrets/ }).click();
      await page.waitForURL(/#\/secrets$/);
      await expect.poll(() => secretRow().getByTestId('secret-status').innerText()).toBe('not set');
      expect(await secretRow().getByTestId('secret-used-by').innerText()).toBe('keyed (waits for it)');
      expect(await page.getByTestId('store-status').textContent()).toBe('Kept in the OS keyring.');
      await screenshotsInBothThemes(page, 'secrets-screen-not-set');

      await secretRow().getByRole('button', { name: 'Set E2E_TOKEN' }).click();
      const field = secretRow().getByTestId('secret-value');
      expect(await field.getAttribute('type')).toBe('password');
      expect(await field.getAttribute('autocomplete')).toBe('off');
      expect(await field.inputValue()).toBe('');
      await field.fill(VALUE);
      await secretRow().getByTestId('secret-save').click();

      await expect
        .poll(
          () =>
            secretRow()
              .getByTestId('secret-hint')
              .textContent()
              .catch(() => ''),
          { timeout: 10_000 },
        )
        .toContain(HINT);
      expect(await secretRow().getByTestId('secret-value').count()).toBe(0);
      await expect
        .poll(() => secretRow().getByTestId('secret-used-by').innerText(), { timeout: 15_000 })
        .toBe('keyed');
      expect(await leaksInPage(page, NEEDLES)).toEqual([]);
      await screenshotsInBothThemes(page, 'secrets-screen-set');

      await page.getByRole('link', { name: 'Servers', exact: true }).click();
      await expect
        .poll(() => row('keyed').getByTestId('state-badge').textContent(), { timeout: 15_000 })
        .toBe('ready');
      expect(await page.getByTestId('need-secret-count').count()).toBe(0);
      // It arrived: the server knows a value of the right length (its tool tells only the length).
      const answer = (await api(engine, 'POST', '/api/v1/servers/keyed/tools/call', {
        tool: 'token_length',
        arguments: {},
      })) as { result?: { content?: { text?: string }[] } };
      expect(answer.result?.content?.[0]?.text).toBe(String(VALUE.length));
    });

    it('shows the credential as set on the server page, and its logs without the value', async () => {
      await page.goto(`${engine.url}/#/servers/keyed/logs`);
      const credential = page.getByTestId('server-credentials').getByTestId('credential-E2E_TOKEN');
      await expect
        .poll(
          () =>
            credential
              .getByTestId('secret-hint')
              .textContent()
              .catch(() => ''),
          { timeout: 10_000 },
        )
        .toContain(HINT);
      expect(await page.getByTestId('needs-secret-reason').count()).toBe(0);
      // The fixture wrote its token to stderr; the tail shows that line, masked.
      await expect
        .poll(() => page.getByTestId('log-line').allTextContents(), { timeout: 10_000 })
        .toEqual(expect.arrayContaining([expect.stringContaining('echo-fixture: using token')]));
      expect(await leaksInPage(page, NEEDLES)).toEqual([]);
      await screenshotsInBothThemes(page, 'secrets-detail-set');
    });

    it('never had the value in the page, nor in any answer of the engine', async () => {
      for (const hash of ['#/servers', '#/secrets', '#/servers/keyed/logs']) {
        await page.goto(`${engine.url}/${hash}`);
        await page.waitForLoadState('networkidle').catch(() => undefined);
        expect(await leaksInPage(page, NEEDLES), hash).toEqual([]);
        expect(await page.content(), hash).not.toContain(VALUE);
      }
      // Watched on every change of every page load since the first.
      expect(leaks.seenInPage).toEqual([]);
      expect(leakyRequests).toEqual([]);
      expect(leaks.leakyAnswers).toEqual([]);

      // The hunt can find it: once written into the page, both the watcher and the search see it.
      await page.evaluate((value) => {
        document.body.append(Object.assign(document.createElement('p'), { textContent: value }));
      }, VALUE);
      await expect.poll(() => leaks.seenInPage.length).toBeGreaterThan(0);
      expect(await leaksInPage(page, NEEDLES)).toEqual([
        `text: ${VALUE}`,
        `markup: ${VALUE}`,
        `text: ${VALUE.slice(0, 8)}`,
        `markup: ${VALUE.slice(0, 8)}`,
      ]);
    });
  },
);
