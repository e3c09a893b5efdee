import type { Clock } from '../flow/clock.js';
import type { ServerActor } from '../actor/server-actor.js';
import type { HookPipeline } from '../extensions/hook-pipeline.js';
import type { ClientIdentity, Upstream, UpstreamInfo } from '../upstream/upstream.js';
import { untilReady } from '../actor/until-ready.js';
import { ServerRouter } from './server-router.js';

/** A server instance of one client session's own (see `sessions` in the config). */
export interface OwnInstance {
  readonly actor: ServerActor;
  readonly upstream: Upstream;
  stop(): Promise<void>;
  /** It was built again from a changed config entry: its upstream is another one now. */
  on(event: 'replaced', listener: () => void): unknown;
}

/** A session's own upstream, ready, with a router of its own. */
export interface OwnUpstream {
  router: ServerRouter;
  /** The instance's upstream now (another after a config change). */
  readonly upstream: Upstream;
  info: UpstreamInfo;
  /** The session ended: the instance and its process go. */
  end(): Promise<void>;
}

/** Who a client is, from its `initialize` params: its own upstream initializes the server as it would. */
export function clientIdentity(params: unknown, capabilities: Record<string, unknown>): ClientIdentity {
  const info = (params as { clientInfo?: { name?: unknown; version?: unknown } } | undefined)?.clientInfo;
  return {
    capabilities,
    clientInfo: {
      ...info,
      name: typeof info?.name === 'string' ? info.name : 'unknown',
      version: typeof info?.version === 'string' ? info.version : '0',
    },
  };
}

/**
 * Starts a server instance of one session's own and waits (bounded) for it to be initialized:
 * its router sends everything the server asks to that session alone.
 */
export async function openOwnUpstream(opts: {
  name: string;
  instance: OwnInstance;
  clock: Clock;
  log: (line: string) => void;
  hooks?: HookPipeline;
  waitMs: number;
}): Promise<OwnUpstream | { detail: string }> {
  const { name, instance } = opts;
  const failure = await untilReady(instance.actor, opts.clock, opts.waitMs);
  const info = instance.upstream.info;
  if (failure !== undefined || !info) {
    await instance.stop();
    return { detail: `${name} (a session's own) ${failure ?? 'gave no InitializeResult'}` };
  }
  const router = new ServerRouter({
    server: name,
    clock: opts.clock,
    upstream: () => instance.upstream,
    log: opts.log,
    soleClient: true,
    ...(opts.hooks ? { hooks: opts.hooks } : {}),
  });
  instance.on('replaced', () => router.rebind());
  return {
    router,
    get upstream() {
      return instance.upstream;
    },
    info,
    end: () => instance.stop(),
  };
}
