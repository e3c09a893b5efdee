import type { Theme } from '../../electron/shared/api.js';

/** Applies a theme to the page: `system` follows the OS, and keeps following it. */
export function applyTheme(theme: Theme, doc: Document = document, win: Window = window): void {
  const dark =
    theme === 'dark' || (theme === 'system' && win.matchMedia?.('(prefers-color-scheme: dark)').matches);
  doc.documentElement.dataset.theme = dark ? 'dark' : 'light';
  doc.documentElement.dataset.themeChoice = theme;
}

/** Re-applies `system` when the OS switches. */
export function followSystemTheme(
  current: () => Theme,
  doc: Document = document,
  win: Window = window,
): void {
  win.matchMedia?.('(prefers-color-scheme: dark)').addEventListener?.('change', () => {
    if (current() === 'system') applyTheme('system', doc, win);
  });
}
