import type { EngineEvent } from '../../shared/events.js';
import type { GatewayAccess } from './extension-context.js';
import type { HookName } from './extension.js';
import type { ExtensionSlot } from './extension-slot.js';
import type { HookPipeline } from './hook-pipeline.js';

/** Engine events drive the lifecycle hooks: a server restarting, a server ready, a server's new tools. */
export function runLifecycleHooks(pipeline: HookPipeline, gateway: GatewayAccess, event: EngineEvent): void {
  if (!pipeline.active) return;
  if (event.type === 'server.state' && event.to === 'restarting')
    void pipeline.lifecycle('beforeRestart', event.server, (s) =>
      s.instance!.beforeRestart!(event.server, event.reason),
    );
  else if (event.type === 'server.state' && event.to === 'ready')
    void pipeline.lifecycle('afterServerStart', event.server, (s) =>
      s.instance!.afterServerStart!(event.server),
    );
  else if (event.type === 'server.lists') {
    const tools = gateway.toolsOf(event.server);
    void pipeline.lifecycle('onToolsChanged', event.server, (s) =>
      s.instance!.onToolsChanged!(event.server, tools),
    );
  }
}

/** An extension enabled while servers run learns their current tools, as if they had just listed. */
export function catchUpOnTools(
  slot: ExtensionSlot,
  gateway: GatewayAccess,
  failed: (slot: ExtensionSlot, hook: HookName, error: unknown) => void,
): void {
  if (!slot.has('onToolsChanged')) return;
  for (const server of gateway.servers()) {
    if (!slot.appliesTo(server)) continue;
    const tools = gateway.toolsOf(server);
    if (tools.length === 0) continue;
    void Promise.resolve()
      .then(() => slot.instance!.onToolsChanged!(server, tools))
      .catch((err: unknown) => failed(slot, 'onToolsChanged', err));
  }
}
