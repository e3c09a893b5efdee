import os from 'node:os';
import { resolveHome } from '../engine/config/config-paths.js';
import { readEngineInfo, type EngineInfo } from '../engine/http/engine-info.js';
import type { EngineSnapshot, ServerSnapshot } from '../engine/state/state-view.js';
import type { CliIo } from './main.js';
import { CliError, parseCount, UsageError } from './usage-error.js';

/** `status`, `start|stop|restart NAME`, `logs NAME`: talk to the running engine over its control API. */
export async function controlCommand(command: string, argv: readonly string[], io: CliIo): Promise<number> {
  const home = resolveHome({ env: process.env, platform: process.platform, homedir: os.homedir() });
  const engine = await readEngineInfo(home);
  if (!engine) {
    io.stderr.write(`switchboard: no engine is running for ${home}. Start one with \`switchboard serve\`.\n`);
    return 1;
  }
  switch (command) {
    case 'status':
      return status(engine, argv, io);
    case 'start':
    case 'stop':
    case 'restart':
      return act(engine, command, argv, io);
    case 'logs':
      return logs(engine, argv, io);
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

async function status(engine: EngineInfo, argv: readonly string[], io: CliIo): Promise<number> {
  const unknown = argv.find((a) => a !== '--json');
  if (unknown) throw new UsageError(`unknown option ${unknown} for \`switchboard status\``);
  const snapshot = (await call(engine, 'GET', '/api/v1/servers')) as EngineSnapshot;
  if (argv.includes('--json')) {
    io.stdout.write(`${JSON.stringify(snapshot, null, 2)}\n`);
    return 0;
  }
  const rows = snapshot.servers.map((s) => [
    s.name,
    s.state,
    String(s.restarts),
    s.tools === undefined ? '-' : String(s.tools),
    s.cpuPercent === undefined ? '-' : `${s.cpuPercent.toFixed(0)}%`,
    s.rssBytes === undefined ? '-' : `${Math.round(s.rssBytes / 1024 / 1024)}MB`,
    s.reason,
  ]);
  const header = ['SERVER', 'STATE', 'RESTARTS', 'TOOLS', 'CPU', 'MEM', 'WHY'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  for (const row of [header, ...rows]) {
    io.stdout.write(
      `${row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ')}\n`,
    );
  }
  if (snapshot.configProblems) {
    io.stdout.write(`\nthe config file is invalid (the last good config is in force):\n`);
    for (const p of snapshot.configProblems)
      io.stdout.write(`  ${p.path ? `${p.path}: ` : ''}${p.message}\n`);
  }
  return 0;
}

async function act(engine: EngineInfo, action: string, argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || rest.length > 0) throw new UsageError(`usage: switchboard ${action} NAME`);
  const server = (await call(
    engine,
    'POST',
    `/api/v1/servers/${encodeURIComponent(name)}/${action}`,
  )) as ServerSnapshot;
  io.stdout.write(`${server.name}: ${server.state} (${server.reason})\n`);
  return server.state === 'failed' ? 1 : 0;
}

async function logs(engine: EngineInfo, argv: readonly string[], io: CliIo): Promise<number> {
  let name: string | undefined;
  let lines = 100;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '-n' || arg === '--lines') lines = Math.floor(parseCount(arg, argv[++i] ?? ''));
    else if (!arg.startsWith('-') && name === undefined) name = arg;
    else throw new UsageError(`unknown option ${arg} for \`switchboard logs\``);
  }
  if (!name) throw new UsageError('usage: switchboard logs NAME [-n LINES]');
  const body = (await call(
    engine,
    'GET',
    `/api/v1/servers/${encodeURIComponent(name)}/logs?lines=${lines}`,
  )) as { lines: string[] };
  for (const line of body.lines) io.stdout.write(`${line}\n`);
  return 0;
}

/** One control API call; an error answer becomes a message that says what went wrong. */
async function call(engine: EngineInfo, method: string, path: string): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(`${engine.url}${path}`, {
      method,
      headers: { Authorization: `Bearer ${engine.token}` },
    });
  } catch (err) {
    throw new CliError(`cannot reach the engine at ${engine.url}: ${(err as Error).message}`);
  }
  const body = (await response.json()) as { error?: string };
  if (!response.ok) throw new CliError(body.error ?? `the engine answered ${response.status}`);
  return body;
}
