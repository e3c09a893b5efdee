import { isDeepStrictEqual } from 'node:util';
import type { ServerConfig } from '../../shared/config.js';

export interface ServerDiff {
  added: string[];
  removed: string[];
  /** Servers whose config differs in any way: these, and only these, restart. */
  changed: string[];
  unchanged: string[];
}

/** Desired vs. what runs: which servers a reload must start, stop or restart. */
export function diffServers(
  before: Readonly<Record<string, ServerConfig>>,
  after: Readonly<Record<string, ServerConfig>>,
): ServerDiff {
  const diff: ServerDiff = { added: [], removed: [], changed: [], unchanged: [] };
  for (const name of Object.keys(after)) {
    if (!(name in before)) diff.added.push(name);
    else if (isDeepStrictEqual(before[name], after[name])) diff.unchanged.push(name);
    else diff.changed.push(name);
  }
  for (const name of Object.keys(before)) if (!(name in after)) diff.removed.push(name);
  return diff;
}
