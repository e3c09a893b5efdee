import { parseCount, parseSize, UsageError } from './usage-error.js';

export interface RunArgs {
  command: string;
  args: string[];
  watch: string[];
  ignore: string[];
  extensions: string[] | undefined;
  noWatch: boolean;
  debounceMs: number;
  startupTimeoutMs: number;
  shutdownTimeoutMs: number;
  drainTimeoutMs: number;
  maxMessageBytes: number;
  bufferMessages: number;
  bufferBytes: number;
  name: string | undefined;
  help: boolean;
}

export const RUN_DEFAULTS = {
  debounceMs: 300,
  startupTimeoutMs: 30_000,
  shutdownTimeoutMs: 5_000,
  drainTimeoutMs: 10_000,
  maxMessageBytes: 16 * 1024 * 1024,
  bufferMessages: 1000,
  bufferBytes: 32 * 1024 * 1024,
} as const;

export const RUN_HELP = `Usage: switchboard run [options] -- CMD [ARGS...]

Runs one MCP server over stdio and restarts it when its files change or it crashes, without the
client noticing: messages sent during a restart wait and are delivered in order, and the client gets
notifications/*/list_changed when the server's tools, prompts or resources changed.
stdout is the MCP protocol; Switchboard's own lines go to stderr.

Options:
  -w, --watch PATH          file, directory or glob to watch (repeatable). Default: the directory
                            of the server script found in ARGS (e.g. server.js)
      --ignore GLOB         also ignore these paths (repeatable). Always ignored: node_modules, .git,
                            *.log, *.tmp, *.swp, *~, .DS_Store
      --ext LIST            only react to these extensions, e.g. js,ts,json
      --no-watch            never restart on file changes (crash recovery still applies)
      --debounce MS         wait this long after the last change before restarting (default ${RUN_DEFAULTS.debounceMs})
      --startup-timeout MS  how long a new process may take to answer initialize (default ${RUN_DEFAULTS.startupTimeoutMs})
      --shutdown-timeout MS how long to wait after SIGTERM before SIGKILL (default ${RUN_DEFAULTS.shutdownTimeoutMs})
      --drain-timeout MS    how long in-flight requests may finish before a restart (default ${RUN_DEFAULTS.drainTimeoutMs})
      --max-message-size N  largest JSON-RPC message in bytes, e.g. 16mb (default 16mb)
      --buffer-messages N   messages held during a restart before refusing more (default ${RUN_DEFAULTS.bufferMessages})
      --buffer-bytes N      bytes held during a restart before refusing more (default 32mb)
      --name NAME           server name used in errors and logs (default: the script's name)
  -h, --help                show this help

Examples:
  switchboard run -- node build/index.js
  switchboard run --watch src --ext ts --debounce 200 -- npx tsx src/server.ts
  switchboard run -- python -m my_server
`;

type Setter = (args: RunArgs, value: string, flag: string) => void;

const VALUE_FLAGS: Record<string, Setter> = {
  '--watch': (a, v) => a.watch.push(v),
  '-w': (a, v) => a.watch.push(v),
  '--ignore': (a, v) => a.ignore.push(v),
  '--ext': (a, v) => {
    a.extensions = v
      .split(',')
      .map((e) => e.trim())
      .filter(Boolean);
  },
  '--debounce': (a, v, f) => (a.debounceMs = parseCount(f, v)),
  '--startup-timeout': (a, v, f) => (a.startupTimeoutMs = parseCount(f, v)),
  '--shutdown-timeout': (a, v, f) => (a.shutdownTimeoutMs = parseCount(f, v)),
  '--drain-timeout': (a, v, f) => (a.drainTimeoutMs = parseCount(f, v)),
  '--max-message-size': (a, v, f) => (a.maxMessageBytes = parseSize(f, v)),
  '--buffer-messages': (a, v, f) => (a.bufferMessages = Math.max(1, Math.floor(parseCount(f, v)))),
  '--buffer-bytes': (a, v, f) => (a.bufferBytes = parseSize(f, v)),
  '--name': (a, v) => (a.name = v),
};

/** Parses `run`'s arguments. Options come first; `--` (or the first bare word) starts the command. */
export function parseRunArgs(argv: readonly string[]): RunArgs {
  const args: RunArgs = {
    command: '',
    args: [],
    watch: [],
    ignore: [],
    extensions: undefined,
    noWatch: false,
    name: undefined,
    help: false,
    ...RUN_DEFAULTS,
  };
  let i = 0;
  for (; i < argv.length; i++) {
    const token = argv[i]!;
    if (token === '--') {
      i++;
      break;
    }
    if (!token.startsWith('-')) break;
    if (token === '-h' || token === '--help') {
      args.help = true;
      continue;
    }
    if (token === '--no-watch') {
      args.noWatch = true;
      continue;
    }
    const eq = token.indexOf('=');
    const flag = eq > 0 ? token.slice(0, eq) : token;
    const setter = VALUE_FLAGS[flag];
    if (!setter) throw new UsageError(`unknown option ${flag} for \`switchboard run\``);
    const value = eq > 0 ? token.slice(eq + 1) : argv[++i];
    if (value === undefined) throw new UsageError(`${flag} needs a value`);
    setter(args, value, flag);
  }
  const rest = argv.slice(i);
  if (rest.length === 0) {
    if (args.help) return args;
    throw new UsageError('missing the server command: switchboard run [options] -- CMD [ARGS...]');
  }
  args.command = rest[0]!;
  args.args = rest.slice(1);
  return args;
}
