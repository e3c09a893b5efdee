import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ECHO_SERVER, isAlive } from '../integration/run-harness.js';
import { untilServers, type ServedEngine } from '../integration/serve-harness.js';
import { formatCounts, round, rssMiB, RSS_GROWTH_LIMIT_MIB } from './fuzz-probe.js';
import { abortedUpload, openPartialRequest } from './hostile-abort.js';
import { api, serverPid } from './hostile-api.js';
import { startServeWithEnv, throwAwayHome } from './hostile-env.js';
import { MCP_HEADERS, openMcpSession } from './hostile-mcp-http.js';
import { rawRequest, rawStatus } from './hostile-request.js';
import { traversalRequests } from './hostile-paths.js';
import { everyRoute, forgedCredentials, hostileHosts, hostileOrigins } from './hostile-routes.js';
import { slowReader } from './hostile-slow-reader.js';
import { collectStream } from './hostile-sse.js';
import { scaled } from './scale.js';

// Every documented HTTP route against hostile clients: foreign Host/Origin, bad tokens, traversal,
// oversized, aborted and slow bodies, readers that never read. The engine must refuse, keep serving
// every well-behaved client, and stay alive.

let engine: ServedEngine | undefined;
let fakeHome: ReturnType<typeof throwAwayHome> | undefined;
afterEach(async () => {
  await engine?.stop();
  fakeHome?.dispose();
  engine = fakeHome = undefined;
});

async function serve(): Promise<ServedEngine> {
  fakeHome = throwAwayHome();
  engine = await startServeWithEnv(
    { echo: { command: process.execPath, args: [ECHO_SERVER] } },
    fakeHome.env,
  );
  await untilServers(engine, (s) => s.every((x) => x.state === 'ready'), 'echo ready');
  return engine;
}

/** Just under the engine's 8 KiB stderr line cap (line-splitter.ts), so each line goes out whole. */
const LOG_LINE_BYTES = 8000;

/** Each call has the echo server write one log line of LOG_LINE_BYTES to stderr. */
async function writeLogLines(e: ServedEngine, count: number): Promise<void> {
  const session = await openMcpSession(e.url, '/mcp/echo');
  const text = 'y'.repeat(LOG_LINE_BYTES);
  try {
    for (let i = 0; i < count; i++) {
      const call = {
        jsonrpc: '2.0',
        id: i + 1,
        method: 'tools/call',
        params: { name: 'stderr', arguments: { text } },
      };
      expect((await session.post(JSON.stringify(call))).status, `log line ${i}`).toBe(200);
    }
  } finally {
    session.close();
  }
}

const port = (e: ServedEngine) => Number(new URL(e.url).port);
const bearer = (e: ServedEngine) => ({ authorization: `Bearer ${e.token}` });

/** The engine is there, echo answers through it, and echo is the same process as `pid`. */
async function stillServing(e: ServedEngine, pid?: number): Promise<void> {
  expect(isAlive(e.child.pid!), `serve exited; stderr tail: ${e.stderr().slice(-600)}`).toBe(true);
  // The engine's last-resort guard logs what nothing else caught: each line is a bug it survived.
  expect(
    e
      .stderr()
      .split('\n')
      .filter((l) => /internal error/.test(l)),
  ).toEqual([]);
  expect((await rawRequest(e.url, { path: '/healthz' })).status).toBe(200);
  const session = await openMcpSession(e.url, '/mcp/echo');
  try {
    expect(await session.echo('still here')).toBe('still here');
  } finally {
    session.close();
  }
  if (pid !== undefined) expect(await serverPid(e, 'echo'), 'echo was not restarted').toBe(pid);
}

describe('hostile HTTP clients', () => {
  it('a foreign Host or Origin gets 403 on every route and changes nothing', async () => {
    const e = await serve();
    const pid = await serverPid(e, 'echo');
    const configBefore = readFileSync(path.join(e.home, 'config.json'), 'utf8');
    const wrong: string[] = [];
    let sent = 0;
    const check = async (method: string, route: string, headers: Record<string, string>) => {
      sent++;
      // With the real token: only the guard may stop these (a route that skips it would act).
      const answer = await rawRequest(e.url, {
        method,
        path: route,
        headers: { ...bearer(e), ...headers },
      }).catch((err: Error) => ({ status: 0, body: err.message }));
      if (answer.status !== 403 && answer.status !== 421)
        wrong.push(
          `${method} ${route} ${JSON.stringify(headers)} → ${answer.status} ${answer.body.slice(0, 120)}`,
        );
    };
    for (const route of everyRoute()) {
      for (const host of hostileHosts(port(e))) await check(route.method, route.path, { host });
      for (const origin of hostileOrigins(port(e))) await check(route.method, route.path, { origin });
    }
    // HTTP/1.0 may leave Host out: that is no engine's name either. (HTTP/1.1 without one: 400 from Node.)
    const noHost10 = await rawStatus(e.url, 'GET /api/v1/servers HTTP/1.0\r\n\r\n');
    const noHost11 = await rawStatus(e.url, 'GET /api/v1/servers HTTP/1.1\r\n\r\n');
    console.log(
      `hostile Host/Origin: ${sent} requests over ${everyRoute().length} routes, ${sent - wrong.length} refused`,
    );
    expect(wrong).toEqual([]);
    expect(noHost10).toBe(403);
    expect([400, 403]).toContain(noHost11);
    expect(readFileSync(path.join(e.home, 'config.json'), 'utf8'), 'config untouched').toBe(configBefore);
    expect(readdirSync(fakeHome!.env.HOME!), "no client's files were written").toEqual([]);
    await stillServing(e, pid);
  });

  it('a missing or wrong bearer token gets 401 on every route that needs one', async () => {
    const e = await serve();
    const forged = forgedCredentials(e.token);
    const wrong: string[] = [];
    let sent = 0;
    const routes = everyRoute().filter((r) => r.auth);
    for (const route of routes) {
      for (const headers of forged) {
        sent++;
        const answer = await rawRequest(e.url, { method: route.method, path: route.path, headers });
        if (answer.status !== 401)
          wrong.push(`${route.method} ${route.path} ${Object.keys(headers).join()} → ${answer.status}`);
      }
      // A token in the query string is not a token.
      const query = `${route.path}${route.path.includes('?') ? '&' : '?'}token=${e.token}`;
      const answer = await rawRequest(e.url, { method: route.method, path: query });
      sent++;
      if (answer.status !== 401) wrong.push(`${route.method} ${query} → ${answer.status}`);
    }
    console.log(`hostile tokens: ${sent} requests over ${routes.length} routes that need the token`);
    expect(wrong).toEqual([]);
    await stillServing(e);
  });

  it('path traversal in static files and in :name params reaches nothing', async () => {
    const e = await serve();
    const secrets = [
      e.token,
      'root:x:0:0',
      '"devDependencies"',
      readFileSync(path.join(e.home, 'dashboard.key'), 'utf8'),
    ];
    const requests = traversalRequests({ command: process.execPath, args: [ECHO_SERVER] });
    const configBefore = readFileSync(path.join(e.home, 'config.json'), 'utf8');
    const statuses: Record<string, number> = {};
    const wrong: string[] = [];
    for (const r of requests) {
      const answer = await rawRequest(e.url, { ...r, headers: { ...bearer(e), ...MCP_HEADERS } });
      statuses[answer.status] = (statuses[answer.status] ?? 0) + 1;
      const leaked = secrets.filter((s) => s && answer.body.includes(s.trim()));
      if (answer.status < 400 || answer.status >= 500 || leaked.length > 0)
        wrong.push(
          `${r.method} ${r.path} → ${answer.status} ${leaked.length ? 'LEAKS' : ''} ${answer.body.slice(0, 120)}`,
        );
    }
    console.log(`hostile paths: ${requests.length} requests, statuses ${formatCounts(statuses)}`);
    expect(wrong).toEqual([]);
    expect(readFileSync(path.join(e.home, 'config.json'), 'utf8')).toBe(configBefore);
    await stillServing(e);
  });

  it('oversized bodies get 413', async () => {
    const e = await serve();
    const huge = (bytes: number) =>
      `{"jsonrpc":"2.0","id":1,"method":"ping","params":{"x":"${'x'.repeat(bytes)}"}}`;
    const cases = [
      { method: 'POST', path: '/mcp/echo', body: huge(17 * 1024 * 1024), headers: MCP_HEADERS },
      { method: 'POST', path: '/mcp', body: huge(17 * 1024 * 1024), headers: MCP_HEADERS },
      { method: 'PUT', path: '/api/v1/config', body: huge(2 * 1024 * 1024), headers: bearer(e) },
      {
        method: 'POST',
        path: '/api/v1/servers/echo/tools/call',
        body: huge(2 * 1024 * 1024),
        headers: bearer(e),
      },
      { method: 'POST', path: '/auth/session', body: huge(64 * 1024), headers: {} },
    ];
    const got: string[] = [];
    for (const c of cases) {
      const answer = await rawRequest(e.url, c).catch((err: Error) => ({ status: 0, body: err.message }));
      got.push(`${c.method} ${c.path} → ${answer.status}`);
    }
    console.log(`hostile sizes: ${got.join(', ')}`);
    expect(got).toEqual(cases.map((c) => `${c.method} ${c.path} → 413`));
    await stillServing(e);
  });

  // At HEAD 617c8ec serve died here (unhandled `Error: aborted` from readBody, mcp-http-endpoint.ts).
  it('an aborted upload to POST /mcp/echo does not take serve down', async () => {
    const e = await serve();
    await abortedUpload(e.url, { method: 'POST', path: '/mcp/echo', headers: MCP_HEADERS });
    console.log('hostile aborted upload: POST /mcp/echo, 200 of 1,000,000 bytes, then a reset');
    await stillServing(e);
  });

  it('aborted uploads to POST /mcp and to control API writes do not take serve down', async () => {
    const e = await serve();
    const targets = [
      { method: 'POST', path: '/mcp', headers: MCP_HEADERS },
      { method: 'POST', path: '/api/v1/servers/echo/tools/call', headers: bearer(e) },
      { method: 'PUT', path: '/api/v1/config', headers: bearer(e) },
    ];
    for (const target of targets) {
      await abortedUpload(e.url, target);
      await stillServing(e);
    }
    console.log(`hostile aborted uploads: ${targets.map((t) => `${t.method} ${t.path}`).join(', ')}`);
  });

  it('50 slow-body clients at once block no one, and leave no trace when they drop', async () => {
    const e = await serve();
    const pid = await serverPid(e, 'echo');
    const targets = [
      { method: 'POST', path: '/mcp/echo', headers: MCP_HEADERS },
      { method: 'POST', path: '/mcp', headers: MCP_HEADERS },
      { method: 'POST', path: '/api/v1/servers/echo/tools/call', headers: bearer(e) },
    ];
    const held = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        openPartialRequest(e.url, { ...targets[i % 3]!, declared: 1_000_000, sent: 200 }),
      ),
    );
    // While they hang there, a well-behaved client gets through.
    const session = await openMcpSession(e.url, '/mcp/echo');
    const started = performance.now();
    for (let i = 0; i < 20; i++) expect(await session.echo(`call ${i}`)).toBe(`call ${i}`);
    const heldMs = performance.now() - started;
    session.close();
    expect((await api(e, 'GET', '/api/v1/servers')).status).toBe(200);
    for (const socket of held) socket.destroy();
    await new Promise((r) => setTimeout(r, 300));
    console.log(
      `hostile slow bodies: 50 held open, 20 echo calls meanwhile in ${round(heldMs, 1)} ms, then all dropped at once`,
    );
    await stillServing(e, pid);
  });

  it('readers that read their SSE streams slowly or never do not block other clients', async () => {
    const e = await serve();
    const lines = scaled(300, 3000);
    const rssBefore = rssMiB(e.child.pid!);
    const mcp = await openMcpSession(e.url, '/mcp/echo');
    const stalled = await Promise.all([
      slowReader(e.url, '/events', bearer(e), { bytesPerTick: 0, tickMs: 0 }),
      slowReader(e.url, '/api/v1/servers/echo/logs?follow=1', bearer(e), { bytesPerTick: 0, tickMs: 0 }),
      slowReader(e.url, '/events', bearer(e), { bytesPerTick: 64, tickMs: 200 }),
      slowReader(e.url, '/api/v1/servers/echo/logs?follow=1', bearer(e), { bytesPerTick: 64, tickMs: 200 }),
      slowReader(
        e.url,
        '/mcp/echo',
        { ...MCP_HEADERS, 'mcp-session-id': mcp.sessionId },
        { bytesPerTick: 0, tickMs: 0 },
      ),
    ]);
    try {
      // Traffic for the streams: big log lines (to the log followers) and restarts (to /events),
      // with a control API call between every 100 lines: both must keep answering.
      const started = performance.now();
      for (let done = 0; done < lines; done += 100) {
        await writeLogLines(e, Math.min(100, lines - done));
        expect((await api(e, 'GET', '/api/v1/servers')).status).toBe(200);
      }
      const trafficMs = performance.now() - started;
      for (let i = 0; i < 3; i++) {
        expect((await api(e, 'POST', '/api/v1/servers/echo/restart')).status).toBe(200);
        await untilServers(e, (s) => s.every((x) => x.state === 'ready'), 'echo ready again');
      }
      const rssAfter = rssMiB(e.child.pid!);
      console.log(
        `hostile slow readers: 5 stalled/trickling streams, ${lines} log lines of 8 KB (${round(trafficMs / lines, 2)} ms per call) and 3 restarts meanwhile; ` +
          `trickle readers got ${stalled[2]!.received()}+${stalled[3]!.received()} bytes; RSS ${round(rssBefore, 1)}→${round(rssAfter, 1)} MiB`,
      );
      expect(
        rssAfter - rssBefore,
        'RSS growth (MiB): is a stalled stream buffered without bound?',
      ).toBeLessThan(RSS_GROWTH_LIMIT_MIB);
      await stillServing(e);
    } finally {
      for (const reader of stalled) reader.destroy();
      mcp.close();
    }
  });

  // Found by this suite: the engine keeps every event of a stream its reader does not take, so a
  // client that stops reading (a suspended laptop, a stuck tab) grows the engine without bound.
  it('a log stream nobody reads costs bounded memory', async () => {
    const e = await serve();
    const lines = scaled(3000, 10_000);
    const stalledCount = 6;
    await writeLogLines(e, lines); // warm-up: log store, heap and JIT reach their working size first
    const follow = `${e.url}/api/v1/servers/echo/logs?follow=1&lines=1`;
    const reference = collectStream(follow, bearer(e), 512 * 1024 * 1024); // keeps up: what one stream is sent
    const stalled = await Promise.all(
      Array.from({ length: stalledCount }, () =>
        slowReader(e.url, '/api/v1/servers/echo/logs?follow=1&lines=1', bearer(e), {
          bytesPerTick: 0,
          tickMs: 0,
        }),
      ),
    );
    try {
      const rssBefore = rssMiB(e.child.pid!);
      await writeLogLines(e, lines);
      await new Promise((r) => setTimeout(r, 500));
      const rssAfter = rssMiB(e.child.pid!);
      await reference.stop();
      const perStream = reference.text().length / (1024 * 1024);
      console.log(
        `hostile stalled log streams: ${stalledCount} never read while ${round(perStream, 1)} MiB went to each; ` +
          `RSS ${round(rssBefore, 1)}→${round(rssAfter, 1)} MiB (all kept would be +${round(perStream * stalledCount, 1)})`,
      );
      // Bounded: well under half of what keeping everything for every stalled reader would cost.
      expect(rssAfter - rssBefore, 'RSS growth (MiB)').toBeLessThan((perStream * stalledCount) / 2 + 16);
      await stillServing(e);
    } finally {
      for (const reader of stalled) reader.destroy();
    }
  });
});
