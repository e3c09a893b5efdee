import { afterEach, describe, expect, it } from 'vitest';
import { EngineErrors } from '../../electron/shared/errors.js';
import type { StdioRpcClient } from '../helpers/stdio-rpc-client.js';
import { makeWorkspace, startRun, textOf, waitUntil, type Workspace } from './run-harness.js';

let ws: Workspace | undefined;
let client: StdioRpcClient | undefined;

afterEach(async () => {
  await client?.close(5000).catch(() => client?.kill('SIGKILL'));
  ws?.dispose();
  client = undefined;
  ws = undefined;
});

async function version(c: StdioRpcClient): Promise<{ version: string; pid: number }> {
  const response = await c.callTool('version', {});
  return JSON.parse(textOf(response)) as { version: string; pid: number };
}

describe('switchboard run: hot reload', () => {
  it('restarts on a file change under concurrent load and loses nothing', async () => {
    ws = makeWorkspace('v1');
    client = startRun(ws, ['--debounce', '50']);
    await client.initialize();
    const before = await version(client);
    expect(before.version).toBe('v1');

    const errors: unknown[] = [];
    let answered = 0;
    let running = true;
    const worker = async (w: number) => {
      for (let i = 0; running && i < 5000; i++) {
        const text = `w${w}-${i}`;
        const response = await client!.callTool('echo', { text });
        if (response.error || textOf(response) !== text) errors.push(response);
        else answered++;
      }
    };
    const workers = Array.from({ length: 8 }, (_, w) => worker(w));
    await waitUntil(() => answered > 200, 10_000, 'load to warm up');
    ws.setVersion('v2');
    await client.waitForStderr(/restarted .*version\.txt changed.* ready in \d+ ms/, 10_000);
    const mid = answered;
    await waitUntil(() => answered > mid + 200, 10_000, 'load after the first restart');
    ws.setVersion('v3');
    await waitUntil(
      () => client!.stderrLines.filter((l) => /restarted /.test(l)).length >= 2,
      10_000,
      'second restart',
    );
    const after2 = answered;
    await waitUntil(() => answered > after2 + 100, 10_000, 'load after the second restart');
    running = false;
    await Promise.all(workers);

    expect(errors).toEqual([]);
    expect(answered).toBeGreaterThan(500);
    const after = await version(client);
    expect(after.version).toBe('v3');
    expect(after.pid).not.toBe(before.pid);
    await client.waitForNotification('notifications/tools/list_changed', 5000);
    const tools = await client.request('tools/list', {});
    const names = (tools.result as { tools: { name: string }[] }).tools.map((t) => t.name);
    expect(names).toContain('v_v3');
    expect(names).not.toContain('v_v1');
  });

  it('watches the directory of the server script when no --watch is given', async () => {
    ws = makeWorkspace('a');
    client = startRun(ws, ['--debounce', '50']);
    await client.initialize();
    await client.waitForStderr(/watching \.tmp-test|watching/, 5000);
    ws.setVersion('b');
    await client.waitForStderr(/restarted .*version\.txt changed/, 10_000);
    expect((await version(client)).version).toBe('b');
  });

  it('answers a request still running after the drain timeout with server_restarted', async () => {
    ws = makeWorkspace('v1');
    client = startRun(ws, ['--debounce', '20', '--drain-timeout', '200']);
    await client.initialize();
    const slow = client.callTool('slow', { ms: 5000 });
    await new Promise((r) => setTimeout(r, 100));
    ws.setVersion('v2');
    const slowReply = await slow;
    expect(slowReply.error?.code).toBe(EngineErrors.SERVER_RESTARTED.code);
    expect(slowReply.error?.data).toMatchObject({ reason: 'server_restarted' });
    expect((await version(client)).version).toBe('v2');
  });

  it('refuses with buffer_full once the restart buffer is full, and answers everything', async () => {
    ws = makeWorkspace('v1');
    client = startRun(ws, ['--debounce', '20', '--buffer-messages', '3'], { FIXTURE_START_DELAY_MS: '600' });
    await client.initialize();
    ws.setVersion('v2');
    // Give the watcher time to see the change and the restart to begin.
    await new Promise((r) => setTimeout(r, 250));
    const replies = await Promise.all(
      Array.from({ length: 8 }, (_, i) => client!.callTool('echo', { text: `m${i}` })),
    );
    const full = replies.filter((r) => r.error?.code === EngineErrors.BUFFER_FULL.code);
    const ok = replies.filter((r) => !r.error);
    expect(full.length + ok.length).toBe(8);
    expect(full.length).toBeGreaterThanOrEqual(5);
    expect(ok.map(textOf)).toEqual(ok.map((_, i) => `m${i}`));
  });
});
