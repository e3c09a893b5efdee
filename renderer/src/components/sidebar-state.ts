import { ref, watch, type Ref } from 'vue';

const KEY = 'switchboard.sidebar';
/** Below this width the sidebar starts as icons, so a tray-sized window keeps its room for the page. */
export const NARROW_QUERY = '(max-width: 899px)';

/**
 * Whether the sidebar shows icons only: the person's last choice if they made one (kept in
 * localStorage), else icons in a narrow window and labels in a wide one.
 */
export function useSidebarCollapsed(win: Window): Ref<boolean> {
  const saved = readChoice(win);
  const narrow = win.matchMedia?.(NARROW_QUERY).matches ?? false;
  const collapsed = ref(saved ?? narrow);
  watch(collapsed, (value) => {
    try {
      win.localStorage.setItem(KEY, value ? 'icons' : 'labels');
    } catch {
      // storage refused (private mode): the choice lasts as long as the page
    }
  });
  return collapsed;
}

function readChoice(win: Window): boolean | undefined {
  try {
    const value = win.localStorage.getItem(KEY);
    return value === 'icons' ? true : value === 'labels' ? false : undefined;
  } catch {
    return undefined;
  }
}
