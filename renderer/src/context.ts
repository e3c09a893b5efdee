import { inject, type InjectionKey } from 'vue';
import type { Router } from './router.js';
import type { EngineStore } from './store/engine-store.js';

export const ENGINE: InjectionKey<EngineStore> = Symbol('engine');
export const ROUTER: InjectionKey<Router> = Symbol('router');

export function useEngine(): EngineStore {
  const engine = inject(ENGINE);
  if (!engine) throw new Error('useEngine() outside the app: provide ENGINE first');
  return engine;
}

export function useRouter(): Router {
  const router = inject(ROUTER);
  if (!router) throw new Error('useRouter() outside the app: provide ROUTER first');
  return router;
}
