import type { JsonRpcMessage } from '../jsonrpc/messages.js';
import { MODERN_VERSIONS } from '../protocol/modern-era.js';
import { DEFAULT_DISCOVER_TIMEOUT_MS, type UpstreamEra } from './upstream-era.js';
import { engineInitializeParams, type UpstreamInfo, type WireRouting } from './upstream.js';

/** What the opening exchange needs of the connection it opens. */
export interface HandshakeIo {
  era: UpstreamEra;
  /** The transport can carry 2026-07-28 (the legacy HTTP+SSE one cannot). */
  modernTransport: boolean;
  /** One of the engine's own requests, sent at once; resolves with the server's answer. */
  send(method: string, params: unknown, timeoutMs: number): Promise<JsonRpcMessage>;
  notify(body: string, routing: WireRouting): Promise<void>;
  /** The revision the connection names from now on (HTTP's MCP-Protocol-Version header). */
  useVersion(version: string | undefined): void;
  /** The connection broke meanwhile. */
  closed(): boolean;
  log(line: string): void;
  clientInfo: { name: string; version: string; [key: string]: unknown };
  clientCapabilities: Record<string, unknown> | undefined;
  discoverTimeoutMs: number | undefined;
  requestTimeoutMs: number;
}

/**
 * A connection's opening exchange: `server/discover` first (bounded), and a server that offers
 * 2026-07-28 is spoken to in it with nothing more; any other answer, `initialize` and
 * `notifications/initialized` in 2025-11-25. Resolves with what the server offers.
 */
export async function handshake(io: HandshakeIo): Promise<{ info: UpstreamInfo; modern: boolean }> {
  io.era.version = undefined;
  if (io.modernTransport && io.era.probes) {
    const timeoutMs = io.discoverTimeoutMs ?? DEFAULT_DISCOVER_TIMEOUT_MS;
    const probe = async (version: string) => {
      // Over HTTP the probe's MCP-Protocol-Version header names the revision it asks about.
      io.useVersion(version);
      const answer = io.send('server/discover', io.era.probeParams(version), timeoutMs);
      const found = await io.era.verdict(answer, io.closed);
      io.useVersion(undefined);
      return found;
    };
    let verdict = await probe(MODERN_VERSIONS[0]);
    // A refusal (-32022) that names a revision we speak: asked once more, in that one.
    if ('retry' in verdict) {
      io.log(`the server asked for ${verdict.retry}; asking server/discover again in it`);
      verdict = await probe(verdict.retry);
    }
    if ('modern' in verdict) {
      io.era.version = verdict.modern.protocolVersion;
      io.useVersion(io.era.version);
      io.log(`the server speaks ${io.era.version}`);
      return { info: verdict.modern, modern: true };
    }
  }
  const params = engineInitializeParams(io.clientInfo, io.clientCapabilities);
  const init = await io.send('initialize', params, io.requestTimeoutMs);
  if (init.error) throw new Error(`the server refused to initialize: ${init.error.message}`);
  const info = init.result as UpstreamInfo;
  io.useVersion(typeof info?.protocolVersion === 'string' ? info.protocolVersion : undefined);
  const method = 'notifications/initialized';
  await io.notify(JSON.stringify({ jsonrpc: '2.0', method }), { method });
  return { info, modern: false };
}
