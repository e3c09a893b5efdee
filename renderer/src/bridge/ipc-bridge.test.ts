import { describe, expect, it } from 'vitest';
import type { PreloadApi } from '../../../electron/shared/preload-api.js';
import { pickBridge } from './pick-bridge.js';
import { HttpBridge } from './http-bridge.js';
import { IpcBridge } from './ipc-bridge.js';

function fakePreload() {
  const invoked: { operation: string; input: unknown }[] = [];
  const listeners: ((item: unknown) => void)[] = [];
  let stopped = 0;
  const preload: PreloadApi = {
    async invoke(operation, input) {
      invoked.push({ operation, input });
      if (operation === 'getServer')
        return { ok: false, status: 404, error: { error: 'no server named "x"' } };
      return { ok: true, value: { servers: [] } };
    },
    subscribe(_stream, _input, onItem) {
      listeners.push(onItem);
      return () => void stopped++;
    },
  };
  return { preload, invoked, listeners, stopped: () => stopped };
}

describe('IpcBridge', () => {
  it('invokes operations by name and turns refusals into BridgeErrors', async () => {
    const fake = fakePreload();
    const bridge = new IpcBridge(fake.preload);
    expect(await bridge.call('listServers', {})).toEqual({ servers: [] });
    await expect(bridge.call('getServer', { server: 'x' })).rejects.toMatchObject({
      status: 404,
      message: 'no server named "x"',
    });
    expect(fake.invoked).toEqual([
      { operation: 'listServers', input: {} },
      { operation: 'getServer', input: { server: 'x' } },
    ]);
  });

  it('delivers stream items and stops the stream', () => {
    const fake = fakePreload();
    const items: unknown[] = [];
    const statuses: string[] = [];
    const stop = new IpcBridge(fake.preload).subscribe(
      'events',
      {},
      {
        item: (i) => items.push(i),
        status: (s) => statuses.push(s),
      },
    );
    fake.listeners[0]!({ type: 'server.removed', server: 'a', at: 1 });
    expect(items).toEqual([{ type: 'server.removed', server: 'a', at: 1 }]);
    expect(statuses).toEqual(['open']);
    stop();
    expect(fake.stopped()).toBe(1);
  });

  it('is picked when the preload put its API on window; HTTP otherwise', () => {
    const fake = fakePreload();
    expect(
      pickBridge({ switchboard: fake.preload } as unknown as Window & Record<string, unknown>),
    ).toBeInstanceOf(IpcBridge);
    expect(pickBridge({} as Window & Record<string, unknown>)).toBeInstanceOf(HttpBridge);
  });
});
