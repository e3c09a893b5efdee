import { describe, expect, it } from 'vitest';
import { StateView } from './state-view.js';

describe('StateView', () => {
  it('folds events into frozen snapshots that a later event does not change', () => {
    const view = new StateView();
    view.apply({ type: 'server.added', server: 'b', transport: 'stdio', enabled: true, at: 1 });
    view.apply({ type: 'server.added', server: 'a', transport: 'sse', enabled: false, at: 1 });
    const first = view.snapshot();
    expect(first.servers.map((s) => s.name)).toEqual(['a', 'b']);
    expect(Object.isFrozen(first.servers)).toBe(true);
    expect(view.snapshot()).toBe(first); // cached until something happens

    view.apply({
      type: 'server.state',
      server: 'b',
      from: 'stopped',
      to: 'starting',
      reason: 'start requested',
      at: 2,
    });
    view.apply({
      type: 'server.state',
      server: 'b',
      from: 'starting',
      to: 'ready',
      reason: 'started',
      at: 3,
    });
    view.apply({
      type: 'server.restart',
      server: 'b',
      cause: { kind: 'user' },
      startedAt: 4,
      durationMs: 9,
      outcome: 'ready',
    });
    view.apply({ type: 'server.lists', server: 'b', tools: 7, prompts: 0, resources: 1, at: 5 });
    const second = view.snapshot();
    expect(first.servers[1]!.state).toBe('stopped');
    expect(second.servers[1]).toMatchObject({
      state: 'ready',
      reason: 'started',
      since: 3,
      restarts: 1,
      tools: 7,
    });

    view.apply({ type: 'config.invalid', file: 'x', problems: [{ path: 'p', message: 'm' }], at: 6 });
    expect(view.snapshot().configProblems).toEqual([{ path: 'p', message: 'm' }]);
    view.apply({ type: 'server.removed', server: 'a', at: 7 });
    view.apply({ type: 'config.applied', file: 'x', added: [], removed: ['a'], changed: [], at: 7 });
    expect(view.snapshot()).toMatchObject({ configProblems: undefined, servers: [{ name: 'b' }] });
  });
});
