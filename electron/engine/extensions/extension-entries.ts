import type { ConfigService } from '../config/config-service.js';
import type { ConfigProblem } from '../../shared/config-errors.js';
import type { ExtensionContext, JsonObject } from './extension.js';
import type { ExtensionSlot } from './extension-slot.js';

/** An extension's entry in the config file's `extensions` block. */
export type ExtensionEntry = { enabled?: boolean; config?: JsonObject; servers?: string[] };

/** What bringing a slot to its entry needs of the host. */
export interface EntryDeps {
  context: (slot: ExtensionSlot) => ExtensionContext;
  log: (slot: ExtensionSlot, message: string) => void;
  /** The slot has just started (a throw here counts as failing to start). */
  started: (slot: ExtensionSlot) => void;
}

/** The extension's entry in the config in force (empty when it has none). */
export function readEntry(config: ConfigService, id: string): ExtensionEntry {
  const block = config.current.extensions as Record<string, ExtensionEntry | undefined>;
  return block[id] ?? {};
}

/** Changes the extension's entry in the config file (creating the block and the entry if need be). */
export async function writeEntry(
  config: ConfigService,
  id: string,
  change: (entry: ExtensionEntry) => void,
): Promise<void> {
  await config.update((raw) => {
    const block = (raw.extensions ??= {}) as Record<string, ExtensionEntry>;
    const entry = (block[id] ??= {});
    change(entry);
  });
}

/**
 * Brings a slot to its entry: its scope, then started, stopped or given the entry's config. Nothing
 * runs while `heldOff` (the kill switch) is set. True when its state, config or scope changed.
 */
export async function applyEntry(
  slot: ExtensionSlot,
  entry: ExtensionEntry,
  heldOff: string | undefined,
  deps: EntryDeps,
): Promise<boolean> {
  const want =
    !slot.forcedOff &&
    heldOff === undefined &&
    (entry.enabled ?? (slot.source === 'builtin' && slot.manifest.defaultEnabled));
  const before = {
    enabled: slot.enabled,
    config: slot.appliedConfigText,
    servers: scopeText(slot.servers),
  };
  slot.servers = entry.servers ? new Set(entry.servers) : undefined;
  if (want && !slot.enabled) await startSlot(slot, entry, deps);
  else if (!want && slot.enabled) await stopSlot(slot, deps);
  else if (slot.enabled) await reconfigureSlot(slot, entry, deps);
  return (
    before.enabled !== slot.enabled ||
    before.config !== slot.appliedConfigText ||
    before.servers !== scopeText(slot.servers)
  );
}

/** Starts the slot with its entry's config; when it cannot, it stays off and `problem` says why. */
export async function startSlot(slot: ExtensionSlot, entry: ExtensionEntry, deps: EntryDeps): Promise<void> {
  const checked = slot.checkConfig(entry.config);
  if (!checked.ok) {
    slot.problem = `its config is not valid (${problemsText(checked.problems)}); fix it in Extensions`;
    return;
  }
  try {
    await slot.activate(checked.config, deps.context);
    slot.problem = undefined;
    deps.started(slot);
  } catch (err) {
    slot.problem = `it failed to start: ${(err as Error).message ?? String(err)}`;
    deps.log(slot, slot.problem);
    await slot.deactivate().catch(() => undefined);
  }
}

async function stopSlot(slot: ExtensionSlot, deps: EntryDeps): Promise<void> {
  await slot.deactivate().catch((err: unknown) => deps.log(slot, `shutdown failed: ${String(err)}`));
  slot.problem = slot.forcedOff ? slot.problem : undefined;
}

async function reconfigureSlot(slot: ExtensionSlot, entry: ExtensionEntry, deps: EntryDeps): Promise<void> {
  const checked = slot.checkConfig(entry.config);
  if (!checked.ok) {
    slot.problem = `the config in the file is not valid, so the last good one stays in force (${problemsText(checked.problems)})`;
    return;
  }
  try {
    await slot.reconfigure(checked.config, deps.context);
    slot.problem = undefined;
  } catch (err) {
    slot.problem = `it failed to take its new config: ${(err as Error).message ?? String(err)}`;
    deps.log(slot, slot.problem);
  }
}

function problemsText(problems: readonly ConfigProblem[]): string {
  return problems.map((p) => `${p.path || 'config'}: ${p.message}`).join('; ');
}

function scopeText(servers: ReadonlySet<string> | undefined): string {
  return servers ? [...servers].sort().join(',') : '*';
}
