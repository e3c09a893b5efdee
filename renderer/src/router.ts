import { reactive } from 'vue';

/** The window's screens. Hash routes, so they work from a file:// page in Electron and behind `serve`. */
export type Route =
  | { screen: 'servers' }
  | { screen: 'server'; server: string; tab: 'logs' | 'restarts' | 'tools' | 'charts' }
  | { screen: 'add' }
  | { screen: 'edit'; server: string }
  | { screen: 'extensions' }
  | { screen: 'activity' }
  | { screen: 'quarantine' }
  | { screen: 'secrets' }
  | { screen: 'clients' }
  | { screen: 'settings' };

const TABS = ['logs', 'restarts', 'tools', 'charts'] as const;

export function parseRoute(hash: string): Route {
  const parts = hash
    .replace(/^#\/?/, '')
    .split('/')
    .filter((p) => p !== '')
    .map((p) => {
      try {
        return decodeURIComponent(p);
      } catch {
        return p;
      }
    });
  const [first, second, third] = parts;
  if (first === 'servers' && second !== undefined) {
    if (third === 'edit') return { screen: 'edit', server: second };
    const tab = TABS.find((t) => t === third) ?? 'logs';
    return { screen: 'server', server: second, tab };
  }
  if (first === 'add') return { screen: 'add' };
  if (first === 'extensions') return { screen: 'extensions' };
  if (first === 'activity') return { screen: 'activity' };
  if (first === 'quarantine') return { screen: 'quarantine' };
  if (first === 'secrets') return { screen: 'secrets' };
  if (first === 'clients') return { screen: 'clients' };
  if (first === 'settings') return { screen: 'settings' };
  return { screen: 'servers' };
}

export function routeHash(route: Route): string {
  switch (route.screen) {
    case 'server':
      return `#/servers/${encodeURIComponent(route.server)}/${route.tab}`;
    case 'edit':
      return `#/servers/${encodeURIComponent(route.server)}/edit`;
    default:
      return `#/${route.screen}`;
  }
}

/** The current route, following `location.hash`. */
export function createRouter(win: Pick<Window, 'location' | 'addEventListener'>) {
  const state = reactive({ route: parseRoute(win.location.hash) as Route });
  win.addEventListener('hashchange', () => {
    state.route = parseRoute(win.location.hash);
  });
  return {
    state,
    go(route: Route) {
      win.location.hash = routeHash(route);
    },
  };
}

export type Router = ReturnType<typeof createRouter>;
