import type { JsonRpcResponse, StdioRpcClient } from '../helpers/stdio-rpc-client.js';
import { HungError, type RpcChannel } from './storm-calls.js';

/**
 * A `connect` or `run` child as an RpcChannel. Every request of the client must go through here
 * (initialize included): the client numbers ids 1, 2, 3..., so counting them tells a reply to an id
 * we sent (a second reply: duplicate) from one to an id we never sent (unknown).
 */
export async function openStdioChannel(label: string, client: StdioRpcClient): Promise<RpcChannel> {
  await client.initialize({}, { timeoutMs: 30_000 });
  let issued = 1;
  return {
    label,
    async request(method: string, params: unknown, timeoutMs: number): Promise<JsonRpcResponse> {
      issued++;
      try {
        return await client.request(method, params, { timeoutMs });
      } catch (err) {
        if (/no reply within/.test((err as Error).message)) throw new HungError((err as Error).message);
        throw err;
      }
    },
    strays() {
      const ids = client.unmatchedResponses.map((r) => r.id);
      const sent = (id: unknown) => typeof id === 'number' && id >= 1 && id <= issued;
      // A reply after our own timeout would count as a duplicate too; such a call counts as hung anyway.
      return { unknown: ids.filter((id) => !sent(id)).length, duplicate: ids.filter(sent).length };
    },
  };
}
