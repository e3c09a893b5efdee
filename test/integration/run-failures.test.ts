import { afterEach, describe, expect, it } from 'vitest';
import { EngineErrors, StandardErrorCodes } from '../../electron/shared/errors.js';
import type { JsonRpcResponse, StdioRpcClient } from '../helpers/stdio-rpc-client.js';
import { makeWorkspace, startRun, textOf, type Workspace } from './run-harness.js';

let ws: Workspace | undefined;
let client: StdioRpcClient | undefined;

afterEach(async () => {
  await client?.close(5000).catch(() => client?.kill('SIGKILL'));
  ws?.dispose();
  client = undefined;
  ws = undefined;
});

describe('switchboard run: crashes', () => {
  it('answers the request a crash interrupted, then recovers and serves what came after', async () => {
    ws = makeWorkspace('v1');
    client = startRun(ws, ['--no-watch']);
    await client.initialize();
    const crashReply = await client.callTool('crash', { code: 7 });
    // Sent right after the crash, while the server is down: it waits for the restart.
    const after = client.callTool('echo', { text: 'after the crash' });
    expect(crashReply.error?.code).toBe(EngineErrors.SERVER_EXITED.code);
    expect(crashReply.error?.message).toMatch(/exit code 7/);
    const afterReply = await after;
    expect(afterReply.error).toBeUndefined();
    expect(textOf(afterReply)).toBe('after the crash');
    await client.waitForStderr(/crashed: exit code 7/, 5000);
    await client.waitForStderr(/restarted .*\(exit code 7\) ready in \d+ ms/, 5000);
  });

  it('stops retrying after a crash loop, says why, and recovers when a file changes', async () => {
    ws = makeWorkspace('v1');
    client = startRun(ws, ['--debounce', '50']);
    await client.initialize();
    ws.setVersion('crash-on-start');
    await client.waitForStderr(/failed: crash loop: 5 failures/, 20_000);
    const refused = await client.callTool('echo', { text: 'x' });
    expect(refused.error?.code).toBe(EngineErrors.CRASH_LOOP.code);
    expect(refused.error?.data).toMatchObject({ reason: 'crash_loop' });
    expect(String((refused.error?.data as { suggestion?: string }).suggestion)).toMatch(
      /save a watched file/,
    );
    ws.setVersion('fixed');
    await client.waitForStderr(/restarted .*version\.txt changed.* ready/, 10_000);
    const ok = await client.callTool('version', {});
    expect(JSON.parse(textOf(ok)).version).toBe('fixed');
  }, 40_000);

  it('exits with a clear message when the command does not exist', async () => {
    ws = makeWorkspace();
    const { StdioRpcClient } = await import('../helpers/stdio-rpc-client.js');
    client = StdioRpcClient.spawn(
      process.execPath,
      ['bin/switchboard.mjs', 'run', '--', 'no-such-command-xyz'],
      {
        cwd: process.cwd(),
      },
    );
    const exit = await client.close(10_000);
    expect(exit.code).toBe(1);
    expect(client.stderrLines.join('\n')).toMatch(/no-such-command-xyz.*PATH/s);
    // Said once, not twice.
    expect(client.stderrLines.filter((line) => line.includes('command not found'))).toHaveLength(1);
  });
});

describe('switchboard run: bad input', () => {
  it('answers malformed lines with JSON-RPC errors and keeps working', async () => {
    ws = makeWorkspace();
    client = startRun(ws, ['--no-watch', '--max-message-size', '4kb']);
    await client.initialize();

    client.sendRaw('this is not json\n');
    client.sendRaw('{"jsonrpc":"2.0","id":901,"method":"tools/call","params":\n');
    client.sendRaw('{"jsonrpc":"1.0","id":902,"method":"tools/list"}\n');
    client.sendRaw('[{"jsonrpc":"2.0","id":903,"method":"tools/list"}]\n');
    client.sendRaw(
      `{"jsonrpc":"2.0","id":904,"method":"tools/call","params":{"name":"echo","arguments":{"text":"${'x'.repeat(10_000)}"}}}\n`,
    );

    const errors = await waitForErrors(client, 5);
    expect(
      errors.find((e) => e.id === null && e.error.code === StandardErrorCodes.PARSE_ERROR),
    ).toBeDefined();
    expect(errors.find((e) => e.id === 901)?.error.code).toBe(StandardErrorCodes.PARSE_ERROR);
    expect(errors.find((e) => e.id === 902)?.error.code).toBe(StandardErrorCodes.INVALID_REQUEST);
    expect(
      errors.find((e) => e.id === null && e.error.code === StandardErrorCodes.INVALID_REQUEST),
    ).toBeDefined();
    expect(errors.find((e) => e.id === 904)?.error.code).toBe(EngineErrors.MESSAGE_TOO_LARGE.code);

    const ok = await client.callTool('echo', { text: 'still here' });
    expect(textOf(ok)).toBe('still here');
  });

  it('answers a reply larger than the limit with message_too_large instead of hanging', async () => {
    ws = makeWorkspace();
    client = startRun(ws, ['--no-watch', '--max-message-size', '64kb']);
    await client.initialize();
    const big = await client.callTool('big', { bytes: 200_000 });
    expect(big.error?.code).toBe(EngineErrors.MESSAGE_TOO_LARGE.code);
    const small = await client.callTool('big', { bytes: 1000 });
    expect(textOf(small)).toHaveLength(1000);
  });

  it('ends a reply it had started passing through once it outgrows the limit, then answers with an error', async () => {
    ws = makeWorkspace();
    client = startRun(ws, ['--no-watch', '--max-message-size', '200kb']);
    await client.initialize();
    // Let the engine finish its own first listing, whose replies are never passed through.
    await new Promise((r) => setTimeout(r, 300));
    const big = await client.callTool('big', { bytes: 300_000 });
    expect(big.error?.code).toBe(EngineErrors.MESSAGE_TOO_LARGE.code);
    expect(client.stderrLines.some((l) => l.includes('non-JSON on stdout'))).toBe(true);
    const small = await client.callTool('big', { bytes: 150_000 });
    expect(textOf(small)).toHaveLength(150_000);
  });

  it('passes a 1 MiB reply through intact', async () => {
    ws = makeWorkspace();
    client = startRun(ws, ['--no-watch']);
    await client.initialize();
    const reply = await client.callTool('big', { bytes: 1024 * 1024 });
    expect(textOf(reply)).toHaveLength(1024 * 1024);
  });
});

type ErrorReply = JsonRpcResponse & { error: NonNullable<JsonRpcResponse['error']> };

/** Error replies the client saw that no pending request claimed (ids it never sent through request()). */
async function waitForErrors(c: StdioRpcClient, count: number): Promise<ErrorReply[]> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const errors = c.unmatchedResponses.filter((m): m is ErrorReply => m.error !== undefined);
    if (errors.length >= count || Date.now() > deadline) return errors;
    await new Promise((r) => setTimeout(r, 20));
  }
}
