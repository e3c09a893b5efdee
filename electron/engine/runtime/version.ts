import { ownPackage } from './package-root.js';

/** Our own version from package.json, wherever this file runs from (source, dist or the bundle). */
export function packageVersion(): string {
  return ownPackage()?.pkg.version ?? 'unknown';
}
