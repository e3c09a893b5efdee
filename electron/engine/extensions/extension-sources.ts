import type { Extension } from './extension.js';
import { ExtensionSlot } from './extension-slot.js';
import { discoverThirdParty, loadThirdParty } from './third-party.js';

/** The slot of a built-in extension: its manifest is the instance's own, and it is already loaded. */
export function builtinSlot(ext: Extension): ExtensionSlot {
  return new ExtensionSlot(
    {
      id: ext.id,
      name: ext.name,
      version: ext.version,
      ...(ext.description !== undefined ? { description: ext.description } : {}),
      defaultEnabled: ext.defaultEnabled,
      ...(ext.configSchema ? { configSchema: ext.configSchema } : {}),
    },
    'builtin',
    async () => ext,
  );
}

/**
 * Slots for the third-party extensions in `dir` (`<home>/extensions/`), loaded only once enabled.
 * A folder that is not a usable extension, or whose id an earlier slot has, is skipped and logged.
 */
export async function thirdPartySlots(
  dir: string,
  existing: readonly ExtensionSlot[],
  log: (line: string) => void,
): Promise<ExtensionSlot[]> {
  const { found, problems } = await discoverThirdParty(dir);
  for (const p of problems) log(`extensions: skipping ${p.dir}: ${p.problem}`);
  const taken = new Set(existing.map((s) => s.id));
  const slots: ExtensionSlot[] = [];
  for (const ext of found) {
    if (taken.has(ext.manifest.id)) {
      log(`extensions: skipping ${ext.dir}: the id "${ext.manifest.id}" is taken`);
      continue;
    }
    taken.add(ext.manifest.id);
    slots.push(new ExtensionSlot(ext.manifest, 'third-party', () => loadThirdParty(ext)));
  }
  return slots;
}
