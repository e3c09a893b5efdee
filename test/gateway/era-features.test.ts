import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ResourceUpdatedNotificationSchema,
  ToolListChangedNotificationSchema,
} from '@modelcontextprotocol/sdk/types.js';
import { InProcessEngine, npmServerBin, REPO } from './gateway-harness.js';
import { connectClient, textOf, type Kind, type Surface } from './era-clients.js';

/**
 * The protocol features of both eras in every cell of clients × servers × surfaces (issue 23): a
 * 2025-11-25 client (SDK 1.x) and an SDK v2 one (automatic, and pinned to 2026-07-28) against an old-era server
 * (server-everything) and a new-era one (the SDK v2 fixture) on `/mcp/NAME`, `/mcp`, `connect` and
 * `run`: progress, a sampling round trip, cancellation, and a subscription update (a resource
 * update from server-everything, a changed tool list from the fixture).
 */

const EVERYTHING = npmServerBin('@modelcontextprotocol/server-everything', 'mcp-server-everything');
const SPECS = {
  everything: { command: process.execPath, args: [EVERYTHING, 'stdio'] },
  modern: { command: process.execPath, args: [path.join(REPO, 'test/fixtures/modern-server.mjs')] },
} as const;
type ServerName = keyof typeof SPECS;

/** Each server's tools for each feature. */
const TOOLS = {
  everything: {
    progress: { name: 'trigger-long-running-operation', arguments: { duration: 0.3, steps: 3 } },
    sample: { name: 'trigger-sampling-request', arguments: { prompt: 'hi', maxTokens: 5 } },
    long: { name: 'trigger-long-running-operation', arguments: { duration: 60, steps: 60 } },
  },
  modern: {
    progress: { name: 'count', arguments: { steps: 3 } },
    sample: { name: 'sample', arguments: {} },
    long: { name: 'slow', arguments: {} },
  },
} as const;

let engine: InProcessEngine;

beforeAll(async () => {
  engine = new InProcessEngine({
    everything: { ...SPECS.everything, sessions: 'shared' },
    modern: SPECS.modern,
  });
  await engine.start();
  await engine.until(
    () => engine.state('everything') === 'ready' && engine.state('modern') === 'ready',
    'servers ready',
  );
}, 30_000);
afterAll(async () => {
  await engine?.stop();
});

type Connected = Awaited<ReturnType<typeof connectClient>>;
type Call = { name: string; arguments: Record<string, unknown> };

/** A tool call with progress and an abort signal, whichever SDK the client is. */
function call(
  c: Connected,
  params: Call,
  options: { onprogress?: (p: { progress: number }) => void; signal?: AbortSignal } = {},
) {
  return c.v1 ? c.v1.callTool(params, undefined, options) : c.v2!.callTool(params, options);
}

async function until(check: () => boolean | Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const cells: [Kind, Surface, ServerName][] = [];
for (const kind of ['v1', 'v2-auto', 'v2-pinned'] as const)
  for (const surface of ['http', 'aggregate', 'connect', 'run'] as const)
    for (const server of ['everything', 'modern'] as const) cells.push([kind, surface, server]);

// `run` passes messages through untouched: a client pinned to 2026-07-28 needs a server of it
// (era-matrix.test.ts checks that it is refused, by name).
const served = cells.filter(
  ([kind, surface, server]) => !(kind === 'v2-pinned' && surface === 'run' && server === 'everything'),
);

describe.each(served)('%s client, %s surface, %s server', (kind, surface, server) => {
  const prefix = surface === 'aggregate' ? `${server}__` : '';
  const tool = (feature: keyof (typeof TOOLS)['modern']): Call => ({
    ...TOOLS[server][feature],
    name: `${prefix}${TOOLS[server][feature].name}`,
  });
  let c: Connected;
  beforeAll(async () => {
    c = await connectClient(engine, kind, surface, server, SPECS[server]);
  }, 30_000);
  afterAll(async () => {
    await c?.client.close();
  });

  it('carries progress in order', async () => {
    const seen: number[] = [];
    await call(c, tool('progress'), { onprogress: (p) => void seen.push(p.progress) });
    // Both SDKs' servers at times write the last step after the answer (seen without Switchboard
    // too), and a client drops what comes after the answer: the steps before it are the check.
    expect(seen.slice(0, 2)).toEqual([1, 2]);
    expect(seen.every((p, i) => p === i + 1)).toBe(true);
  }, 30_000);

  it('makes a sampling round trip to the client', async () => {
    expect(textOf(await call(c, tool('sample')))).toContain('sampled');
  }, 30_000);

  it('cancels a running call: the engine lets it go and the server hears of it where it says', async () => {
    const cancelledBefore = server === 'modern' ? await cancelledCount() : 0;
    const abort = new AbortController();
    const running = call(c, tool('long'), { onprogress: () => abort.abort(), signal: abort.signal });
    await expect(running).rejects.toThrow();
    if (surface !== 'run')
      await until(() => (engine.gateway.router(server)?.requestsInFlight ?? 0) === 0, 'no request in flight');
    if (server === 'modern')
      await until(async () => (await cancelledCount()) > cancelledBefore, 'the cancel');
    // The connection goes on.
    expect(textOf(await call(c, tool('progress')))).not.toBe('');
  }, 40_000);

  async function cancelledCount(): Promise<number> {
    return Number(textOf(await call(c, { name: `${prefix}cancelled`, arguments: {} })));
  }

  it(
    server === 'everything' ? 'tells of a subscribed resource that changed' : 'tells of a changed tool list',
    async () => {
      let heard = 0;
      const heardIt = () => void heard++;
      const uri =
        server === 'everything'
          ? (engine.supervisor.upstreamOf('everything')!.lists.resources![0] as { uri: string }).uri
          : undefined;
      let listening: { close(): Promise<void> } | undefined;
      if (c.v1) {
        if (uri) {
          c.v1.setNotificationHandler(ResourceUpdatedNotificationSchema, heardIt);
          await c.v1.subscribeResource({ uri });
        } else c.v1.setNotificationHandler(ToolListChangedNotificationSchema, heardIt);
      } else {
        const v2 = c.v2!;
        v2.setNotificationHandler(
          uri ? 'notifications/resources/updated' : 'notifications/tools/list_changed',
          heardIt,
        );
        // A 2025-era connection (automatic, against an old server over `run`) subscribes as that era does.
        if (c.era !== 'modern') {
          if (uri) await v2.subscribeResource({ uri });
        } else
          listening = await v2.listen(uri ? { resourceSubscriptions: [uri] } : { toolsListChanged: true });
      }
      const change = uri
        ? { name: `${prefix}toggle-subscriber-updates`, arguments: {} }
        : { name: `${prefix}add_tool`, arguments: { name: `added_${kind}_${surface}`.replace(/-/g, '_') } };
      await call(c, change);
      await until(() => heard > 0, 'the update');
      if (uri) await call(c, change); // updates off again for the next cell
      await listening?.close();
    },
    40_000,
  );
});
