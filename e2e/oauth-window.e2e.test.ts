/// <reference lib="dom" />
import { spawnSync } from 'node:child_process';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leaksInPage, screenshotsInBothThemes } from './page-checks.js';
import {
  keyringUnavailableReason,
  startKeyringSession,
  type KeyringSession,
} from '../test/helpers/keyring-session.js';
import {
  api,
  chromiumMissing,
  freePort,
  keyringValues,
  launchBrowser,
  makeHome,
  signInLink,
  startEngine,
  startOAuthFixture,
  type Engine,
  type OAuthFixture,
} from './harness.js';

// A person signs in to an OAuth-protected remote server from the window: the server waits in
// needs-auth, Sign in gives the authorization server's page (the test plays the browser), the server
// starts; short-lived tokens are refreshed without a new sign-in, also after a sleep/wake gap (401);
// Sign out sends it back to needs-auth. All against a real `switchboard serve` on a real OS keyring,
// hunting the tokens in the page and in every answer it got.

const unavailable = chromiumMissing ?? keyringUnavailableReason();
/** Words that only a token response or an Authorization header would bring into the page. */
const MARKERS = ['access_token', 'refresh_token', 'Bearer '];
/** secret-tool reads the keyring, so the hunt can look for the real token values too. */
const secretTool = spawnSync('sh', ['-c', 'command -v secret-tool']).status === 0;

let session: KeyringSession;
let fixture: OAuthFixture;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let engine: Engine;
/** What the hunt looks for: the markers, then every token value the keyring has held. */
const needles = [...MARKERS];
/** Every JSON answer of the engine's API the page received, and every event-stream message. */
const received: { from: string; body: string }[] = [];
/** Needles seen in the markup of any page of the browser, on any change since it loaded. */
const seenInPage: string[] = [];

interface Stats {
  tokenRequests: { authorization_code: number; refresh_token: number };
}
interface ToolAnswer {
  result?: { content?: { text?: string }[] };
  error?: unknown;
}
interface AuthAnswer {
  signedIn: boolean;
  expiresAt?: number;
}

const stats = async () => (await fixture.command('stats')) as unknown as Stats;
const whoami = () =>
  api(engine, 'POST', '/api/v1/servers/web/tools/call', {
    tool: 'whoami',
    arguments: {},
  }) as Promise<ToolAnswer>;
const authOf = () => api(engine, 'GET', '/api/v1/servers/web/auth') as Promise<AuthAnswer>;
const row = (name: string) => page.getByTestId(`server-row-${name}`);
const account = () => page.getByTestId('server-account');
const text = (locator: ReturnType<Page['getByTestId']>) => locator.textContent().catch(() => '');

/** Adds the token values the keyring holds now to the needles, and tells the open page. */
async function learnTokenValues(): Promise<string[]> {
  const values = keyringValues(session.env, 'oauth:token:').flatMap((json) => {
    const tokens = JSON.parse(json) as { accessToken?: string; refreshToken?: string };
    return [tokens.accessToken, tokens.refreshToken].filter((v): v is string => typeof v === 'string');
  });
  for (const value of values) if (!needles.includes(value)) needles.push(value);
  await page.evaluate(() =>
    (window as unknown as { refreshTokenNeedles(): Promise<void> }).refreshTokenNeedles(),
  );
  return values;
}

describe.skipIf(unavailable !== undefined)(
  `signing in to a remote server from the window${unavailable ? ` (skipped: ${unavailable})` : ''}`,
  () => {
    beforeAll(async () => {
      session = await startKeyringSession();
      fixture = await startOAuthFixture({ auth: { accessTokenTtlSeconds: 4 } });
      browser = await launchBrowser();
      context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      await context.exposeFunction('tokenSeen', (where: string) => seenInPage.push(where));
      await context.exposeFunction('tokenNeedles', () => needles);
      await context.exposeFunction('streamed', (from: string, body: string) => received.push({ from, body }));
      // On every page load, before the app runs: watch the markup for the needles on every change,
      // and hand every event-stream message to the test (response bodies of streams never end).
      await context.addInitScript(() => {
        const bridge = window as unknown as {
          tokenSeen(where: string): void;
          tokenNeedles(): Promise<string[]>;
          streamed(from: string, body: string): void;
          refreshTokenNeedles(): Promise<void>;
        };
        let list: string[] = [];
        const check = () => {
          const html = document.documentElement?.outerHTML ?? '';
          for (const needle of list)
            if (html.includes(needle)) bridge.tokenSeen(`${location.href}: ${needle}`);
        };
        bridge.refreshTokenNeedles = async () => {
          list = await bridge.tokenNeedles();
          check();
        };
        void bridge.refreshTokenNeedles();
        new MutationObserver(check).observe(document, {
          subtree: true,
          childList: true,
          characterData: true,
          attributes: true,
        });
        const Original = window.EventSource;
        window.EventSource = class extends Original {
          constructor(url: string | URL, init?: EventSourceInit) {
            super(url, init);
            this.addEventListener('message', (event) => bridge.streamed(String(url), String(event.data)));
          }
        };
      });
      page = await context.newPage();
      page.on('response', async (response) => {
        if (!response.url().includes('/api/v1/')) return;
        if (!(response.headers()['content-type'] ?? '').includes('application/json')) return;
        const body = await response.text().catch(() => '');
        received.push({ from: response.url(), body });
      });
      const home = makeHome({ mcpServers: { web: { type: 'http', url: fixture.mcpUrl } } });
      // BROWSER=true: the engine "opens the browser" with /usr/bin/true; the test is the browser.
      engine = await startEngine(home, await freePort(), { ...session.env, BROWSER: 'true' });
    });

    afterAll(async () => {
      await browser?.close();
      await engine?.stop();
      await fixture?.stop();
      await session?.stop();
    });

    it('shows a remote server that waits for a sign-in, with a way to start it', async () => {
      await page.goto(await signInLink(engine));
      await expect
        .poll(() => text(row('web').getByTestId('state-badge')), { timeout: 15_000 })
        .toBe('needs sign-in');
      const link = row('web').getByTestId('sign-in-link');
      expect(await link.textContent()).toBe('Sign in');
      expect(await link.getAttribute('aria-label')).toBe('Sign in to web');
      await screenshotsInBothThemes(page, 'oauth-servers-needs-sign-in');

      await link.click();
      await page.waitForURL(/#\/servers\/web\/logs$/);
      await expect.poll(() => text(account().getByRole('heading'))).toBe('web waits for you to sign in');
      expect(await account().getByTestId('needs-auth-reason').textContent()).toContain(
        new URL(fixture.issuer).host,
      );
      await expect.poll(() => text(account().getByTestId('auth-status'))).toBe('Not signed in');
      expect(await account().getByTestId('auth-sign-in').textContent()).toContain('Sign in');
      expect(await account().getByTestId('auth-sign-out').count()).toBe(0);
      expect((await stats()).tokenRequests.authorization_code).toBe(0);
      await screenshotsInBothThemes(page, 'oauth-detail-needs-sign-in');
    });

    it('signs in through the browser; the server starts and the Account section says with whom', async () => {
      await account().getByTestId('auth-sign-in').click();
      await expect
        .poll(() => text(account().getByTestId('auth-status')), { timeout: 10_000 })
        .toBe('Waiting for your browser…');
      const pageLink = account().getByTestId('auth-waiting').getByTestId('auth-sign-in-page');
      const href = await pageLink.getAttribute('href');
      expect(href).toMatch(new RegExp(`^${fixture.issuer}/authorize\\?`));
      expect(await pageLink.getAttribute('target')).toBe('_blank');
      expect(await pageLink.getAttribute('rel')).toContain('noopener');
      await screenshotsInBothThemes(page, 'oauth-detail-waiting-for-browser');

      // The person's browser: the authorization server approves at once and sends it back to the
      // engine's loopback redirect.
      const tab = await context.newPage();
      await tab.goto(href!, { timeout: 15_000 });
      expect(new URL(tab.url()).hostname).toBe('127.0.0.1');
      expect(await tab.locator('h1').textContent()).toBe('Signed in');
      await tab.close();

      await expect
        .poll(() => text(page.getByTestId('state-badge').first()), { timeout: 15_000 })
        .toBe('ready');
      await expect.poll(() => text(account().getByRole('heading')), { timeout: 10_000 }).toBe('Account');
      await expect.poll(() => text(account().getByTestId('auth-status'))).toBe('Signed in');
      expect(await account().getByTestId('auth-issuer').textContent()).toBe(fixture.issuer);
      expect(await account().getByTestId('auth-scopes').textContent()).toBe('mcp:read');
      expect(await account().getByTestId('auth-expires').textContent()).toMatch(/^expire/);
      expect(await account().getByTestId('auth-waiting').count()).toBe(0);
      expect(await account().getByTestId('auth-sign-out').isVisible()).toBe(true);
      expect((await stats()).tokenRequests.authorization_code).toBe(1);
      await screenshotsInBothThemes(page, 'oauth-detail-signed-in');

      if (secretTool) expect(await learnTokenValues()).toHaveLength(2); // access + refresh token
      expect(await leaksInPage(page, needles)).toEqual([]);
    });

    it('refreshes the short-lived token by itself: a tool call works past its lifetime', async () => {
      const { expiresAt } = await authOf();
      expect(expiresAt).toBeDefined();
      const before = await stats();
      // Past the 4 s lifetime: the token is out (bounded: it was issued at most seconds ago).
      const wait = expiresAt! + 300 - Date.now();
      expect(wait).toBeLessThanOrEqual(8_000);
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));

      const answer = await whoami();
      expect(answer.error).toBeUndefined();
      expect(answer.result?.content?.[0]?.text).toContain('mcp:read');
      const after = await stats();
      expect(after.tokenRequests.authorization_code).toBe(1);
      expect(after.tokenRequests.refresh_token).toBeGreaterThanOrEqual(
        before.tokenRequests.refresh_token + 1,
      );
      expect((await authOf()).signedIn).toBe(true);
      await expect.poll(() => text(account().getByTestId('auth-status'))).toBe('Signed in');
      expect(await page.getByTestId('state-badge').first().textContent()).toBe('ready');
      if (secretTool) await learnTokenValues();
    });

    it('survives a sleep/wake gap: a token the server no longer takes is refreshed on the 401', async () => {
      // A token with time left, so the engine sends it as it is (no refresh ahead of time).
      let auth = await authOf();
      if (auth.expiresAt! - Date.now() < 2_500) {
        await new Promise((r) => setTimeout(r, Math.max(0, auth.expiresAt! + 300 - Date.now())));
        expect((await whoami()).error).toBeUndefined();
        auth = await authOf();
      }
      const before = await stats();
      expect(await fixture.command('expireAccessTokens')).toMatchObject({ ok: true });
      // The engine still thinks the token good for over a second more than its refresh margin.
      expect(auth.expiresAt! - Date.now()).toBeGreaterThan(1_000);

      const answer = await whoami();
      expect(answer.error).toBeUndefined();
      expect(answer.result?.content?.[0]?.text).toContain('mcp:read');
      const after = await stats();
      expect(after.tokenRequests.authorization_code).toBe(1);
      expect(after.tokenRequests.refresh_token).toBeGreaterThanOrEqual(
        before.tokenRequests.refresh_token + 1,
      );
      expect((await authOf()).signedIn).toBe(true);
      await expect.poll(() => text(account().getByTestId('auth-status'))).toBe('Signed in');
      expect(await page.getByTestId('state-badge').first().textContent()).toBe('ready');
      if (secretTool) await learnTokenValues();
      expect(await leaksInPage(page, needles)).toEqual([]);
    });

    it('signs out from the window after a confirm; the server waits for a sign-in again', async () => {
      await account().getByTestId('auth-sign-out').click();
      const confirm = account().getByTestId('auth-sign-out-confirm');
      expect(await confirm.textContent()).toBe('Sign out of web');
      // The safe choice has the focus.
      expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe(
        'auth-sign-out-cancel',
      );
      await screenshotsInBothThemes(page, 'oauth-detail-sign-out-confirm');
      await confirm.click();

      await expect
        .poll(() => text(page.getByTestId('state-badge').first()), { timeout: 15_000 })
        .toBe('needs sign-in');
      await expect
        .poll(() => text(account().getByRole('heading')), { timeout: 10_000 })
        .toBe('web waits for you to sign in');
      await expect.poll(() => text(account().getByTestId('auth-status'))).toBe('Not signed in');
      expect(await account().getByTestId('auth-sign-in').isVisible()).toBe(true);
      expect(await account().getByTestId('auth-sign-out').count()).toBe(0);
      expect((await authOf()).signedIn).toBe(false);
      if (secretTool) expect(keyringValues(session.env, 'oauth:token:')).toEqual([]);
      expect((await stats()).tokenRequests.authorization_code).toBe(1);
      await screenshotsInBothThemes(page, 'oauth-detail-signed-out');

      await page.getByRole('link', { name: 'Servers', exact: true }).click();
      await expect
        .poll(() => text(row('web').getByTestId('state-badge')), { timeout: 10_000 })
        .toBe('needs sign-in');
      expect(await row('web').getByTestId('sign-in-link').isVisible()).toBe(true);
    });

    it('never had a token in the page, nor in any answer or event the page got', async () => {
      if (secretTool) expect(needles.length).toBeGreaterThanOrEqual(MARKERS.length + 4); // ≥ 2 token pairs
      for (const hash of [
        '#/servers',
        '#/servers/web/logs',
        '#/servers/web/tools',
        '#/servers/web/edit',
        '#/activity',
        '#/secrets',
      ]) {
        await page.goto(`${engine.url}/${hash}`);
        await page.waitForLoadState('networkidle').catch(() => undefined);
        expect(await leaksInPage(page, needles), hash).toEqual([]);
        // The tokens live in the keyring next to the secrets, but are not secrets a person manages.
        expect(await page.content(), hash).not.toContain('oauth:token:');
      }
      // The recorder heard the event stream: the window learnt of every refresh and of the sign-out.
      const events = received
        .filter(({ from }) => from.endsWith('/events'))
        .map(({ body }) => JSON.parse(body) as { type: string; server?: string; detail?: string });
      const authEvents = events.filter((e) => e.type === 'auth.changed' && e.server === 'web');
      expect(authEvents.filter((e) => e.detail === 'token refreshed').length).toBeGreaterThanOrEqual(2);
      expect(authEvents.at(-1)).toMatchObject({ signedIn: false });
      const leaky = received.flatMap(({ from, body }) =>
        needles.filter((n) => body.includes(n)).map((n) => `${from}: ${n}`),
      );
      expect(leaky).toEqual([]);
      expect(seenInPage).toEqual([]);

      // The hunt can find one: once written into the page, both the watcher and the search see it.
      const planted = secretTool ? needles.at(-1)! : MARKERS[0]!;
      await page.evaluate((value) => {
        document.body.append(Object.assign(document.createElement('p'), { textContent: value }));
      }, planted);
      await expect.poll(() => seenInPage.length).toBeGreaterThan(0);
      expect(await leaksInPage(page, needles)).toEqual([`text: ${planted}`, `markup: ${planted}`]);
    });
  },
);
