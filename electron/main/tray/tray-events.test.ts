import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../shared/events.js';
import { changesTray, coalesce } from './tray-events.js';

describe('changesTray', () => {
  it('rebuilds on state, restart, membership and config events; not on usage or call figures', () => {
    const at = 0;
    const yes: EngineEvent[] = [
      { type: 'server.state', server: 'a', from: 'starting', to: 'ready', reason: '', at },
      { type: 'server.added', server: 'a', transport: 'stdio', enabled: true, at },
      { type: 'config.invalid', file: 'f', problems: [], at },
      { type: 'quarantine.pending', count: 2, at },
    ];
    expect(yes.map(changesTray)).toEqual([true, true, true, true]);
    const usage = { type: 'server.usage', server: 'a' } as unknown as EngineEvent;
    const calls = { type: 'server.calls', server: 'a' } as unknown as EngineEvent;
    expect([usage, calls].map(changesTray)).toEqual([false, false]);
  });
});

describe('coalesce', () => {
  it('runs once for a burst, after it', async () => {
    let runs = 0;
    const c = coalesce(() => runs++, 20);
    for (let i = 0; i < 50; i++) c.poke();
    expect(runs).toBe(0);
    await new Promise((r) => setTimeout(r, 60));
    expect(runs).toBe(1);
    c.poke();
    c.cancel();
    await new Promise((r) => setTimeout(r, 40));
    expect(runs).toBe(1);
  });
});
