import path from 'node:path';
import picomatch from 'picomatch';

/**
 * Ignored unless the person says otherwise. Each `dir/**` pattern also matches the
 * directory itself (picomatch treats `**` as zero or more segments), so chokidar
 * prunes the directory instead of walking it.
 */
export const DEFAULT_IGNORES: readonly string[] = [
  '**/node_modules/**',
  '**/.git/**',
  '**/*.log',
  '**/*.tmp',
  '**/*.swp',
  '**/*~',
  '**/.DS_Store',
];

/** Extensions that mark a command-line argument as the server's own script. */
export const SCRIPT_EXTENSIONS: readonly string[] = [
  '.js',
  '.mjs',
  '.cjs',
  '.ts',
  '.mts',
  '.cts',
  '.jsx',
  '.tsx',
  '.py',
  '.rb',
  '.go',
  '.sh',
];

export interface WatchPlanInput {
  /** Files, directories or globs; relative entries resolve against `cwd`. */
  watch: string[];
  /** Globs; patterns without a slash match at any depth (like .gitignore). */
  ignore: string[];
  /** `['js', 'ts,.json']` style; empty or missing means every file. */
  extensions?: string[];
  cwd: string;
}

export interface WatchPlan {
  /** Absolute files and directories to hand to chokidar. */
  roots: string[];
  /** Should a change to this file restart the server? */
  isRelevant(absPath: string): boolean;
  /**
   * For chokidar's `ignored` option: true prunes the path (and, for a directory, its
   * subtree). Paths outside every root are ignored; roots and their ancestors never are.
   */
  isIgnored(absPath: string): boolean;
}

interface Target {
  root: string;
  key: string;
  /** Present for glob entries: matched against the path relative to `key`. */
  glob?: picomatch.Matcher;
}

// Windows paths are recognised by shape, not by process.platform, so the same
// planning logic is testable everywhere.
function isWindowsPath(p: string): boolean {
  return /^[A-Za-z]:([\\/]|$)/.test(p) || p.startsWith('\\\\');
}

function flavourOf(cwd: string): path.PlatformPath {
  return isWindowsPath(cwd) ? path.win32 : path.posix;
}

const toSlash = (p: string): string => p.replace(/\\/g, '/');

/** Comparable form: forward slashes, no trailing slash, lower case on Windows. */
function makeKey(windows: boolean) {
  return (p: string): string => {
    let k = toSlash(p);
    if (k.length > 1 && k.endsWith('/') && !/^[A-Za-z]:\/$/.test(k)) k = k.slice(0, -1);
    return windows ? k.toLowerCase() : k;
  };
}

function isWithin(parentKey: string, key: string): boolean {
  if (key === parentKey) return true;
  const prefix = parentKey.endsWith('/') ? parentKey : `${parentKey}/`;
  return key.startsWith(prefix);
}

function relativeKey(parentKey: string, key: string): string {
  if (key === parentKey) return '';
  return key.slice(parentKey.endsWith('/') ? parentKey.length : parentKey.length + 1);
}

/** `['js', 'ts,.JSON']` → `['.js', '.ts', '.json']`. */
export function normaliseExtensions(extensions: readonly string[] = []): string[] {
  const out = extensions
    .flatMap((e) => e.split(','))
    .map((e) => e.trim().replace(/^\.+/, '').toLowerCase())
    .filter((e) => e.length > 0 && e !== '*')
    .map((e) => `.${e}`);
  return [...new Set(out)];
}

function compileIgnores(patterns: readonly string[], windows: boolean) {
  const absolute: picomatch.Matcher[] = [];
  const relative: picomatch.Matcher[] = [];
  const opts = { dot: true, nocase: windows };
  for (const raw of patterns) {
    let p = toSlash(raw.trim()).replace(/^\.\//, '');
    if (p.length > 1) p = p.replace(/\/+$/, '');
    if (!p) continue;
    const isAbs = p.startsWith('/') || /^[A-Za-z]:\//.test(p);
    // A slash-less pattern (`dist`, `*.log`) means "at any depth", as in .gitignore.
    const base = isAbs || p.includes('/') ? p : `**/${p}`;
    // Also match everything under a matched directory, so `dist` covers `dist/a.js`.
    const globs = base.endsWith('/**') ? [base] : [base, `${base}/**`];
    (isAbs ? absolute : relative).push(...globs.map((g) => picomatch(g, opts)));
  }
  return { absolute, relative };
}

export function planWatch(input: WatchPlanInput): WatchPlan {
  const flavour = flavourOf(input.cwd);
  const windows = flavour === path.win32;
  const key = makeKey(windows);
  const cwdKey = key(flavour.resolve(input.cwd));
  const targets: Target[] = [];

  for (const entry of input.watch) {
    const slashed = toSlash(entry.trim());
    if (!slashed) continue;
    const scan = picomatch.scan(slashed);
    if (scan.isGlob) {
      const root = flavour.resolve(input.cwd, scan.base || '.');
      const glob = picomatch(scan.glob, { nocase: windows });
      targets.push({ root, key: key(root), glob });
    } else {
      const root = flavour.resolve(input.cwd, slashed);
      targets.push({ root, key: key(root) });
    }
  }

  const ignores = compileIgnores(input.ignore, windows);
  const extensions = normaliseExtensions(input.extensions);
  const roots = [...new Map(targets.map((t) => [t.key, t.root])).values()];

  const hasWantedExtension = (k: string): boolean =>
    extensions.length === 0 || extensions.some((ext) => k.toLowerCase().endsWith(ext));

  const ignoredKey = (k: string): boolean => {
    // A root, or a directory chokidar walks up through to reach a missing root,
    // must never be pruned, or nothing under it would be watched.
    if (targets.some((t) => isWithin(k, t.key))) return false;
    // Outside every root: nothing there matters. Pruning it lets the watcher sit on an
    // existing ancestor of a missing root without walking that ancestor's whole tree.
    const bases = targets.filter((t) => isWithin(t.key, k)).map((t) => t.key);
    if (bases.length === 0) return true;
    if (ignores.absolute.some((m) => m(k))) return true;
    // Relative patterns see paths relative to each root (and cwd), never absolute
    // ones: a project living under some `node_modules` must still be watchable.
    const deepest = bases.reduce((a, b) => (a.length >= b.length ? a : b));
    if (isWithin(cwdKey, k)) bases.push(cwdKey);
    return bases.some((base) => {
      const rel = relativeKey(base, k);
      // A pattern that matches the watched root itself (watching `node_modules/lib`
      // explicitly) must not hide that root's files when seen from an outer base.
      const rootRel = isWithin(base, deepest) ? relativeKey(base, deepest) : '';
      return ignores.relative.some((m) => !(rootRel && m(rootRel)) && m(rel));
    });
  };

  return {
    roots,
    isIgnored: (absPath) => ignoredKey(key(absPath)),
    isRelevant: (absPath) => {
      const k = key(absPath);
      if (ignoredKey(k)) return false;
      return targets.some((t) => {
        if (!isWithin(t.key, k)) return false;
        if (t.glob) return t.glob(relativeKey(t.key, k)) && hasWantedExtension(k);
        // A file named explicitly is wanted whatever its extension.
        return k === t.key || hasWantedExtension(k);
      });
    },
  };
}

/**
 * Without --watch, guess what to watch from the server's command line: the directory
 * of its script. `exists` is injected so this stays pure; since it cannot tell files
 * from directories, extension-less arguments (often directories handed to the server,
 * such as a filesystem server's root) are never taken as the script.
 */
export function findScriptDirectory(
  command: string,
  args: string[],
  cwd: string,
  exists: (p: string) => boolean,
): string | undefined {
  const flavour = isWindowsPath(cwd) || isWindowsPath(command) ? path.win32 : path.posix;
  const extOf = (p: string): string => flavour.extname(p).toLowerCase();
  const found = (p: string): string | undefined => {
    const abs = flavour.resolve(cwd, p);
    return exists(abs) ? flavour.dirname(abs) : undefined;
  };

  // `./server.py` run directly (shebang) is its own script; a bare `node` is not.
  if (SCRIPT_EXTENSIONS.includes(extOf(command))) {
    const dir = found(command);
    if (dir) return dir;
  }
  const candidates = args.filter((a) => a.length > 0 && !a.startsWith('-') && !a.includes('://'));
  for (const arg of candidates) {
    if (!SCRIPT_EXTENSIONS.includes(extOf(arg))) continue;
    const dir = found(arg);
    if (dir) return dir;
  }
  // Scripts in other languages (.php, .lua, .pl …): any existing file with an extension.
  for (const arg of candidates) {
    if (!extOf(arg)) continue;
    const dir = found(arg);
    if (dir) return dir;
  }
  return undefined;
}
