import { describe, expect, it } from 'vitest';
import { nextTick } from 'vue';
import { NARROW_QUERY, useSidebarCollapsed } from './sidebar-state.js';

/** A window as wide as `width`, with its own storage (or one that refuses to store). */
function windowOf(width: number, stored: Record<string, string> = {}, refuse = false): Window {
  const storage = {
    getItem: (key: string) => {
      if (refuse) throw new Error('denied');
      return stored[key] ?? null;
    },
    setItem: (key: string, value: string) => {
      if (refuse) throw new Error('denied');
      stored[key] = value;
    },
  };
  const matchMedia = (query: string) => ({ matches: query === NARROW_QUERY && width < 900 });
  return { localStorage: storage, matchMedia } as unknown as Window;
}

describe('the sidebar: icons or labels', () => {
  it('starts as icons in a narrow window and with labels in a wide one', () => {
    expect(useSidebarCollapsed(windowOf(760)).value).toBe(true);
    expect(useSidebarCollapsed(windowOf(1280)).value).toBe(false);
  });

  it("keeps the person's choice over the window's width", async () => {
    const stored: Record<string, string> = {};
    const collapsed = useSidebarCollapsed(windowOf(1280, stored));
    collapsed.value = true;
    await nextTick();
    expect(stored['switchboard.sidebar']).toBe('icons');
    expect(useSidebarCollapsed(windowOf(1280, stored)).value).toBe(true);
    expect(useSidebarCollapsed(windowOf(760, { 'switchboard.sidebar': 'labels' })).value).toBe(false);
  });

  it('works for the page when storage is refused', async () => {
    const collapsed = useSidebarCollapsed(windowOf(760, {}, true));
    expect(collapsed.value).toBe(true);
    collapsed.value = false;
    await nextTick();
    expect(collapsed.value).toBe(false);
  });
});
