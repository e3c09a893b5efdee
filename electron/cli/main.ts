import type { Readable, Writable } from 'node:stream';
import { CliError, UsageError } from './usage-error.js';
import { EngineClientError, packageVersion } from '../engine/index.js';
import { closest } from './did-you-mean.js';

export interface CliIo {
  stdin: Readable;
  stdout: Writable;
  stderr: Writable;
  cwd: string;
}

const MAIN_HELP = `Usage: switchboard <command> [options]

Supervises MCP servers for AI clients: hot reload, crash recovery, no lost messages.

Commands:
  run [options] -- CMD [ARGS...]   run one stdio MCP server with hot reload (see \`switchboard run --help\`)
  serve [--port N] [--host H]      run the engine headless for the servers in the config file
  connect NAME | --all             a stdio bridge for AI clients to the running engine's server(s)
  status [--json]                  the running engine's servers and their states
  start|stop|restart NAME          act on one server of the running engine
  logs NAME [-f] [-n LINES]        the last lines a server wrote to stderr; -f follows new ones
  open [--print]                   the window in a browser, signed in by a one-time link
  secret set|rm NAME, list         the values of \${secret:NAME} references, kept in the OS keyring
  sign-in|sign-out NAME            OAuth sign-in to a remote server (the browser opens), or delete its tokens
  clients [--json]                 the AI clients found here (Claude, Cursor, VS Code, ...) and their servers
  import CLIENT [--dry-run]        add a client's servers to Switchboard (secrets into the OS keyring)
  install CLIENT [--dry-run]       point a client at Switchboard (backed up; see \`switchboard install --help\`)
  uninstall CLIENT                 undo install: the client's file comes back byte for byte

Options:
  -h, --help       show this help
  -v, --version    print the version
`;

const COMMANDS = [
  'run',
  'serve',
  'connect',
  'status',
  'start',
  'stop',
  'restart',
  'logs',
  'open',
  'secret',
  'sign-in',
  'sign-out',
  'clients',
  'import',
  'install',
  'uninstall',
  'help',
];

/** Entry point of the `switchboard` command; resolves with the process exit code. */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'run':
        return await (await import('./run-command.js')).runCommand(rest, io);
      case 'serve':
        return await (await import('./serve-command.js')).serveCommand(rest, io);
      case 'connect':
        // Each command loads only its own modules: `connect` starts with every client, so it stays light.
        return await (await import('./connect-command.js')).connectCommand(rest, io);
      case 'status':
      case 'start':
      case 'stop':
      case 'restart':
      case 'logs':
      case 'sign-in':
      case 'sign-out':
        return await (await import('./control-command.js')).controlCommand(command, rest, io);
      case 'open':
        return await (await import('./open-command.js')).openCommand(rest, io);
      case 'clients':
      case 'import':
      case 'install':
      case 'uninstall':
        return await (await import('./clients-command.js')).clientsCommand(command, rest, io);
      case 'secret':
        return await (await import('./secret-command.js')).secretCommand(rest, io);
      case '-v':
      case '--version':
        io.stdout.write(`${packageVersion()}\n`);
        return 0;
      case undefined:
        // No command is a mistake: the help, as for any usage error, and a non-zero exit.
        io.stderr.write(MAIN_HELP);
        return 2;
      case '-h':
      case '--help':
      case 'help':
        io.stdout.write(MAIN_HELP);
        return 0;
      default: {
        const guess = closest(command, COMMANDS);
        throw new UsageError(`unknown command "${command}"${guess ? `; did you mean \`${guess}\`?` : ''}`);
      }
    }
  } catch (err) {
    // The engine's control API said no, or could not be reached: its message says which.
    if (err instanceof CliError || err instanceof EngineClientError) {
      io.stderr.write(`switchboard: ${err.message}\n`);
      return 1;
    }
    if (err instanceof UsageError) {
      const topic =
        command === 'run' ||
        command === 'serve' ||
        command === 'logs' ||
        command === 'import' ||
        command === 'install' ||
        command === 'uninstall' ||
        command === 'clients'
          ? `switchboard ${command} --help`
          : 'switchboard --help';
      io.stderr.write(`switchboard: ${err.message}\nSee \`${topic}\`.\n`);
      return 2;
    }
    throw err;
  }
}
