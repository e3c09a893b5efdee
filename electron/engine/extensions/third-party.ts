import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Extension, JsonObject } from './extension.js';
import type { ExtensionManifest } from './extension-slot.js';

export const EXTENSION_ID_PATTERN = /^[a-z0-9][a-z0-9._-]{0,63}$/;

/** A folder under `<home>/extensions/`: its manifest (read without running anything) and entry file. */
export interface ThirdPartyExtension {
  manifest: ExtensionManifest;
  dir: string;
  entry: string;
}

export interface Discovery {
  found: ThirdPartyExtension[];
  /** Folders that are not usable extensions, each with why. */
  problems: { dir: string; problem: string }[];
}

interface PackageJson {
  name?: unknown;
  version?: unknown;
  description?: unknown;
  main?: unknown;
  switchboard?: { id?: unknown; name?: unknown; configSchema?: unknown };
}

/**
 * Lists the extensions a person put in `<home>/extensions/<folder>/`: each has a package.json whose
 * `switchboard` block names it (id, name, configSchema) and whose `main` is an ES module. Nothing
 * is imported here: third-party code runs only after the person enables it.
 */
export async function discoverThirdParty(root: string): Promise<Discovery> {
  const discovery: Discovery = { found: [], problems: [] };
  const entries = await readdir(root, { withFileTypes: true }).catch(() => []);
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    if (!entry.isDirectory()) continue;
    const dir = path.join(root, entry.name);
    const read = await readManifest(dir);
    if ('problem' in read) discovery.problems.push({ dir, problem: read.problem });
    else discovery.found.push(read);
  }
  return discovery;
}

async function readManifest(dir: string): Promise<ThirdPartyExtension | { problem: string }> {
  let pkg: PackageJson;
  try {
    pkg = JSON.parse(await readFile(path.join(dir, 'package.json'), 'utf8')) as PackageJson;
  } catch (err) {
    return { problem: `no readable package.json (${(err as Error).message})` };
  }
  const block = pkg.switchboard;
  if (typeof block !== 'object' || block === null)
    return { problem: 'package.json has no "switchboard" block (with at least "id")' };
  const id = typeof block.id === 'string' ? block.id : typeof pkg.name === 'string' ? pkg.name : '';
  if (!EXTENSION_ID_PATTERN.test(id))
    return { problem: `"switchboard.id" must be lower-case letters, digits, ".", "_" or "-" (got "${id}")` };
  const main = typeof pkg.main === 'string' ? pkg.main : 'index.js';
  const entry = path.resolve(dir, main);
  if (!entry.startsWith(dir + path.sep)) return { problem: `"main" points outside the extension's folder` };
  const schema = block.configSchema;
  if (schema !== undefined && (typeof schema !== 'object' || schema === null || Array.isArray(schema)))
    return { problem: '"switchboard.configSchema" must be a JSON Schema object' };
  return {
    dir,
    entry,
    manifest: {
      id,
      name: typeof block.name === 'string' ? block.name : id,
      version: typeof pkg.version === 'string' ? pkg.version : '0.0.0',
      ...(typeof pkg.description === 'string' ? { description: pkg.description } : {}),
      // Never on by itself: the person enables third-party code.
      defaultEnabled: false,
      ...(schema ? { configSchema: schema as JsonObject } : {}),
    },
  };
}

/** Imports an enabled extension's module: its default export is the extension, or makes it. */
export async function loadThirdParty(found: ThirdPartyExtension): Promise<Extension> {
  const module = (await import(pathToFileURL(found.entry).href)) as { default?: unknown };
  let value = module.default;
  if (typeof value === 'function') value = await (value as () => unknown)();
  if (typeof value !== 'object' || value === null)
    throw new Error(
      `${found.entry} must export default an extension object (or a function that returns one)`,
    );
  // The manifest is what the person saw and enabled: the host shows its name, version and schema.
  return value as Extension;
}
