import { existsSync } from 'node:fs';
import path from 'node:path';
import type { BridgeCommand } from './client-catalog.js';
import { ownPackage } from '../runtime/package-root.js';
import { findOnPath } from '../runtime/find-on-path.js';

/**
 * The command an AI client runs to reach Switchboard. Absolute paths, because clients started from a
 * dock or start menu do not see the shell's PATH: this Node and this package's `bin/switchboard.mjs`
 * when the engine runs on Node; in the tray app (whose binary cannot run scripts) the `switchboard`
 * found on PATH. A non-default home travels along, so `connect` finds this engine.
 */
export function defaultBridge(options: {
  env: Readonly<Record<string, string | undefined>>;
  home: string;
  platform?: NodeJS.Platform;
}): BridgeCommand {
  const env = options.env.SWITCHBOARD_HOME ? { env: { SWITCHBOARD_HOME: options.home } } : {};
  const script = path.join(ownPackage()?.root ?? process.cwd(), 'bin', 'switchboard.mjs');
  if (!process.versions.electron && existsSync(script))
    return { command: process.execPath, args: [script], ...env };
  return {
    command: findOnPath('switchboard', options.env, options.platform ?? process.platform) ?? 'switchboard',
    args: [],
    ...env,
  };
}
