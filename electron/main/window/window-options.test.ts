import { describe, expect, it } from 'vitest';
import { mainWindowOptions, SECURE_WEB_PREFERENCES } from './window-options.js';

describe('mainWindowOptions', () => {
  it('follows every item of the security checklist', () => {
    const prefs = mainWindowOptions({ preload: '/app/dist/preload/preload.cjs', show: true }).webPreferences;
    expect(prefs).toEqual({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      preload: '/app/dist/preload/preload.cjs',
    });
    // Nothing that loosens it sneaks in (e.g. experimentalFeatures, enableBlinkFeatures).
    expect(Object.keys(prefs ?? {}).sort()).toEqual(
      [...Object.keys(SECURE_WEB_PREFERENCES), 'preload'].sort(),
    );
  });

  it('sizes and titles the window, and shows it only when asked', () => {
    const shown = mainWindowOptions({ preload: '/p.cjs', show: true });
    expect(shown).toMatchObject({ width: 1100, height: 720, title: 'Switchboard', show: true });
    expect(shown.autoHideMenuBar).toBe(true);
    expect(shown.minWidth).toBeLessThanOrEqual(shown.width!);
    expect(shown.minHeight).toBeLessThanOrEqual(shown.height!);
    expect(shown.minWidth).toBeGreaterThanOrEqual(600);
    expect(shown).not.toHaveProperty('icon');
    expect(mainWindowOptions({ preload: '/p.cjs', show: false }).show).toBe(false);
    expect(mainWindowOptions({ preload: '/p.cjs', show: false, icon: '/i.png' }).icon).toBe('/i.png');
  });

  it("paints the theme's background before the page loads", () => {
    expect(mainWindowOptions({ preload: '/p.cjs', show: true }).backgroundColor).toBe('#ffffff');
    expect(mainWindowOptions({ preload: '/p.cjs', show: true, dark: true }).backgroundColor).toBe('#15181c');
  });

  it('hands out copies: one window cannot loosen the next', () => {
    const first = mainWindowOptions({ preload: '/p.cjs', show: true });
    first.webPreferences!.sandbox = false;
    expect(mainWindowOptions({ preload: '/p.cjs', show: true }).webPreferences?.sandbox).toBe(true);
    expect(SECURE_WEB_PREFERENCES.sandbox).toBe(true);
    expect(Object.isFrozen(SECURE_WEB_PREFERENCES)).toBe(true);
  });
});
