import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Clock } from '../flow/clock.js';
import type { JsonRpcMessage } from '../jsonrpc/messages.js';
import type { EngineEvent } from '../../shared/events.js';
import type { ExtensionContext, Tool } from './extension.js';
import type { ExtensionSlot } from './extension-slot.js';

/** What extensions may reach of the gateway, through their context. */
export interface GatewayAccess {
  toolsOf(server: string): Tool[];
  servers(): string[];
  notifyClients(message: JsonRpcMessage, server?: string): void;
  /** Tool lists differ for every session (an extension that shapes them changed). */
  toolListsChanged(): void;
}

export interface ContextDeps {
  home: string;
  clock: Clock;
  gateway: GatewayAccess;
  emit: (event: EngineEvent) => void;
  /** The engine log, already prefixed with the extension's id. */
  log: (message: string) => void;
  changed: () => void;
}

/** What one extension gets to work with: its data folder, logger, live config and the gateway's reach. */
export function extensionContext(slot: ExtensionSlot, deps: ContextDeps): ExtensionContext {
  const dataDir = path.join(deps.home, 'extension-data', slot.id);
  mkdirSync(dataDir, { recursive: true });
  const { gateway, clock, log } = deps;
  return {
    id: slot.id,
    dataDir,
    get config() {
      return slot.config;
    },
    clock,
    log: {
      info: (m) => log(m),
      warn: (m) => log(`warning: ${m}`),
      error: (m) => log(`error: ${m}`),
    },
    notify: (message) =>
      deps.emit({ type: 'extension.notice', extension: slot.id, message, at: clock.now() }),
    changed: deps.changed,
    notifyClients: (message, server) => gateway.notifyClients(message, server),
    toolsOf: (server) => gateway.toolsOf(server),
    servers: () => gateway.servers(),
  };
}
