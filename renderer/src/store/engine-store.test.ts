import { describe, expect, it } from 'vitest';
import { FakeBridge } from '../testing/fake-bridge.js';
import { createEngineStore } from './engine-store.js';
import { serverSnapshot } from '../testing/server-snapshot.js';

const server = (name: string, state: 'ready' | 'stopped' = 'ready') => serverSnapshot(name, { state });

describe('engine store', () => {
  it('seeds from listServers when the stream opens, then follows events', async () => {
    const bridge = new FakeBridge().answer('listServers', () => ({ servers: [server('a')] }));
    const store = createEngineStore(bridge);
    store.connect();
    expect(store.status.connection).toBe('connecting');
    bridge.setStatus('events', 'open');
    await new Promise((r) => setTimeout(r, 0));
    expect(store.snapshot.value.servers.map((s) => s.state)).toEqual(['ready']);

    const seen: string[] = [];
    store.onEvent((e) => seen.push(e.type));
    bridge.push('events', {
      type: 'server.state',
      server: 'a',
      from: 'ready',
      to: 'restarting',
      reason: 'file x changed',
      at: 5,
    });
    expect(store.snapshot.value.servers[0]).toMatchObject({ state: 'restarting', reason: 'file x changed' });
    expect(seen).toEqual(['server.state']);
  });

  it('says when the engine is away, and seeds again when it is back', async () => {
    let servers = [server('a')];
    const bridge = new FakeBridge().answer('listServers', () => ({ servers }));
    const store = createEngineStore(bridge);
    store.connect();
    bridge.setStatus('events', 'open');
    await new Promise((r) => setTimeout(r, 0));
    bridge.setStatus('events', 'lost');
    expect(store.status.connection).toBe('lost');
    servers = [server('a', 'stopped'), server('b')];
    bridge.setStatus('events', 'open');
    await new Promise((r) => setTimeout(r, 0));
    expect(store.snapshot.value.servers.map((s) => `${s.name}:${s.state}`)).toEqual(['a:stopped', 'b:ready']);
  });

  it('marks the window signed out when the engine refuses the token', async () => {
    const bridge = new FakeBridge().refuse('listServers', 401, 'missing or wrong bearer token');
    const store = createEngineStore(bridge);
    store.connect();
    bridge.setStatus('events', 'open');
    await new Promise((r) => setTimeout(r, 0));
    expect(store.status.connection).toBe('unauthorized');
  });

  it('counts the tools waiting for approval from the snapshot, then from quarantine.pending', async () => {
    const bridge = new FakeBridge().answer('listServers', () => ({
      servers: [server('a')],
      pendingApprovals: 2,
    }));
    const store = createEngineStore(bridge);
    expect(store.snapshot.value.pendingApprovals).toBe(0);
    store.connect();
    bridge.setStatus('events', 'open');
    await new Promise((r) => setTimeout(r, 0));
    expect(store.snapshot.value.pendingApprovals).toBe(2);
    bridge.push('events', { type: 'quarantine.pending', count: 5, at: 1 });
    expect(store.snapshot.value.pendingApprovals).toBe(5);
    bridge.push('events', { type: 'quarantine.pending', count: 0, at: 2 });
    expect(store.snapshot.value.pendingApprovals).toBe(0);
  });
});
