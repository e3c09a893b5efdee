import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { makeWorkspace, REPO, SWITCHBOARD, waitUntil, type Workspace } from './run-harness.js';

/**
 * `switchboard run` with a 2026-07-28 client and server (issue 23): a pass-through, and across a
 * hot reload the client sent no initialize to replay; the new process is spoken to in the client's
 * era, its listen goes on, and it hears which lists changed.
 */

const MODERN_FIXTURE = path.join(REPO, 'test/fixtures/modern-server.mjs');
let ws: Workspace | undefined;
let client: Client | undefined;

afterEach(async () => {
  await client?.close();
  ws?.dispose();
  client = undefined;
  ws = undefined;
});

describe('switchboard run, 2026-07-28 on both ends', () => {
  it('restarts on a file change without waiting for the open listen, which then tells the tools changed', async () => {
    ws = makeWorkspace('v1', MODERN_FIXTURE);
    const modern = new Client(
      { name: 'run-modern', version: '1' },
      { capabilities: {}, versionNegotiation: { mode: { pin: '2026-07-28' } } },
    );
    client = modern;
    const changes: unknown[] = [];
    modern.setNotificationHandler(
      'notifications/tools/list_changed',
      async (n) => void changes.push(n.params),
    );
    await modern.connect(
      new StdioClientTransport({
        command: process.execPath,
        args: [SWITCHBOARD, 'run', '--debounce', '50', '--', 'node', ws.server],
        cwd: ws.dir,
        env: { ...process.env, FIXTURE_VERSION_FILE: ws.versionFile } as Record<string, string>,
        stderr: 'ignore',
      }),
    );
    const version = async () =>
      JSON.parse(
        ((await modern.callTool({ name: 'version', arguments: {} })).content[0] as { text: string }).text,
      ) as {
        version: string;
        era: string;
      };
    expect(await version()).toMatchObject({ version: 'v1', era: 'modern' });
    const listening = await modern.listen({ toolsListChanged: true });
    expect(listening.honoredFilter).toEqual({ toolsListChanged: true });

    ws.setVersion('v2');
    await waitUntil(() => changes.length > 0, 20_000, 'tools/list_changed over the listen after the restart');
    expect(changes[0]).toMatchObject({
      _meta: { 'io.modelcontextprotocol/subscriptionId': expect.anything() },
    });
    // The new process speaks the client's era (the engine's own requests to it carried the envelope).
    expect(await version()).toMatchObject({ version: 'v2', era: 'modern' });
    expect((await modern.listTools()).tools.map((t) => t.name)).toContain('v_v2');
  }, 40_000);
});
