import { writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { allText, echoServer, ExtensionsEngine, firstText } from './extension-harness.js';

let engine: ExtensionsEngine | undefined;
afterEach(async () => {
  await engine?.stop();
  engine = undefined;
});

async function start(
  extensions: Record<string, unknown> = {},
  servers: Record<string, unknown> = { echo: echoServer() },
) {
  engine = await new ExtensionsEngine({ mcpServers: servers, extensions }).start();
  return engine;
}

const names = (list: { tools: { name: string }[] }) => list.tools.map((t) => t.name);
const errorOf = (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    (err: unknown) => err as { code: number; data?: unknown; message: string },
  );

describe('built-in extensions through real gateway sessions', () => {
  it('large-response-handler is off by default: a big reply passes whole, and no tool is added', async () => {
    const e = await start();
    const client = await e.client('echo');
    expect((await client.listTools()).tools.map((t) => t.name)).not.toContain('read_stored_response');
    expect(firstText(await client.callTool({ name: 'big', arguments: { bytes: 100_000 } }))).toHaveLength(
      100_000,
    );
  });

  it('large-response-handler, once switched on, stores a big reply and pages through it', async () => {
    const e = await start({ 'large-response-handler': { enabled: true } });
    const client = await e.client('echo');
    const first = await client.callTool({ name: 'big', arguments: { bytes: 100_000 } });
    const text = allText(first);
    expect(text.length).toBeLessThan(10_000);
    expect(text).toContain('read_stored_response');
    const id = /"id":\s*"([^"]+)"/.exec(text)?.[1];
    expect(id).toBeDefined();
    let collected = text.match(/x+/)![0];
    for (let page = 0; page < 100 && collected.length < 100_000; page++) {
      const next = allText(
        await client.callTool({
          name: 'read_stored_response',
          arguments: { id, offset: collected.length, length: 30_000 },
        }),
      );
      const chunk = next.match(/x+/)?.[0] ?? '';
      expect(chunk.length).toBeGreaterThan(0);
      collected += chunk;
    }
    expect(collected).toBe('x'.repeat(100_000));
    // Switched off live: the next big reply comes whole.
    await e.api('setExtensionEnabled', { extension: 'large-response-handler', enabled: false });
    expect(firstText(await client.callTool({ name: 'big', arguments: { bytes: 100_000 } }))).toHaveLength(
      100_000,
    );
  });

  it('request-logger logs every call with secrets redacted, searchable through the API', async () => {
    const e = await start({ 'request-logger': { enabled: true } });
    const client = await e.client('echo');
    await client.callTool({
      name: 'echo',
      arguments: { text: 'hello', token: 'ghp_abcdefghijklmnopqrstuvwxyz0123456789' },
    });
    await client.callTool({ name: 'version', arguments: {} });
    await e.until(
      async () => (await e.api('searchActivity', { server: 'echo' })).entries.length >= 2,
      'two entries',
    );
    const { enabled, entries } = await e.api('searchActivity', { query: 'echo', status: 'ok' });
    expect(enabled).toBe(true);
    const echoCall = entries.find((x) => x.tool === 'echo')!;
    expect(echoCall).toMatchObject({
      server: 'echo',
      method: 'tools/call',
      status: 'ok',
      client: 'extension-test',
      endpoint: 'server',
    });
    expect(echoCall.durationMs).toBeGreaterThanOrEqual(0);
    expect(echoCall.requestBytes).toBeGreaterThan(0);
    expect(echoCall.responseBytes).toBeGreaterThan(0);
    expect(JSON.stringify(echoCall.params)).not.toContain('ghp_abcdef');
    expect(JSON.stringify(echoCall.params)).toContain('hello');
    expect(
      (await e.api('searchActivity', { query: 'version' })).entries.every((x) => x.tool === 'version'),
    ).toBe(true);
  });

  it('rate-limiter refuses calls over the bucket with its own error code', async () => {
    const e = await start({ 'rate-limiter': { enabled: true, config: { requestsPerMinute: 1, burst: 2 } } });
    const client = await e.client('echo');
    await client.callTool({ name: 'echo', arguments: { text: '1' } });
    await client.callTool({ name: 'echo', arguments: { text: '2' } });
    const refused = await errorOf(client.callTool({ name: 'echo', arguments: { text: '3' } }));
    expect(refused).toMatchObject({ code: -32069, data: { reason: 'rate_limited', server: 'echo' } });
    // Another tool has its own bucket.
    expect(firstText(await client.callTool({ name: 'version', arguments: {} }))).toContain('pid');
  });

  it('tool-filter hides switched-off tools from both endpoints, refuses calls, and tells clients', async () => {
    const e = await start();
    const client = await e.client('echo');
    const aggregated = await e.client();
    let changed = 0;
    client.setNotificationHandler(ToolListChangedNotificationSchema, () => void changed++);
    expect(names(await client.listTools())).toContain('big');
    await e.api('setExtensionConfig', {
      extension: 'tool-filter',
      config: { disabledTools: ['echo__big', 'echo__cr*'] },
    });
    await e.api('setExtensionEnabled', { extension: 'tool-filter', enabled: true });
    await e.until(() => changed > 0, 'tools/list_changed');
    const visible = names(await client.listTools());
    expect(visible).toContain('echo');
    expect(visible).not.toContain('big');
    expect(visible).not.toContain('crash');
    expect(names(await aggregated.listTools())).not.toContain('echo__big');
    const refused = await errorOf(client.callTool({ name: 'big', arguments: { bytes: 1 } }));
    expect(refused).toMatchObject({
      code: -32071,
      data: { reason: 'blocked_by_extension', extension: 'tool-filter' },
    });
    expect(await errorOf(aggregated.callTool({ name: 'echo__big', arguments: { bytes: 1 } }))).toMatchObject({
      code: -32071,
    });
  });

  it('tool-search replaces the aggregated list with search_tools and call_tool', async () => {
    const e = await start({ 'tool-search': { enabled: true } });
    const aggregated = await e.client();
    const listed = names(await aggregated.listTools());
    expect(listed).toContain('search_tools');
    expect(listed).toContain('call_tool');
    expect(listed.some((n) => n.startsWith('echo__'))).toBe(false);
    const found = firstText(
      await aggregated.callTool({ name: 'search_tools', arguments: { query: 'replies with its input' } }),
    );
    const hits = JSON.parse(found.slice(found.indexOf('['), found.lastIndexOf(']') + 1)) as {
      name: string;
    }[];
    expect(hits[0]!.name).toBe('echo__echo');
    const called = await aggregated.callTool({
      name: 'call_tool',
      arguments: { name: 'echo__echo', arguments: { text: 'via search' } },
    });
    expect(firstText(called)).toBe('via search');
    // A server's own endpoint keeps its tools.
    expect(names(await (await e.client('echo')).listTools())).toContain('echo');
  });

  it('quarantine holds a new server’s tools and changed ones until approved, with the diff and the count', async () => {
    const e = await start({ quarantine: { enabled: true } });
    const client = await e.client('echo');
    await e.until(async () => (await e.api('listQuarantine', {})).tools.length > 0, 'held tools');
    expect(names(await client.listTools())).not.toContain('echo');
    const held = await errorOf(client.callTool({ name: 'echo', arguments: { text: 'x' } }));
    expect(held).toMatchObject({ code: -32071 });
    expect(held!.message).toMatch(/approv/);
    const { tools } = await e.api('listQuarantine', {});
    expect(tools.find((t) => t.tool === 'echo')).toMatchObject({ server: 'echo', reason: 'new' });
    await e.until(() => e.engine.supervisor.snapshot().pendingApprovals === tools.length, 'the tray count');
    const approved = await e.api('approveTools', { server: 'echo' });
    expect(approved.approved).toContain('echo');
    expect(approved.tools).toEqual([]);
    expect(names(await client.listTools())).toContain('echo');
    expect(firstText(await client.callTool({ name: 'echo', arguments: { text: 'ok' } }))).toBe('ok');
    await e.until(() => e.engine.supervisor.snapshot().pendingApprovals === 0, 'the count back to 0');
    // The server changes a description: that tool alone is held again, with the approved version to diff.
    const config = e.readConfig() as { mcpServers: Record<string, { env?: Record<string, string> }> };
    config.mcpServers.echo!.env = {
      FIXTURE_ECHO_DESCRIPTION: 'Replies, and also sends your files somewhere',
    };
    writeFileSync(e.configFile, JSON.stringify(config));
    await e.until(
      async () => (await e.api('listQuarantine', {})).tools.some((t) => t.tool === 'echo'),
      'the changed tool held',
    );
    const changed = (await e.api('listQuarantine', {})).tools.find((t) => t.tool === 'echo')!;
    expect(changed.reason).toBe('changed');
    expect(changed.approved?.description).toBe('Replies with its input');
    expect(changed.current.description).toBe('Replies, and also sends your files somewhere');
    const fresh = await e.client('echo');
    const visible = names(await fresh.listTools());
    expect(visible).not.toContain('echo');
    expect(visible).toContain('version');
  });

  it('circuit-breaker opens after consecutive failures and probes again after the cooldown', async () => {
    const e = await start({
      'circuit-breaker': { enabled: true, config: { failureThreshold: 2, cooldownSeconds: 1 } },
    });
    const client = await e.client('echo');
    await e.api('stopServer', { server: 'echo' });
    for (let i = 0; i < 2; i++)
      expect(await errorOf(client.callTool({ name: 'echo', arguments: { text: 'x' } }))).toMatchObject({
        code: -32060,
      });
    const open = await errorOf(client.callTool({ name: 'echo', arguments: { text: 'x' } }));
    expect(open).toMatchObject({ code: -32070, data: { reason: 'circuit_open', server: 'echo' } });
    expect(e.events).toContainEqual(
      expect.objectContaining({ type: 'extension.notice', extension: 'circuit-breaker' }),
    );
    await e.api('startServer', { server: 'echo' });
    await e.until(() => e.engine.supervisor.snapshot().servers[0]!.state === 'ready', 'echo ready again');
    await e.until(
      async () =>
        firstText(await client.callTool({ name: 'echo', arguments: { text: 'back' } }).catch(() => ({}))) ===
        'back',
      'the probe to close the circuit',
    );
  });
});
