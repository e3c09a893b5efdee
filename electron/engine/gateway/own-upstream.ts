import type { Clock } from '../flow/clock.js';
import type { ServerActor } from '../actor/server-actor.js';
import type { HookPipeline } from '../extensions/hook-pipeline.js';
import type { ClientIdentity, Upstream, UpstreamInfo } from '../upstream/upstream.js';
import type { EngineEvent, ServerState } from '../../shared/events.js';
import { ServerRouter } from './server-router.js';

/** A server instance of one client session's own (see `sessions` in the config). */
export interface OwnInstance {
  actor: ServerActor;
  upstream: Upstream;
  stop(): Promise<void>;
}

/** A session's own upstream, ready, with a router of its own. */
export interface OwnUpstream {
  router: ServerRouter;
  upstream: Upstream;
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

/** States from which a starting instance will not come up until someone acts. */
const GIVEN_UP: ReadonlySet<ServerState> = new Set(['failed', 'needs-secret', 'needs-auth', 'stopped']);

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
  const failure = await untilUp(instance.actor, opts.clock, opts.waitMs);
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
  return { router, upstream: instance.upstream, info, end: () => instance.stop() };
}

/** Undefined once the actor is ready; else why it will not be (or did not come up in time). */
function untilUp(actor: ServerActor, clock: Clock, waitMs: number): Promise<string | undefined> {
  if (actor.state === 'ready') return Promise.resolve(undefined);
  return new Promise((resolve) => {
    const done = (outcome: string | undefined) => {
      clock.clearTimeout(timer);
      actor.off('event', onEvent);
      resolve(outcome);
    };
    const timer = clock.setTimeout(() => done(`did not come up within ${waitMs} ms`), waitMs);
    const onEvent = (event: EngineEvent) => {
      if (event.type !== 'server.state') return;
      if (event.to === 'ready') done(undefined);
      else if (GIVEN_UP.has(event.to)) done(`is ${event.to}: ${event.reason}`);
    };
    actor.on('event', onEvent);
  });
}
