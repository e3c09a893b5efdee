import type { Page } from 'playwright-core';
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
