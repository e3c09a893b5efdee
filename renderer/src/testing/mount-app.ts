import { mount, flushPromises, type ComponentMountingOptions } from '@vue/test-utils';
import type { Component } from 'vue';
import { ENGINE, ROUTER } from '../context.js';
import { createRouter, routeHash, type Route } from '../router.js';
import { createEngineStore, type EngineStore } from '../store/engine-store.js';
import { FakeBridge } from './fake-bridge.js';

export interface Mounted {
  bridge: FakeBridge;
  engine: EngineStore;
  router: ReturnType<typeof createRouter>;
}

/**
 * Mounts a component as the app would: an engine store over a FakeBridge (connected, and seeded if
 * the test answered `listServers`) and a router at `route`.
 */
export async function mountWithEngine<C extends Component>(
  component: C,
  options: { bridge?: FakeBridge; route?: Route; props?: Record<string, unknown> } & Pick<
    ComponentMountingOptions<C>,
    'attachTo'
  > = {},
) {
  const bridge = options.bridge ?? new FakeBridge();
  window.location.hash = routeHash(options.route ?? { screen: 'servers' });
  const engine = createEngineStore(bridge);
  const router = createRouter(window);
  engine.connect();
  bridge.setStatus('events', 'open');
  await flushPromises();
  const wrapper = mount(component as Component, {
    props: options.props ?? {},
    global: { provide: { [ENGINE as symbol]: engine, [ROUTER as symbol]: router } },
    ...(options.attachTo ? { attachTo: options.attachTo } : {}),
  });
  await flushPromises();
  return { wrapper, bridge, engine, router };
}
