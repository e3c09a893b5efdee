import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const css = readFileSync(
  path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../renderer/src/styles/theme.css'),
  'utf8',
);

// WCAG 2.x contrast of the theme's colour pairs, read from theme.css itself, in both themes.

function variables(selector: string): Record<string, string> {
  const start = css.indexOf(`${selector} {`);
  const block = css.slice(start, css.indexOf('}', start));
  return Object.fromEntries([...block.matchAll(/--([\w-]+):\s*(#[0-9a-f]{6})/gi)].map((m) => [m[1]!, m[2]!]));
}

function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}

function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

const light = variables(':root');
const dark = { ...light, ...variables(":root[data-theme='dark']") };

// Text on its background (4.5:1); the focus ring and borders of controls against the page (3:1).
const TEXT_PAIRS = [
  ['fg', 'bg'],
  ['fg', 'bg-raised'],
  ['fg-muted', 'bg'],
  ['fg-muted', 'bg-raised'],
  ['accent', 'bg'],
  ['accent-fg', 'accent'],
  ['ok', 'ok-bg'],
  ['warn', 'warn-bg'],
  ['bad', 'bad-bg'],
  ['bad', 'bg'],
  ['idle', 'idle-bg'],
] as const;

describe('theme contrast', () => {
  it('reads both themes from theme.css', () => {
    expect(Object.keys(light).length).toBeGreaterThan(15);
    expect(dark.bg).not.toBe(light.bg);
    expect(contrast('#000000', '#ffffff')).toBeCloseTo(21, 0);
  });

  for (const [name, theme] of [
    ['light', light],
    ['dark', dark],
  ] as const) {
    it(`keeps text at AA (4.5:1) and the focus ring at 3:1 in the ${name} theme`, () => {
      for (const [fg, bg] of TEXT_PAIRS) {
        expect(contrast(theme[fg]!, theme[bg]!), `${name}: --${fg} on --${bg}`).toBeGreaterThanOrEqual(4.5);
      }
      expect(contrast(theme.focus!, theme.bg!), `${name}: focus ring`).toBeGreaterThanOrEqual(3);
    });
  }
});
