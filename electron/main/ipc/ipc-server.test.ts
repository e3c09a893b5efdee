import { EventEmitter } from 'node:events';
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IpcBridge } from '../../../renderer/src/bridge/ipc-bridge.js';
import { BridgeError, type Bridge } from '../../../renderer/src/bridge/bridge.js';
import type { EngineEvent } from '../../shared/events.js';
import { IPC_CHANNELS } from '../../shared/preload-api.js';
import { Engine } from '../../engine/index.js';
import { engineOptions, makeEchoHome } from '../../../test/helpers/echo-home.js';
import { createPreloadApi } from '../../preload/preload-api-factory.js';
import { isTrustedSender } from '../window/navigation-policy.js';
import {
  registerIpc,
  type ApiPort,
  type IpcEvent,
  type IpcMainPort,
  type SenderFrame,
} from './ipc-server.js';

/** ipcMain and ipcRenderer of one window, joined in this process the way Electron joins them. */
class IpcPair {
  readonly main = new EventEmitter();
  readonly renderer = new EventEmitter();
  readonly handlers = new Map<string, (event: IpcEvent, ...args: unknown[]) => Promise<unknown>>();
  frame: SenderFrame | null = { url: 'app://switchboard/index.html#/servers', parent: null };
  private destroyed = false;
  private readonly lifecycle = new EventEmitter();
  readonly sender = {
    id: 7,
    send: (channel: string, ...args: unknown[]) => {
      if (this.destroyed) throw new Error('sent to a destroyed window');
      this.renderer.emit(channel, {}, ...args);
    },
    isDestroyed: () => this.destroyed,
    once: (event: 'destroyed', listener: () => void) => this.lifecycle.once(event, listener),
  };

  readonly mainPort: IpcMainPort = {
    handle: (channel, listener) => void this.handlers.set(channel, listener),
    removeHandler: (channel) => void this.handlers.delete(channel),
    on: (channel, listener) => this.main.on(channel, listener),
    removeListener: (channel, listener) => this.main.removeListener(channel, listener),
  };

  readonly rendererPort = {
    invoke: async (channel: string, ...args: unknown[]) => {
      const handler = this.handlers.get(channel);
      if (!handler) throw new Error(`No handler registered for '${channel}'`);
      // Electron copies arguments and results with the structured clone algorithm.
      return structuredClone(await handler(this.event(), ...structuredClone(args)));
    },
    send: (channel: string, ...args: unknown[]) => void this.main.emit(channel, this.event(), ...args),
    on: (channel: string, listener: (event: unknown, ...args: unknown[]) => void) =>
      this.renderer.on(channel, listener),
  };

  destroy(): void {
    this.destroyed = true;
    this.lifecycle.emit('destroyed');
  }

  private event(): IpcEvent {
    return { senderFrame: this.frame, sender: this.sender };
  }
}

let home: string;
let engine: Engine;

beforeAll(async () => {
  home = makeEchoHome('ipc');
  engine = new Engine(engineOptions(home));
  await engine.start();
});

afterAll(async () => {
  await engine?.stop();
  rmSync(home, { recursive: true, force: true });
});

function connect(api: ApiPort = engine.dispatcher) {
  const pair = new IpcPair();
  const refused: string[] = [];
  const unregister = registerIpc(pair.mainPort, api, isTrustedSender, (line) => refused.push(line));
  const bridge: Bridge = new IpcBridge(createPreloadApi(pair.rendererPort));
  return { pair, bridge, refused, unregister };
}

async function until<T>(read: () => T | undefined, what: string, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('the API table over IPC, against a real engine', () => {
  it('calls operations and follows the event stream from the window', async () => {
    const { bridge, unregister } = connect();
    const events: EngineEvent[] = [];
    const stop = bridge.subscribe('events', {}, { item: (e) => events.push(e) });
    await expect
      .poll(async () => (await bridge.call('getServer', { server: 'echo' })).state, { timeout: 15_000 })
      .toBe('ready');
    const list = await bridge.call('listServers', {});
    expect(list.servers.map((s) => s.name)).toEqual(['echo']);

    await bridge.call('restartServer', { server: 'echo' });
    await until(
      () => events.find((e) => e.type === 'server.restart' && e.server === 'echo' && e.outcome === 'ready'),
      'the restart event',
    );
    expect(events.some((e) => e.type === 'server.state' && e.to === 'restarting')).toBe(true);
    stop();
    unregister();
  });

  it("answers invalid input with the table's problems, and unknown names with 404", async () => {
    const { bridge, unregister } = connect();
    const invalid = await bridge.call('getServer', { server: 42 } as never).catch((e: unknown) => e);
    expect(invalid).toBeInstanceOf(BridgeError);
    expect((invalid as BridgeError).status).toBe(400);
    expect((invalid as BridgeError).problems.map((p) => p.path)).toEqual(['server']);
    const unknown = await bridge.call('dropTables' as never, {} as never).catch((e: unknown) => e);
    expect((unknown as BridgeError).status).toBe(404);
    const missing = await bridge.call('getServer', { server: 'nope' }).catch((e: unknown) => e);
    expect((missing as BridgeError).status).toBe(404);
    expect((missing as BridgeError).message).toContain('no server named "nope"');
    unregister();
  });

  it('refuses calls and streams from a frame that is not the app (a navigated or embedded page)', async () => {
    const { pair, bridge, refused, unregister } = connect();
    pair.frame = { url: 'https://evil.example/', parent: null };
    const call = await bridge.call('listServers', {}).catch((e: unknown) => e);
    expect((call as BridgeError).status).toBe(403);
    const statuses: string[] = [];
    bridge.subscribe('events', {}, { item: () => {}, status: (s) => statuses.push(s) });
    await until(() => (statuses.includes('unauthorized') ? true : undefined), 'the refusal');
    pair.frame = { url: 'app://switchboard/index.html', parent: { url: 'app://switchboard/' } };
    expect(((await bridge.call('listServers', {}).catch((e: unknown) => e)) as BridgeError).status).toBe(403);
    expect(refused).toHaveLength(3);
    unregister();
  });

  it('stops a stream when the window goes away or unsubscribes, even while it is starting', async () => {
    let started = 0;
    let stopped = 0;
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => (release = r));
    const slowApi: ApiPort = {
      invoke: async () => ({}),
      subscribe: async (_name, _input, send) => {
        await gate;
        started++;
        send('first');
        return () => void stopped++;
      },
    };
    const { pair, bridge } = connect(slowApi);
    const early = bridge.subscribe('events', {}, { item: () => {} });
    early(); // before the engine has started it
    const items: unknown[] = [];
    bridge.subscribe('events', {}, { item: (i) => items.push(i) });
    release();
    await until(() => (started === 2 ? true : undefined), 'both streams to start');
    expect(stopped).toBe(1); // the early one, stopped as soon as it started
    expect(items).toEqual(['first']);
    pair.destroy();
    expect(stopped).toBe(2);
  });

  it('never exposes anything but invoke and subscribe to the window', () => {
    const { pair } = connect();
    const api = createPreloadApi(pair.rendererPort);
    expect(Object.keys(api).sort()).toEqual(['invoke', 'subscribe']);
    expect(Object.values(IPC_CHANNELS).every((c) => c.startsWith('switchboard:'))).toBe(true);
  });
});
