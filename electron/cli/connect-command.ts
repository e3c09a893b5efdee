import net from 'node:net';
import os from 'node:os';
import { engineSocketPath, readEngineInfo, resolveHome } from '../engine/index.js';
import type { CliIo } from './main.js';
import { CliError, UsageError } from './usage-error.js';

export const CONNECT_HELP = `Usage: switchboard connect NAME
       switchboard connect --all

A stdio bridge for AI clients: this process's stdin/stdout become an MCP session with server NAME
of the running engine (\`switchboard serve\` or the tray app), or with all of its servers at once
(--all: tools and prompts named server__name). Put it in a client's config as the server command:
  { "command": "npx", "args": ["switchboard", "connect", "NAME"] }
`;

/** `switchboard connect NAME | --all`: pipes stdio to the engine's local socket. */
export async function connectCommand(argv: readonly string[], io: CliIo): Promise<number> {
  if (argv.includes('-h') || argv.includes('--help')) {
    io.stdout.write(CONNECT_HELP);
    return 0;
  }
  const target = parseTarget(argv);
  const home = resolveHome({ env: process.env, platform: process.platform, homedir: os.homedir() });
  const engine = await readEngineInfo(home);
  if (!engine) {
    throw new CliError(
      `no engine is running for ${home}. Start one with \`switchboard serve\` (or open the Switchboard app), then connect again.`,
    );
  }
  const socket = await openSession(engine.socket ?? engineSocketPath(home), target, engine.token);
  return bridge(socket, io);
}

function parseTarget(argv: readonly string[]): string {
  if (argv.length === 1 && argv[0] === '--all') return '*';
  if (argv.length === 1 && !argv[0]!.startsWith('-')) return argv[0]!;
  throw new UsageError('say which server: `switchboard connect NAME`, or `switchboard connect --all`');
}

/** Connects and sends the hello; resolves once the engine accepted it. */
function openSession(socketPath: string, target: string, token: string): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ path: socketPath, allowHalfOpen: true });
    let buffered = Buffer.alloc(0);
    const fail = (message: string) => {
      socket.destroy();
      reject(new CliError(message));
    };
    socket.once('error', (err) =>
      fail(
        `cannot reach the engine at ${socketPath} (${err.message}); is \`switchboard serve\` still running?`,
      ),
    );
    socket.on('connect', () => socket.write(`${JSON.stringify({ connect: target, token })}\n`));
    const onData = (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      const newline = buffered.indexOf(10);
      if (newline === -1) return;
      socket.off('data', onData);
      socket.pause();
      let answer: { ok?: boolean; error?: string };
      try {
        answer = JSON.parse(buffered.subarray(0, newline).toString('utf8')) as typeof answer;
      } catch {
        return fail('the engine answered something unexpected; is it the same version as this command?');
      }
      if (!answer.ok) return fail(`the engine refused: ${answer.error ?? 'no reason given'}`);
      socket.removeAllListeners('error');
      const rest = buffered.subarray(newline + 1);
      if (rest.length > 0) socket.unshift(rest);
      resolve(socket);
    };
    socket.on('data', onData);
  });
}

/** Bytes both ways, untouched; ends when the engine closes the session. */
function bridge(socket: net.Socket, io: CliIo): Promise<number> {
  return new Promise((resolve) => {
    let stdinEnded = false;
    io.stdin.on('end', () => (stdinEnded = true));
    io.stdin.pipe(socket);
    socket.pipe(io.stdout, { end: false });
    socket.on('error', (err) => io.stderr.write(`switchboard connect: ${err.message}\n`));
    socket.on('close', () => {
      io.stdin.unpipe(socket);
      if (!stdinEnded) io.stderr.write('switchboard connect: the engine closed the session (did it stop?)\n');
      resolve(stdinEnded ? 0 : 1);
    });
    socket.resume();
  });
}
