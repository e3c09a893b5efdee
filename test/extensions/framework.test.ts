import { mkdirSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Extension, RequestMessage } from '../../electron/engine/extensions/extension.js';
import { echoServer, ExtensionsEngine, firstText } from './extension-harness.js';

let engine: ExtensionsEngine | undefined;
afterEach(async () => {
  await engine?.stop();
  engine = undefined;
});

const base = { id: 'x', name: 'X', version: '1.0.0', defaultEnabled: true } as const;

/** Appends its mark to the echo tool's text on the way in, and records the reply order. */
function marker(id: string, order: string[]): Extension {
  return {
    ...base,
    id,
    name: `Marker ${id}`,
    onRequest: (request) => {
      const params = request.params as { name: string; arguments?: { text?: string } };
      if (params.name !== 'echo') return request;
      return { ...request, params: { ...params, arguments: { text: `${params.arguments?.text}+${id}` } } };
    },
    onResponse: (reply) => {
      order.push(id);
      return reply;
    },
  };
}

async function start(extensions: Extension[], config: Record<string, unknown> = {}) {
  engine = await new ExtensionsEngine({ mcpServers: { echo: echoServer() }, ...config }).start(
    () => extensions,
  );
  return engine;
}

describe('extension hooks on real gateway sessions', () => {
  it('runs request hooks in registration order, and reply hooks in the same order', async () => {
    const order: string[] = [];
    const e = await start([marker('a', order), marker('b', order)]);
    const client = await e.client('echo');
    const result = await client.callTool({ name: 'echo', arguments: { text: 'hi' } });
    expect(firstText(result)).toBe('hi+a+b');
    expect(order).toEqual(['a', 'b']);
    const aggregated = await e.client();
    expect(firstText(await aggregated.callTool({ name: 'echo__echo', arguments: { text: 'yo' } }))).toBe(
      'yo+a+b',
    );
  });

  it('answers a blocked request with an error naming the extension, never silence', async () => {
    const e = await start([{ ...base, id: 'blocker', name: 'Blocker', onRequest: () => null }]);
    const client = await e.client('echo');
    const error = await client
      .callTool({ name: 'echo', arguments: { text: 'hi' } })
      .catch((err: unknown) => err);
    expect(error).toMatchObject({ code: -32071 });
    expect(String((error as Error).message)).toContain('the Blocker extension blocked the call to echo');
    expect((error as { data?: unknown }).data).toMatchObject({ extension: 'blocker', server: 'echo' });
  });

  it('lets an extension answer a request itself, and block a reply', async () => {
    let served = 0;
    const e = await start([
      {
        ...base,
        id: 'answers',
        onRequest: (request: RequestMessage) =>
          (request.params as { name?: string }).name === 'version'
            ? { result: { content: [{ type: 'text', text: 'from the extension' }] } }
            : request,
        onResponse: (reply, call) => {
          if (call.tool === 'echo') served++;
          return call.tool === 'big' ? null : reply;
        },
      },
    ]);
    const client = await e.client('echo');
    expect(firstText(await client.callTool({ name: 'version', arguments: {} }))).toBe('from the extension');
    await client.callTool({ name: 'echo', arguments: { text: 'x' } });
    expect(served).toBe(1);
    const error = await client
      .callTool({ name: 'big', arguments: { bytes: 10 } })
      .catch((err: unknown) => err);
    expect(error).toMatchObject({ code: -32071 });
  });

  it('skips a hook that throws, and switches off an extension that keeps failing, and says so', async () => {
    const order: string[] = [];
    const e = await start([
      {
        ...base,
        id: 'flaky',
        name: 'Flaky',
        onRequest: () => {
          throw new Error('boom');
        },
      },
      marker('after', order),
    ]);
    const client = await e.client('echo');
    for (let i = 0; i < 4; i++)
      expect(firstText(await client.callTool({ name: 'echo', arguments: { text: `${i}` } }))).toBe(
        `${i}+after`,
      );
    expect(e.logs.some((l) => l.includes('[flaky] onRequest failed and was skipped: boom'))).toBe(true);
    let listed = (await e.api('listExtensions', {})).extensions.find((x) => x.id === 'flaky')!;
    expect(listed).toMatchObject({ enabled: true, hookFailures: 4 });
    await client.callTool({ name: 'echo', arguments: { text: '5' } });
    await e.until(() => e.readConfig().extensions?.flaky?.enabled === false, 'the file to say flaky is off');
    listed = (await e.api('listExtensions', {})).extensions.find((x) => x.id === 'flaky')!;
    expect(listed.enabled).toBe(false);
    expect(listed.problem).toContain('switched off after 5 failures');
    expect(e.events).toContainEqual(
      expect.objectContaining({
        type: 'extension.notice',
        extension: 'flaky',
        message: expect.stringContaining('Flaky was switched off'),
      }),
    );
    // Off means off: the next call does not reach it.
    expect(firstText(await client.callTool({ name: 'echo', arguments: { text: 'z' } }))).toBe('z+after');
  });

  it('switches on and off live, from the API and from the file, without restarting servers', async () => {
    const order: string[] = [];
    const e = await start([{ ...marker('live', order), defaultEnabled: false }]);
    const client = await e.client('echo');
    const pid = firstText(await client.callTool({ name: 'version', arguments: {} }));
    expect(firstText(await client.callTool({ name: 'echo', arguments: { text: 'a' } }))).toBe('a');
    await e.api('setExtensionEnabled', { extension: 'live', enabled: true });
    expect(e.readConfig().extensions?.live?.enabled).toBe(true);
    expect(firstText(await client.callTool({ name: 'echo', arguments: { text: 'b' } }))).toBe('b+live');
    // A hand edit of the file applies too.
    const config = e.readConfig();
    config.extensions!.live!.enabled = false;
    writeFileSync(e.configFile, JSON.stringify(config));
    await e.until(
      async () => firstText(await client.callTool({ name: 'echo', arguments: { text: 'c' } })) === 'c',
      'the hand edit to switch it off',
    );
    expect(firstText(await client.callTool({ name: 'version', arguments: {} }))).toBe(pid);
    expect(e.engine.supervisor.snapshot().servers[0]!.restarts).toBe(0);
    expect(e.events).toContainEqual(
      expect.objectContaining({ type: 'extension.changed', extension: 'live', enabled: false }),
    );
  });

  it('checks config against the schema (defaults filled in), refuses bad config with the field named', async () => {
    const seen: unknown[] = [];
    const e = await start([
      {
        ...base,
        id: 'configured',
        configSchema: {
          type: 'object',
          properties: { limit: { type: 'integer', minimum: 1, default: 3 } },
          additionalProperties: false,
        },
        initialize: (ctx) => void seen.push(ctx.config),
        configure: (config) => void seen.push(config),
      },
    ]);
    expect(seen).toEqual([{ limit: 3 }]);
    const refused = await e
      .api('setExtensionConfig', { extension: 'configured', config: { limit: 0 } })
      .catch((err: unknown) => err);
    expect(refused).toMatchObject({ status: 400, problems: [expect.objectContaining({ path: 'limit' })] });
    const dto = await e.api('setExtensionConfig', { extension: 'configured', config: { limit: 7 } });
    expect(dto.config).toEqual({ limit: 7 });
    expect(seen).toEqual([{ limit: 3 }, { limit: 7 }]);
    expect(e.readConfig().extensions?.configured?.config).toEqual({ limit: 7 });
  });

  it('applies to the servers it is limited to only', async () => {
    const order: string[] = [];
    engine = await new ExtensionsEngine({ mcpServers: { echo: echoServer(), other: echoServer() } }).start(
      () => [marker('scoped', order)],
    );
    const e = engine;
    await e.api('setExtensionServers', { extension: 'scoped', servers: ['other'] });
    expect(e.readConfig().extensions?.scoped?.servers).toEqual(['other']);
    const echo = await e.client('echo');
    const other = await e.client('other');
    expect(firstText(await echo.callTool({ name: 'echo', arguments: { text: 'e' } }))).toBe('e');
    expect(firstText(await other.callTool({ name: 'echo', arguments: { text: 'o' } }))).toBe('o+scoped');
    await e.api('setExtensionServers', { extension: 'scoped', servers: null });
    expect(firstText(await echo.callTool({ name: 'echo', arguments: { text: 'e' } }))).toBe('e+scoped');
  });

  it('offers extension tools on both endpoints and answers them, and measures hook time', async () => {
    const e = await start([
      {
        ...base,
        id: 'tooly',
        getAdditionalTools: () => [{ name: 'ext_hello', inputSchema: { type: 'object' } }],
        handleToolCall: async (name, _args, ctx) => ({
          content: [
            { type: 'text', text: `${name} for ${ctx.endpoint} (${(await ctx.listTools()).length} tools)` },
          ],
        }),
      },
    ]);
    const client = await e.client('echo');
    const names = (await client.listTools()).tools.map((t) => t.name);
    expect(names).toContain('ext_hello');
    expect(names).toContain('echo');
    expect(firstText(await client.callTool({ name: 'ext_hello', arguments: {} }))).toMatch(
      /^ext_hello for server \(\d+ tools\)$/,
    );
    const aggregated = await e.client();
    expect((await aggregated.listTools()).tools.map((t) => t.name)).toContain('ext_hello');
    expect(firstText(await aggregated.callTool({ name: 'ext_hello', arguments: {} }))).toMatch(
      /for aggregate/,
    );
    const dto = (await e.api('listExtensions', {})).extensions[0]!;
    expect(dto.hookCalls).toBeGreaterThan(0);
    expect(dto.hookP50Ms).toBeGreaterThanOrEqual(0);
    const metrics = await (await fetch(`${e.engine.url}/metrics`)).text();
    expect(metrics).toMatch(
      /switchboard_extension_hook_seconds\{extension="tooly",quantile="0.99"\} [0-9.e-]+/,
    );
  });

  it('calls lifecycle hooks when a server restarts', async () => {
    const seen: string[] = [];
    const e = await start([
      {
        ...base,
        id: 'life',
        beforeRestart: (server) => void seen.push(`before ${server}`),
        afterServerStart: (server) => void seen.push(`after ${server}`),
        onToolsChanged: (server, tools) => void seen.push(`tools ${server} ${tools.length > 0}`),
      },
    ]);
    await e.until(() => seen.includes('after echo'), 'the first start');
    seen.length = 0;
    await e.api('restartServer', { server: 'echo' });
    await e.until(
      () => seen.includes('after echo') && seen.includes('tools echo true'),
      'the lifecycle hooks',
    );
    expect(seen[0]).toBe('before echo');
  });
});

describe('third-party extensions', () => {
  it('are listed from <home>/extensions but run only once the person enables them', async () => {
    const e = new ExtensionsEngine({ mcpServers: { echo: echoServer() } });
    engine = e;
    const dir = path.join(e.home, 'extensions', 'shout');
    mkdirSync(dir, { recursive: true });
    const marker = path.join(e.home, 'loaded.txt');
    writeFileSync(
      path.join(dir, 'package.json'),
      JSON.stringify({
        name: 'shout',
        version: '2.1.0',
        main: 'index.mjs',
        switchboard: { id: 'shout', name: 'Shout' },
      }),
    );
    writeFileSync(
      path.join(dir, 'index.mjs'),
      `import { writeFileSync } from 'node:fs';
writeFileSync(${JSON.stringify(marker)}, 'yes');
export default {
  id: 'shout', name: 'Shout', version: '2.1.0', defaultEnabled: true,
  onResponse(reply) {
    const item = reply.result?.content?.[0];
    if (item?.type === 'text') item.text = item.text.toUpperCase();
    return reply;
  },
};`,
    );
    await e.start(() => []);
    const [listed] = (await e.api('listExtensions', {})).extensions;
    expect(listed).toMatchObject({
      id: 'shout',
      name: 'Shout',
      version: '2.1.0',
      enabled: false,
      source: 'third-party',
    });
    expect(existsSync(marker)).toBe(false);
    const client = await e.client('echo');
    expect(firstText(await client.callTool({ name: 'echo', arguments: { text: 'quiet' } }))).toBe('quiet');
    await e.api('setExtensionEnabled', { extension: 'shout', enabled: true });
    expect(existsSync(marker)).toBe(true);
    expect(firstText(await client.callTool({ name: 'echo', arguments: { text: 'quiet' } }))).toBe('QUIET');
  });

  it('reports one whose code does not load, and keeps it off', async () => {
    const e = new ExtensionsEngine({ mcpServers: { echo: echoServer() } });
    engine = e;
    const dir = path.join(e.home, 'extensions', 'broken');
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      path.join(dir, 'package.json'),
      JSON.stringify({ name: 'broken', main: 'index.mjs', switchboard: {} }),
    );
    writeFileSync(path.join(dir, 'index.mjs'), 'export default 42;');
    await e.start(() => []);
    const refused = await e
      .api('setExtensionEnabled', { extension: 'broken', enabled: true })
      .catch((err: unknown) => err);
    expect(refused).toMatchObject({ status: 422 });
    expect(String((refused as Error).message)).toContain('must export default an extension object');
    expect(e.readConfig().extensions?.broken?.enabled).toBeUndefined();
    const [listed] = (await e.api('listExtensions', {})).extensions;
    expect(listed).toMatchObject({ enabled: false, problem: expect.stringContaining('failed to start') });
  });
});
