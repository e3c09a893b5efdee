import os from 'node:os';
import { EngineClient, readEngineInfo, resolveHome } from '../engine/index.js';
import type { ApiOutput } from '../shared/api.js';
import { shellLine } from '../shared/shell-words.js';
import { LOGS_HELP, logsCommand, parseLogsArgs } from './logs-command.js';
import { CONTROL_HELP } from './control-help.js';
import type { CliIo } from './main.js';
import { signInCommand, signOutCommand } from './sign-in-command.js';
import { UsageError } from './usage-error.js';

/**
 * `status`, `start|stop|restart NAME`, `logs NAME`, `sign-in|sign-out NAME`: talk to the running
 * engine over its control API.
 */
export async function controlCommand(command: string, argv: readonly string[], io: CliIo): Promise<number> {
  // Arguments first: a usage mistake or --help needs no engine.
  const logsArgs = command === 'logs' ? parseLogsArgs(argv) : undefined;
  if (logsArgs?.help) {
    io.stdout.write(LOGS_HELP);
    return 0;
  }
  const help = CONTROL_HELP[command];
  if (help && argv.some((a) => a === '-h' || a === '--help')) {
    io.stdout.write(help);
    return 0;
  }
  const home = resolveHome({ env: process.env, platform: process.platform, homedir: os.homedir() });
  const engine = await readEngineInfo(home);
  if (!engine) {
    io.stderr.write(`switchboard: no engine is running for ${home}. Start one with \`switchboard serve\`.\n`);
    return 1;
  }
  const client = new EngineClient(engine);
  switch (command) {
    case 'status':
      return status(client, argv, io);
    case 'start':
    case 'stop':
    case 'restart':
      return act(client, command, argv, io);
    case 'logs':
      return logsCommand(client, logsArgs!, io);
    case 'sign-in':
      return signInCommand(client, argv, io);
    case 'sign-out':
      return signOutCommand(client, argv, io);
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

async function status(client: EngineClient, argv: readonly string[], io: CliIo): Promise<number> {
  const unknown = argv.find((a) => a !== '--json');
  if (unknown) throw new UsageError(`unknown option ${unknown} for \`switchboard status\``);
  const snapshot = await client.call('listServers', {});
  if (argv.includes('--json')) {
    io.stdout.write(`${JSON.stringify(snapshot, null, 2)}\n`);
    return 0;
  }
  const rows = snapshot.servers.map((s) => [
    s.name,
    s.state,
    String(s.restarts),
    s.tools === undefined ? '-' : String(s.tools),
    String(s.sessions),
    s.cpuPercent === undefined ? '-' : `${s.cpuPercent.toFixed(0)}%`,
    s.rssBytes === undefined ? '-' : `${Math.round(s.rssBytes / 1024 / 1024)}MB`,
    s.reason,
  ]);
  if (snapshot.servers.length === 0) {
    io.stdout.write(
      'No servers yet. Add the servers of an AI client you use with `switchboard import CLIENT`\n' +
        '(`switchboard clients` lists them), or add an entry under "mcpServers" in the config file.\n',
    );
  }
  const header = ['SERVER', 'STATE', 'RESTARTS', 'TOOLS', 'CLIENTS', 'CPU', 'MEM', 'WHY'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  for (const row of [header, ...rows]) {
    io.stdout.write(
      `${row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ')}\n`,
    );
  }
  if (snapshot.configProblems) {
    io.stdout.write(
      `\nthe config file is invalid; until it is fixed, the last valid config stays in force (none, if it never was valid):\n`,
    );
    for (const p of snapshot.configProblems)
      io.stdout.write(`  ${p.path ? `${p.path}: ` : ''}${p.message}\n`);
  }
  io.stdout.write(formatConnect(await client.call('getConnectInfo', {})));
  return 0;
}

/** How to point a client at the engine: one server by name, or all at once. */
function formatConnect(info: ApiOutput<'getConnectInfo'>): string {
  const all = shellLine(info.command);
  const one = shellLine([...info.command.slice(0, -1), 'NAME']);
  const lines = ['', 'Connect a client to server NAME (or to all servers at once):'];
  if (info.http) lines.push(`  Streamable HTTP  ${info.http}/NAME   (all: ${info.http})`);
  lines.push(`  stdio command    ${one}`, `                   (all: ${all})`);
  lines.push(
    `  or let Switchboard write it into a client's config: switchboard install CLIENT (\`switchboard clients\` lists them)`,
  );
  return `${lines.join('\n')}\n`;
}

async function act(
  client: EngineClient,
  action: 'start' | 'stop' | 'restart',
  argv: readonly string[],
  io: CliIo,
): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || rest.length > 0) throw new UsageError(`usage: switchboard ${action} NAME`);
  const server = await client.call(`${action}Server`, { server: name });
  io.stdout.write(`${server.name}: ${server.state} (${server.reason})\n`);
  return server.state === 'failed' ? 1 : 0;
}
