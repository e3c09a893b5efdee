import { onUnmounted, readonly, shallowRef, type Ref } from 'vue';

/** The colours and font the charts draw with: the design tokens of theme.css, as the page has them now. */
export interface ChartTheme {
  bg: string;
  fg: string;
  muted: string;
  grid: string;
  axis: string;
  accent: string;
  ok: string;
  warn: string;
  bad: string;
  idle: string;
  font: string;
}

/** What a token falls back to where nothing defines it (a test's bare document): the light theme. */
const FALLBACK: Record<keyof Omit<ChartTheme, 'font'>, [token: string, fallback: string]> = {
  bg: ['--bg', '#ffffff'],
  fg: ['--fg', '#18181b'],
  muted: ['--fg-muted', '#52525b'],
  grid: ['--border', '#d9dce1'],
  axis: ['--border-strong', '#a1a7b0'],
  accent: ['--accent', '#1d4ed8'],
  ok: ['--dot-ok', '#16a34a'],
  warn: ['--dot-warn', '#d97706'],
  bad: ['--dot-bad', '#dc2626'],
  idle: ['--dot-idle', '#94a3b8'],
};

/** Reads the tokens from the page (a canvas cannot use var(--…), so the charts take the values). */
export function readChartTheme(root: HTMLElement = document.documentElement): ChartTheme {
  const style = getComputedStyle(root);
  const token = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
  const theme = { font: token('--font', 'system-ui, sans-serif') } as ChartTheme;
  for (const [key, [name, fallback]] of Object.entries(FALLBACK))
    theme[key as keyof typeof FALLBACK] = token(name, fallback);
  return theme;
}

/**
 * The chart theme, read again whenever the page switches between light and dark (the root's
 * `data-theme`), so charts drawn on a canvas follow the theme like the rest of the window.
 */
export function useChartTheme(root: HTMLElement = document.documentElement): Readonly<Ref<ChartTheme>> {
  const theme = shallowRef(readChartTheme(root));
  const observer = new MutationObserver(() => (theme.value = readChartTheme(root)));
  observer.observe(root, { attributes: true, attributeFilter: ['data-theme'] });
  onUnmounted(() => observer.disconnect());
  return readonly(theme);
}
