import fs from 'node:fs';
import path from 'node:path';
import { cmdShimArgs } from './cmd-escape.js';

export type SpawnErrorCode = 'ENOENT' | 'EACCES' | 'ENOTDIR' | 'EINVAL' | (string & {});

/**
 * A process that could not be started, with a message a person can act on. The actor treats it as
 * fatal (retrying cannot fix a missing command) and recognises it by `name`.
 */
export class SpawnError extends Error {
  override readonly name = 'SpawnError';

  constructor(
    readonly code: SpawnErrorCode,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

export interface ResolveOptions {
  platform: NodeJS.Platform;
  /** The environment the child will get: its PATH is the one searched. */
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  /** True when `p` is a file this platform can run (on POSIX: with the executable bit). */
  isFile: (p: string) => boolean;
  /** True when `p` is a file at all; lets a non-executable hit report EACCES rather than ENOENT. */
  exists?: (p: string) => boolean;
}

export interface ResolvedCommand {
  file: string;
  args: string[];
  /** The command runs through cmd.exe; spawn it with `windowsVerbatimArguments: true`. */
  viaShim?: boolean;
}

const DEFAULT_PATHEXT = '.COM;.EXE;.BAT;.CMD';
// Only these start without cmd.exe; Node refuses to spawn .bat/.cmd directly (CVE-2024-27980).
const NATIVE_EXECUTABLE = /\.(?:com|exe)$/i;

/**
 * Finds the file to execute for `command` the way a shell would, without using one. Pure: all file
 * system access goes through `opts.isFile`/`opts.exists`.
 */
export function resolveCommand(
  command: string,
  args: readonly string[],
  opts: ResolveOptions,
): ResolvedCommand {
  const win = opts.platform === 'win32';
  const paths = win ? path.win32 : path.posix;
  if (command.trim() === '') {
    throw new SpawnError(
      'EINVAL',
      'command is empty. Set the server\'s "command" to a program name or path.',
    );
  }

  const suffixes = extensionsToTry(command, win, opts.env);
  const notExecutable: string[] = [];
  const probe = (base: string): string | undefined => {
    for (const suffix of suffixes) {
      const candidate = base + suffix;
      if (opts.isFile(candidate)) return candidate;
      if (opts.exists?.(candidate)) notExecutable.push(candidate);
    }
    return undefined;
  };

  let found: string | undefined;
  let searched: string;
  if (hasPathSeparator(command, win)) {
    // Like execvp: a command with a separator is a path, taken relative to the child's cwd.
    const absolute = paths.resolve(opts.cwd, command);
    found = probe(absolute);
    searched = `resolved to ${absolute} from working directory ${opts.cwd}`;
  } else {
    const dirs = searchPath(opts.env, win);
    for (const dir of dirs) {
      found = probe(paths.join(dir, command));
      if (found) break;
    }
    searched = dirs.length > 0 ? `searched PATH: ${dirs.join(paths.delimiter)}` : 'PATH is empty or unset';
  }

  if (!found) {
    const [blocked] = notExecutable;
    if (blocked !== undefined) {
      throw new SpawnError(
        'EACCES',
        `command is not executable: ${blocked}. Make it executable (chmod +x ${blocked}) or give the program that runs it.`,
      );
    }
    const hint = hasPathSeparator(command, win)
      ? 'Check the path, or give an absolute path.'
      : 'Install it or give an absolute path.';
    throw new SpawnError('ENOENT', `command not found: ${command} (${searched}). ${hint}`);
  }

  if (!win || NATIVE_EXECUTABLE.test(found)) return { file: found, args: [...args] };
  return viaCmd(paths.normalize(found), args, opts.env);
}

/** Runs a .cmd/.bat shim (or any other PATHEXT type) through cmd.exe with escaped arguments. */
function viaCmd(file: string, args: readonly string[], env: ResolveOptions['env']): ResolvedCommand {
  const withLineBreak = args.find((arg) => /[\r\n]/.test(arg));
  if (withLineBreak !== undefined) {
    // cmd.exe ends the command at a line break; the rest would be dropped or run as a new command.
    throw new SpawnError(
      'EINVAL',
      `cannot pass an argument containing a line break to ${file} through cmd.exe: ${JSON.stringify(withLineBreak)}. Remove the line break or run a .exe directly.`,
    );
  }
  return { file: getEnv(env, 'ComSpec', true) || 'cmd.exe', args: cmdShimArgs(file, args), viaShim: true };
}

function hasPathSeparator(command: string, win: boolean): boolean {
  return win ? /[\\/]/.test(command) : command.includes('/');
}

/** Suffixes to append to a candidate path; on Windows the PATHEXT list, like cmd.exe. */
function extensionsToTry(command: string, win: boolean, env: ResolveOptions['env']): string[] {
  if (!win) return [''];
  const exts = (getEnv(env, 'PATHEXT', true) || DEFAULT_PATHEXT).split(';').filter((ext) => ext !== '');
  // A name that already has an extension ("node.exe") is tried as given first.
  return path.win32.extname(command) !== '' ? ['', ...exts] : exts;
}

function searchPath(env: ResolveOptions['env'], win: boolean): string[] {
  const value = getEnv(env, 'PATH', win) ?? '';
  return (
    value
      .split(win ? ';' : ':')
      // Windows allows quoted entries; empty entries would mean "current directory", which we skip.
      .map((dir) => (win ? dir.replace(/^"(.*)"$/, '$1') : dir))
      .filter((dir) => dir !== '')
  );
}

/**
 * Reads an environment variable; on Windows the name is case-insensitive. When several spellings
 * exist, the lexicographically first wins, which is the one Node passes to the child.
 */
export function getEnv(env: ResolveOptions['env'], name: string, win: boolean): string | undefined {
  if (!win) return env[name];
  const upper = name.toUpperCase();
  const key = Object.keys(env)
    .filter((k) => k.toUpperCase() === upper && env[k] !== undefined)
    .sort()[0];
  return key === undefined ? undefined : env[key];
}

/** The default `isFile`: a regular file, and on POSIX one we may execute. */
export function executableChecker(platform: NodeJS.Platform): (p: string) => boolean {
  return (p) => {
    try {
      if (!fs.statSync(p).isFile()) return false;
      if (platform !== 'win32') fs.accessSync(p, fs.constants.X_OK);
      return true;
    } catch {
      return false;
    }
  };
}

/** The default `exists`: a regular file, executable or not. */
export function fileExists(p: string): boolean {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}
