import { describe, expect, it } from 'vitest';
import type { JsonRpcMessage } from '../jsonrpc/messages.js';
import { handshake } from './handshake.js';
import { UpstreamEra } from './upstream-era.js';

const MODERN = '2026-07-28';
const ENGINE = { capabilities: { roots: {} }, clientInfo: { name: 'switchboard', version: '1' } };

const unsupported = (supported: string[]): JsonRpcMessage => ({
  jsonrpc: '2.0',
  id: 1,
  error: { code: -32022, message: 'Unsupported protocol version', data: { supported, requested: MODERN } },
});
const discovered: JsonRpcMessage = {
  jsonrpc: '2.0',
  id: 2,
  result: { supportedVersions: [MODERN], capabilities: { tools: {} }, resultType: 'complete' },
};
const initialized: JsonRpcMessage = {
  jsonrpc: '2.0',
  id: 3,
  result: { protocolVersion: '2025-11-25', capabilities: {}, serverInfo: { name: 'old', version: '1' } },
};

/** Runs the opening exchange against canned answers; records what went out and in which version. */
async function open(answers: Record<string, JsonRpcMessage[]>) {
  const sent: { method: string; version: unknown; header: string | undefined }[] = [];
  const logs: string[] = [];
  let header: string | undefined;
  const era = new UpstreamEra({
    server: 's',
    caller: () => ENGINE,
    listen: {
      transmit: async () => undefined,
      answersInline: () => false,
      cancel: () => undefined,
      signal: () => new AbortController().signal,
      isOpen: () => false,
      log: () => undefined,
    },
    log: () => undefined,
  });
  const found = await handshake({
    era,
    modernTransport: true,
    send: (method, params) => {
      const meta = (params as { _meta?: Record<string, unknown> })._meta;
      sent.push({ method, version: meta?.['io.modelcontextprotocol/protocolVersion'], header });
      const answer = answers[method]?.shift();
      return answer ? Promise.resolve(answer) : Promise.reject(new Error(`unexpected ${method}`));
    },
    notify: () => Promise.resolve(),
    useVersion: (version) => (header = version),
    closed: () => false,
    log: (line) => logs.push(line),
    clientInfo: ENGINE.clientInfo,
    clientCapabilities: ENGINE.capabilities,
    discoverTimeoutMs: 1000,
    requestTimeoutMs: 1000,
  });
  return { found, sent, logs, header, era };
}

describe('the opening exchange', () => {
  it('asks server/discover once more in the revision a -32022 names, and speaks it', async () => {
    const { found, sent, logs, header, era } = await open({
      'server/discover': [unsupported([MODERN]), discovered],
    });
    expect(sent).toEqual([
      { method: 'server/discover', version: MODERN, header: MODERN },
      { method: 'server/discover', version: MODERN, header: MODERN },
    ]);
    expect(found.modern).toBe(true);
    expect(found.info.protocolVersion).toBe(MODERN);
    expect(era.version).toBe(MODERN);
    expect(header).toBe(MODERN);
    expect(logs).toContain(`the server asked for ${MODERN}; asking server/discover again in it`);
  });

  it('asks again once only, and initializes when the second answer refuses too', async () => {
    const { found, sent } = await open({
      'server/discover': [unsupported([MODERN]), unsupported([MODERN])],
      initialize: [initialized],
    });
    expect(sent.map((s) => s.method)).toEqual(['server/discover', 'server/discover', 'initialize']);
    expect(found).toMatchObject({ modern: false, info: { protocolVersion: '2025-11-25' } });
  });

  it('initializes at once when the -32022 names no revision it speaks', async () => {
    const { found, sent } = await open({
      'server/discover': [unsupported(['2025-11-25'])],
      initialize: [initialized],
    });
    expect(sent.map((s) => s.method)).toEqual(['server/discover', 'initialize']);
    expect(sent[1]!.header).toBeUndefined();
    expect(found.modern).toBe(false);
  });
});
