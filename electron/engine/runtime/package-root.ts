import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

interface PackageJson {
  name?: string;
  version?: string;
}

let found: { root: string; pkg: PackageJson } | null | undefined;

/**
 * Our own package folder and package.json, wherever this code runs from: source (electron/…),
 * compiled (dist/electron/…) or bundled (dist/cli/…). Undefined when it cannot be found.
 */
export function ownPackage(): { root: string; pkg: PackageJson } | undefined {
  if (found !== undefined) return found ?? undefined;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6 && found === undefined; i++) {
    try {
      const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as PackageJson;
      if (pkg.name === 'switchboard') found = { root: dir, pkg };
    } catch {
      // not here; keep walking up
    }
    dir = path.dirname(dir);
  }
  found ??= null;
  return found ?? undefined;
}
