import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { StdioRpcClient } from '../helpers/stdio-rpc-client.js';
import {
  ECHO_SERVER,
  isAlive,
  makeWorkspace,
  startRun,
  SWITCHBOARD,
  textOf,
  type Workspace,
} from '../integration/run-harness.js';
import { startServe, untilServers, type ServedEngine } from '../integration/serve-harness.js';
import { cheapFrames, deepFrames, oversizedFrame, type Frame } from './fuzz-frames.js';
import { postFrames } from './fuzz-http.js';
import { formatCounts, latency, round, rssMiB, RSS_GROWTH_LIMIT_MIB } from './fuzz-probe.js';
import { feedFrames, type StreamTally } from './fuzz-stream.js';
import { helloAnswer } from './fuzz-socket.js';
import { openMcpSession } from './hostile-mcp-http.js';
import { scaled } from './scale.js';

// Hostile frames over every surface a client can write to: the engine must answer each frame that
// warrants it with a JSON-RPC error, never exit, not leak, and still echo correctly afterwards.

const FRAMES = scaled(3_000, 100_000);
const HTTP_FRAMES = scaled(1_000, 100_000);
const OVERSIZED = scaled(1, 4);
const LATENCY_CALLS = scaled(30, 200);
const TIME_BOUND_MS = scaled(60_000, 200_000);

/** Deep frames first, then the cheap ones with a few oversized ones among them. */
function* plan(count: number, tool: string): Generator<Frame> {
  yield* deepFrames(900_000_000, tool);
  const part = Math.ceil(count / (OVERSIZED + 1));
  for (let k = 0; k <= OVERSIZED; k++) {
    yield* cheapFrames(Math.min(part, count - k * part), 1_000_000 + k * part);
    if (k < OVERSIZED) yield oversizedFrame(800_000_000 + k, tool);
  }
}

let workspace: Workspace | undefined;
let engine: ServedEngine | undefined;
const clients: StdioRpcClient[] = [];

afterEach(async () => {
  for (const client of clients.splice(0)) await client.close(2000).catch(() => undefined);
  await engine?.stop();
  workspace?.dispose();
  engine = workspace = undefined;
});

async function echoOver(client: StdioRpcClient, text: string): Promise<string> {
  const reply = await client.callTool('echo', { text }, { timeoutMs: 10_000 });
  if (reply.error) throw new Error(`echo failed: ${JSON.stringify(reply.error)}`);
  return textOf(reply);
}

/** The same run over any line stream; `enginePid` is whose memory and life are checked. */
async function fuzzStream(surface: string, client: StdioRpcClient, enginePid: () => number) {
  await client.initialize();
  const before = await latency(() => echoOver(client, 'warm'), LATENCY_CALLS);
  const rssBefore = rssMiB(enginePid());
  const tally: StreamTally = await feedFrames(client, plan(FRAMES, 'echo'), {
    batch: 500,
    replyTimeoutMs: 30_000,
    deadline: Date.now() + TIME_BOUND_MS,
  });
  const alive = isAlive(enginePid());
  const rssAfter = rssMiB(enginePid());
  const echoed = alive
    ? await echoOver(client, 'still here ✓').catch((e: Error) => e.message)
    : 'engine gone';
  const after = alive ? await latency(() => echoOver(client, 'warm'), LATENCY_CALLS) : { p50: NaN, p99: NaN };
  console.log(
    `fuzz ${surface}: ${tally.sent} frames, ${tally.replies}/${tally.expected} answers (${formatCounts(tally.byCode)}), ` +
      `RSS ${round(rssBefore, 1)}→${round(rssAfter, 1)} MiB, echo p50/p99 ${before.p50}/${before.p99}→${after.p50}/${after.p99} ms`,
  );
  expect(alive, `the engine (pid ${enginePid()}) exited`).toBe(true);
  // Soft from here: one report lists every way the engine fell short.
  expect.soft(echoed).toBe('still here ✓');
  expect.soft(rssAfter - rssBefore, 'RSS growth (MiB)').toBeLessThan(RSS_GROWTH_LIMIT_MIB);
  const nonJson = client.stderrLines.filter((l) => l.startsWith('[client] non-JSON'));
  expect.soft(nonJson, 'stdout is only JSON lines').toEqual([]);
  expect.soft(tally.stopped, 'feeding stopped early').toBeUndefined();
  expect.soft(tally.unanswered, 'frames whose id got no (or the wrong) answer, by kind').toEqual({});
  for (const [code, count] of Object.entries(tally.expectedByCode))
    expect.soft(tally.byCode[code] ?? 0, `answers with code ${code}`).toBeGreaterThanOrEqual(count);
  expect
    .soft(tally.replies, 'one answer per frame that warrants one, none for the rest')
    .toBe(tally.expected);
}

/** What the engine's last-resort guard caught: each one is a bug it survived, not handled input. */
function internalErrors(served: ServedEngine): string[] {
  return served
    .stderr()
    .split('\n')
    .filter((line) => /internal error/.test(line));
}

async function serveEcho(): Promise<ServedEngine> {
  engine = await startServe({ echo: { command: process.execPath, args: [ECHO_SERVER] } });
  await untilServers(engine, (s) => s.every((x) => x.state === 'ready'), 'echo ready');
  return engine;
}

describe('fuzz: hostile frames never take the engine down', () => {
  it('over stdio (`switchboard run`)', async () => {
    workspace = makeWorkspace();
    const client = startRun(workspace);
    clients.push(client);
    await fuzzStream('stdio run', client, () => client.pid);
  });

  it('over the local socket (`switchboard connect NAME`)', async () => {
    const served = await serveEcho();
    const client = StdioRpcClient.spawn(process.execPath, [SWITCHBOARD, 'connect', 'echo'], {
      env: { SWITCHBOARD_HOME: served.home, SWITCHBOARD_CONFIG: '' },
    });
    clients.push(client);
    await fuzzStream('socket connect', client, () => served.child.pid!);
    expect(isAlive(client.pid), 'the connect bridge is still there').toBe(true);
    expect(internalErrors(served)).toEqual([]);
  });

  it("the socket's hello line: every hostile hello is refused, the engine stays", async () => {
    const served = await serveEcho();
    const info = JSON.parse(readFileSync(path.join(served.home, 'engine.json'), 'utf8')) as {
      socket: string;
      token: string;
    };
    const hellos: [string, Buffer | string][] = [
      ['no newline, over the limit', 'x'.repeat(100_000)],
      ['not JSON', 'hello?\n'],
      ['invalid UTF-8', Buffer.from([0xff, 0xfe, 0x7b, 0x0a])],
      ['100k [', `${'['.repeat(100_000)}\n`],
      ['null', 'null\n'],
      ['an array', `[${JSON.stringify({ connect: 'echo', token: info.token })}]\n`],
      ['wrong token', `${JSON.stringify({ connect: 'echo', token: 'nope' })}\n`],
      ['token as an object', `${JSON.stringify({ connect: 'echo', token: { t: info.token } })}\n`],
      ['connect as an object', `${JSON.stringify({ connect: { x: 1 }, token: info.token })}\n`],
      ['a path for a name', `${JSON.stringify({ connect: '../../etc/passwd', token: info.token })}\n`],
      ['a NUL in the name', `${JSON.stringify({ connect: 'echo\u0000', token: info.token })}\n`],
    ];
    const wrong: string[] = [];
    for (const [what, hello] of hellos) {
      const answer = await helloAnswer(info.socket, hello);
      if (answer.ok !== false || typeof answer.error !== 'string' || !answer.closed)
        wrong.push(`${what}: ${JSON.stringify(answer)}`);
      // One bad hello must not cost everyone else the engine: say which one did.
      if (!isAlive(served.child.pid!)) {
        wrong.push(
          `${what}: killed the engine (${
            served
              .stderr()
              .split('\n')
              .find((l) => /Error/.test(l)) ?? 'no error printed'
          })`,
        );
        break;
      }
    }
    // Closing before any hello, and a good hello with a frame in the same write.
    await helloAnswer(info.socket, '');
    const good = await helloAnswer(
      info.socket,
      `${JSON.stringify({ connect: 'echo', token: info.token })}\n{"jsonrpc":"2.0","id":7,"method":"ping"}\n`,
      2,
    );
    console.log(
      `fuzz socket hello: ${hellos.length} hostile hellos, ${hellos.length - wrong.length} refused cleanly`,
    );
    expect(isAlive(served.child.pid!), 'serve exited').toBe(true);
    expect.soft(wrong, 'hellos not refused with {ok:false,error} and a close').toEqual([]);
    expect.soft(good.lines).toEqual([{ ok: true }, { jsonrpc: '2.0', id: 7, result: {} }]);
    expect.soft(internalErrors(served)).toEqual([]);
  });

  for (const [endpoint, tool] of [
    ['/mcp/echo', 'echo'],
    ['/mcp', 'echo__echo'],
  ] as const) {
    it(`over HTTP (POST ${endpoint})`, async () => {
      const served = await serveEcho();
      const session = await openMcpSession(served.url, endpoint, tool);
      try {
        const before = await latency(() => session.echo('warm'), LATENCY_CALLS);
        const pid = served.child.pid!;
        const rssBefore = rssMiB(pid);
        const tally = await postFrames(session, plan(HTTP_FRAMES, tool), {
          concurrency: 4,
          deadline: Date.now() + TIME_BOUND_MS,
        });
        const alive = isAlive(pid);
        const rssAfter = rssMiB(pid);
        const echoed = alive
          ? await session.echo('still here ✓').catch((e: Error) => e.message)
          : 'engine gone';
        const after = alive
          ? await latency(() => session.echo('warm'), LATENCY_CALLS)
          : { p50: NaN, p99: NaN };
        console.log(
          `fuzz HTTP ${endpoint}: ${tally.sent} frames, status ${formatCounts(tally.byStatus)}, codes ${formatCounts(tally.byCode)}, ` +
            `RSS ${round(rssBefore, 1)}→${round(rssAfter, 1)} MiB, echo p50/p99 ${before.p50}/${before.p99}→${after.p50}/${after.p99} ms`,
        );
        expect(alive, 'the engine exited').toBe(true);
        expect.soft(echoed).toBe('still here ✓');
        expect.soft(rssAfter - rssBefore, 'RSS growth (MiB)').toBeLessThan(RSS_GROWTH_LIMIT_MIB);
        expect.soft(internalErrors(served)).toEqual([]);
        expect.soft(tally.stopped).toBeUndefined();
        expect.soft(tally.wrong, 'frames answered otherwise than expected, by kind').toEqual({});
      } finally {
        session.close();
      }
    });
  }
});
