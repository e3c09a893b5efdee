/**
 * Builds a cmd.exe command line that runs a `.cmd`/`.bat` shim with arguments passed through
 * literally. Follows cross-spawn's approach (quote each argument for the C runtime, then caret-escape
 * cmd's metacharacters), with a linear quoting loop because cross-spawn's regex version mangles runs
 * of two or more backslashes before a quote or at the end of an argument.
 */

// Characters cmd.exe acts on outside quotes; the same set cross-spawn escapes.
const CMD_META = /([()\][%!^"`<>&|;, *?])/g;

// npm's cmd-shims re-expand their arguments with `%*`, so cmd parses them a second time.
const NPM_BIN_SHIM = /node_modules[\\/]\.bin[\\/][^\\/]+\.cmd$/i;

/** Quotes one argument so CommandLineToArgvW / the MSVCRT parser reads it back unchanged. */
export function quoteWindowsArg(arg: string): string {
  let out = '"';
  let backslashes = 0;
  for (const ch of arg) {
    if (ch === '\\') {
      backslashes++;
      continue;
    }
    // Backslashes are literal unless they precede a quote; then each must be doubled.
    out += ch === '"' ? '\\'.repeat(backslashes * 2 + 1) + '"' : '\\'.repeat(backslashes) + ch;
    backslashes = 0;
  }
  // Trailing backslashes precede our closing quote, so they are doubled too.
  return out + '\\'.repeat(backslashes * 2) + '"';
}

/** One argument, quoted and caret-escaped (twice when it passes through an npm shim's `%*`). */
export function escapeCmdArg(arg: string, doubleEscape: boolean): string {
  const once = quoteWindowsArg(arg).replace(CMD_META, '^$1');
  return doubleEscape ? once.replace(CMD_META, '^$1') : once;
}

/**
 * Arguments for `cmd.exe` (spawned with `windowsVerbatimArguments: true`) that run `file` with `args`.
 * `/d` skips AutoRun macros, `/s /c "..."` makes cmd strip exactly the outer quotes.
 */
export function cmdShimArgs(file: string, args: readonly string[]): string[] {
  const doubleEscape = NPM_BIN_SHIM.test(file);
  // The path is quoted rather than caret-escaped: it often holds spaces ("C:\Program Files\...").
  const line = [`"${file}"`, ...args.map((arg) => escapeCmdArg(arg, doubleEscape))].join(' ');
  return ['/d', '/s', '/c', `"${line}"`];
}
