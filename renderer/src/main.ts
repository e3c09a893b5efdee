import { createApp } from 'vue';
import App from './App.vue';
import { HttpBridge } from './bridge/http-bridge.js';
import { pickBridge } from './bridge/pick-bridge.js';
import { ENGINE, ROUTER } from './context.js';
import { createRouter } from './router.js';
import { createEngineStore } from './store/engine-store.js';
import { applyTheme, followSystemTheme } from './theme.js';
import type { Theme } from '../../electron/shared/api.js';
import './styles/app.css';

/**
 * A sign-in link from `switchboard open` carries a one-time code in the fragment (never sent in a
 * request, never logged). Trade it for the session cookie, then drop it from the address bar and
 * from history before anything else runs.
 */
async function signInFromLink(bridge: HttpBridge): Promise<void> {
  const code = /(?:^#|&)code=([A-Za-z0-9_-]+)/.exec(location.hash)?.[1];
  if (!code) return;
  history.replaceState(null, '', `${location.pathname}${location.search}#/servers`);
  await bridge.signIn({ code }).catch(() => undefined); // a used or stale code: the banner says what to do
}

/**
 * A link pasted into a tab that is open already (showing "not signed in") changes only the
 * fragment, which loads nothing: sign in from it, then load the page again signed in.
 */
function signInFromPastedLinks(bridge: HttpBridge): void {
  window.addEventListener('hashchange', () => {
    if (!/(?:^#|&)code=/.test(location.hash)) return;
    void signInFromLink(bridge).then(() => location.reload());
  });
}

async function start(): Promise<void> {
  const bridge = pickBridge(window as unknown as Window & Record<string, unknown>);
  if (bridge instanceof HttpBridge) {
    await signInFromLink(bridge);
    signInFromPastedLinks(bridge);
  }
  applyTheme('system');
  // The choice in force is on the page (Settings may change it), not in a variable here.
  followSystemTheme(() => (document.documentElement.dataset.themeChoice as Theme | undefined) ?? 'system');
  const engine = createEngineStore(bridge);
  const router = createRouter(window);
  const app = createApp(App);
  app.provide(ENGINE, engine);
  app.provide(ROUTER, router);
  app.mount('#app');
  engine.connect();
  bridge
    .call('getSettings', {})
    .then((settings) => applyTheme(settings.theme))
    .catch(() => undefined); // not signed in yet: the system theme stands
}

void start();
