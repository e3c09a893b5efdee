import type { EngineClient } from '../engine/index.js';
import type { CliIo } from './main.js';
import { STOP_SIGNALS } from './stop-signals.js';
import { parseCount, UsageError } from './usage-error.js';

export const LOGS_HELP = `Usage: switchboard logs NAME [-f] [-n LINES]

Prints the last lines a server wrote to stderr (its log under <home>/logs), oldest first.

Options:
  -n, --lines N    how many lines (default 100, at most 10000)
  -f, --follow     keep printing new lines as the server writes them, until Ctrl-C
  -h, --help       show this help
`;

interface LogsArgs {
  server: string | undefined;
  lines: number;
  follow: boolean;
  help: boolean;
}

export function parseLogsArgs(argv: readonly string[]): LogsArgs {
  const args: LogsArgs = { server: undefined, lines: 100, follow: false, help: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '-h' || arg === '--help') args.help = true;
    else if (arg === '-f' || arg === '--follow') args.follow = true;
    else if (arg === '-n' || arg === '--lines') args.lines = Math.floor(parseCount(arg, argv[++i] ?? ''));
    else if (!arg.startsWith('-') && args.server === undefined) args.server = arg;
    else throw new UsageError(`unknown option ${arg} for \`switchboard logs\``);
  }
  if (!args.help && !args.server) throw new UsageError('usage: switchboard logs NAME [-f] [-n LINES]');
  if (args.lines < 1 || args.lines > 10_000) throw new UsageError('-n must be between 1 and 10000');
  return args;
}

/** `switchboard logs NAME [-f] [-n N]`: the tail of a server's log; with -f, every new line until a stop signal. */
export async function logsCommand(client: EngineClient, args: LogsArgs, io: CliIo): Promise<number> {
  const server = args.server!;
  if (!args.follow) {
    const { lines } = await client.call('getLogs', { server, lines: args.lines });
    for (const line of lines) io.stdout.write(`${line}\n`);
    return 0;
  }
  const abort = new AbortController();
  let stoppedBy: number | undefined;
  const listeners = Object.entries(STOP_SIGNALS).map(([signal, code]) => {
    const listener = () => {
      stoppedBy = code;
      abort.abort();
    };
    process.once(signal, listener);
    return () => process.off(signal, listener);
  });
  try {
    for await (const line of client.stream('followLogs', { server, lines: args.lines }, abort.signal)) {
      io.stdout.write(`${line}\n`);
    }
  } finally {
    listeners.forEach((off) => off());
  }
  if (stoppedBy !== undefined) return 0; // Ctrl-C is how a person is meant to stop following
  io.stderr.write('switchboard: the engine closed the log stream (it stopped?)\n');
  return 1;
}
