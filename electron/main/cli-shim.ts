import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { shellLine } from '../shared/shell-words.js';

/** Where the tray app runs from, and the machine it writes the `switchboard` command for. */
export interface CliShimContext {
  platform: NodeJS.Platform;
  homedir: string;
  env: NodeJS.ProcessEnv;
  /** The Node that runs the CLI (the packaged app's own binary may not: its fuses forbid it). */
  node: string;
  /** The package's `bin/switchboard.mjs` (outside app.asar, where Node can read it). */
  launcher: string;
}

export interface CliShim {
  file: string;
  content: string;
  mode: number;
  /** Whether the folder is on PATH (else a shell does not find the command until it is added). */
  dirOnPath: boolean;
}

/**
 * The `switchboard` command the tray's "Install command-line tool" writes: a small script in a
 * folder of the person's own that is usually on PATH (~/.local/bin; on Windows the WindowsApps
 * folder), running the app's CLI with Node by absolute paths (clients started from a dock do not
 * see a shell's PATH).
 */
export function cliShim(context: CliShimContext): CliShim {
  const windows = context.platform === 'win32';
  const dir = windows
    ? path.win32.join(
        context.env.LOCALAPPDATA ?? path.win32.join(context.homedir, 'AppData', 'Local'),
        'Microsoft',
        'WindowsApps',
      )
    : path.posix.join(context.homedir, '.local', 'bin');
  const content = windows
    ? `@echo off\r\n"${context.node}" "${context.launcher}" %*\r\n`
    : `#!/bin/sh\n# Written by Switchboard ("Install command-line tool").\n` +
      `exec ${shellLine([context.node, context.launcher])} "$@"\n`;
  const separator = windows ? ';' : ':';
  const pathEnv = context.env.PATH ?? context.env.Path ?? '';
  const normalize = (p: string) => (windows ? p.toLowerCase().replace(/\\+$/, '') : p.replace(/\/+$/, ''));
  const dirOnPath = pathEnv
    .split(separator)
    .filter(Boolean)
    .some((entry) => normalize(entry) === normalize(dir));
  return {
    file: windows ? path.win32.join(dir, 'switchboard.cmd') : path.posix.join(dir, 'switchboard'),
    content,
    mode: 0o755,
    dirOnPath,
  };
}

/** Writes the command; resolves with what to tell the person. */
export async function installCliShim(shim: CliShim): Promise<string> {
  await mkdir(path.dirname(shim.file), { recursive: true });
  await writeFile(shim.file, shim.content, { mode: shim.mode });
  return shim.dirOnPath
    ? `Installed \`switchboard\` as ${shim.file}. Open a new terminal and run \`switchboard --help\`.`
    : `Installed \`switchboard\` as ${shim.file}, but ${path.dirname(shim.file)} is not on your PATH: add it to PATH (or run the command by its full path).`;
}
