import type { BrowserContext, Page } from 'playwright-core';
import { screenshot } from './harness.js';

/** The page in the light and the dark theme: NAME-light.png and NAME-dark.png. */
export async function screenshotsInBothThemes(page: Page, name: string): Promise<void> {
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.waitForTimeout(200);
    await screenshot(page, `${name}-${scheme}`);
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

/** Every needle the page shows now, as `text: N`, `markup: N` or `field: N` (a field's value). */
export function leaksInPage(page: Page, needles: readonly string[]): Promise<string[]> {
  return page.evaluate((list) => {
    const found: string[] = [];
    const text = document.body.innerText;
    const html = document.documentElement.outerHTML;
    const fields = [...document.querySelectorAll('input, textarea')].map(
      (f) => (f as HTMLInputElement).value,
    );
    for (const needle of list) {
      if (text.includes(needle)) found.push(`text: ${needle}`);
      if (html.includes(needle)) found.push(`markup: ${needle}`);
      if (fields.some((v) => v.includes(needle))) found.push(`field: ${needle}`);
    }
    return found;
  }, needles);
}

/** Where the needles showed up while a leak watch ran. */
export interface LeakWatch {
  /** Routes (location.hash) whose markup held a needle at some point, from any page load. */
  seenInPage: string[];
  /** Control API answers (URLs) whose JSON body held a needle. */
  leakyAnswers: string[];
}

/**
 * Watches a browser context for `needles` until it closes: on every change of the markup of every
 * page load (from before the app runs), and in every JSON answer of the control API.
 */
export async function watchForLeaks(context: BrowserContext, needles: readonly string[]): Promise<LeakWatch> {
  const watch: LeakWatch = { seenInPage: [], leakyAnswers: [] };
  await context.exposeFunction('leakSeen', (where: string) => watch.seenInPage.push(where));
  await context.addInitScript((list) => {
    const report = (window as unknown as { leakSeen(where: string): void }).leakSeen;
    const check = () => {
      const html = document.documentElement?.outerHTML ?? '';
      if (list.some((needle) => html.includes(needle))) report(location.hash);
    };
    new MutationObserver(check).observe(document, {
      subtree: true,
      childList: true,
      characterData: true,
      attributes: true,
    });
  }, needles);
  context.on('response', async (response) => {
    if (!response.url().includes('/api/v1/')) return;
    if (!(response.headers()['content-type'] ?? '').includes('application/json')) return;
    const body = await response.text().catch(() => '');
    if (needles.some((needle) => body.includes(needle))) watch.leakyAnswers.push(response.url());
  });
  return watch;
}
