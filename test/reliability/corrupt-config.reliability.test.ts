import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ECHO_SERVER, isAlive } from '../integration/run-harness.js';
import { startServe, untilServers, type ServedEngine } from '../integration/serve-harness.js';
import { api, serverPid } from './hostile-api.js';
import { untilConfig, type ConfigView } from './hostile-config.js';
import { scaled } from './scale.js';

// A config file broken on disk in every way an editor, a crash or a person can break it. The last
// good config must stay in force (same server processes, still answering), the API must say what is
// wrong, and the next good file must be applied.

const echo = { command: process.execPath, args: [ECHO_SERVER] };
const GOOD = { mcpServers: { alpha: echo, beta: echo } };
const goodText = JSON.stringify(GOOD, null, 2);
const HUGE_BYTES = scaled(8, 64) * 1024 * 1024;

/** Each broken file, and what its problem message must mention. */
const CASES: { name: string; content: () => string | Buffer; mentions: RegExp }[] = [
  { name: 'invalid JSON', content: () => '{"mcpServers": {"alpha": ', mentions: /JSON|Unexpected|Expected/i },
  {
    name: 'a server without command',
    content: () => JSON.stringify({ mcpServers: { alpha: { args: ['x'] }, beta: echo } }),
    mentions: /alpha/,
  },
  { name: 'an empty file (0 bytes)', content: () => '', mentions: /empty/i },
  { name: 'whitespace only', content: () => ' \n\t\r\n  ', mentions: /empty/i },
  {
    name: 'half-written',
    content: () => goodText.slice(0, Math.floor(goodText.length / 2)),
    mentions: /JSON|Unexpected|Expected/i,
  },
  { name: 'an array', content: () => '[]', mentions: /object|array|expected/i },
  { name: 'null', content: () => 'null', mentions: /object|null|expected/i },
  {
    name: 'zero bytes (a crash mid-write)',
    content: () => Buffer.alloc(4096),
    mentions: /JSON|Unexpected|Expected/i,
  },
  {
    name: `huge (${HUGE_BYTES >> 20} MiB, cut short)`,
    content: () => `{"mcpServers":{},"pad":"${'x'.repeat(HUGE_BYTES)}`,
    mentions: /./,
  },
];

/** Every problem the API reports, `path: message`; empty when there is none. */
function problemText(view: ConfigView): string {
  return (view.problems ?? []).map((p) => `${p.path ? `${p.path}: ` : ''}${p.message}`).join('; ');
}

describe('a corrupt config file on disk', () => {
  let engine: ServedEngine;
  let file: string;
  const seen: string[] = [];

  beforeAll(async () => {
    engine = await startServe(GOOD.mcpServers);
    file = path.join(engine.home, 'config.json');
    writeFileSync(file, goodText);
    await untilServers(
      engine,
      (s) => s.length === 2 && s.every((x) => x.state === 'ready'),
      'alpha and beta ready',
    );
  }, 60_000);

  afterAll(async () => {
    console.log(`corrupt config: ${seen.length} broken files; problems reported: ${seen.join(' | ')}`);
    await engine?.stop();
  });

  /** The servers as they are: name, state, restarts, and the pid their `version` tool reports. */
  async function servers(): Promise<string[]> {
    const list = (await api(engine, 'GET', '/api/v1/servers')).json as {
      servers: { name: string; state: string; restarts: number }[];
    };
    return Promise.all(
      list.servers.map(
        async (s) =>
          `${s.name} ${s.state} restarts=${s.restarts} pid=${s.state === 'ready' ? await serverPid(engine, s.name) : '-'}`,
      ),
    );
  }

  for (const c of CASES) {
    it(`${c.name}: the servers keep running and the API says what is wrong`, async () => {
      // Each case starts from the good file in force, so one failure does not cascade into the next.
      writeFileSync(file, goodText);
      await untilConfig(engine, (v) => v.problems === undefined, 'the good file in force');
      await untilServers(
        engine,
        (s) => s.length === 2 && s.every((x) => x.state === 'ready'),
        'alpha and beta ready',
      );
      const before = await servers();

      writeFileSync(file, c.content());
      let view: ConfigView;
      try {
        // Matching, not just any problem: the write truncates first, so "empty" may show for a moment.
        view = await untilConfig(
          engine,
          (v) => c.mentions.test(problemText(v)),
          `a problem mentioning ${c.mentions} for ${c.name}`,
        );
      } finally {
        // Whatever happened, the servers must not have paid for it: same processes, still answering.
        await new Promise((r) => setTimeout(r, 300));
        expect(isAlive(engine.child.pid!), 'serve exited').toBe(true);
        expect(await servers(), `the servers after ${c.name}`).toEqual(before);
      }
      seen.push(`${c.name} → ${problemText(view).replace(engine.home, '<home>').slice(0, 200)}`);
      expect(Object.keys(view.config.mcpServers as object), 'the last good config stays in force').toEqual([
        'alpha',
        'beta',
      ]);

      // The good file again: problems gone, nothing restarted (nothing changed).
      writeFileSync(file, goodText);
      await untilConfig(engine, (v) => v.problems === undefined, 'the problems to clear');
      expect(await servers(), 'after the good file came back').toEqual(before);
    });
  }

  it('a good file after all that is applied: a new server starts, the others stay', async () => {
    const pids = { alpha: await serverPid(engine, 'alpha'), beta: await serverPid(engine, 'beta') };
    writeFileSync(file, JSON.stringify({ mcpServers: { ...GOOD.mcpServers, gamma: echo } }, null, 2));
    await untilServers(
      engine,
      (s) => s.some((x) => x.name === 'gamma' && x.state === 'ready'),
      'gamma ready',
    );
    expect(await serverPid(engine, 'alpha')).toBe(pids.alpha);
    expect(await serverPid(engine, 'beta')).toBe(pids.beta);
    const view = await untilConfig(engine, (v) => v.problems === undefined, 'no problems');
    expect(Object.keys(view.config.mcpServers as object)).toEqual(['alpha', 'beta', 'gamma']);
  });
});
