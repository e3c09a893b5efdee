import { describe, expect, it } from 'vitest';
import type { EngineEvent, ServerState } from './events.js';
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
    view.apply({ type: 'server.sessions', server: 'b', sessions: 3, at: 5 });
    const second = view.snapshot();
    expect(first.servers[1]!.state).toBe('stopped');
    expect(second.servers[1]).toMatchObject({
      state: 'ready',
      reason: 'started',
      since: 3,
      restarts: 1,
      tools: 7,
      sessions: 3,
    });
    expect(first.servers[1]!.sessions).toBe(0);
    // A failed restart counts too: the counter is the restart history's figure.
    view.apply({
      type: 'server.restart',
      server: 'b',
      cause: { kind: 'retry', attempt: 1 },
      startedAt: 6,
      durationMs: 2,
      outcome: 'failed',
      error: 'exit code 1',
    });
    expect(view.snapshot().servers[1]!.restarts).toBe(2);

    view.apply({ type: 'config.invalid', file: 'x', problems: [{ path: 'p', message: 'm' }], at: 6 });
    expect(view.snapshot().configProblems).toEqual([{ path: 'p', message: 'm' }]);
    view.apply({ type: 'server.removed', server: 'a', at: 7 });
    view.apply({ type: 'config.applied', file: 'x', added: [], removed: ['a'], changed: [], at: 7 });
    expect(view.snapshot()).toMatchObject({ configProblems: undefined, servers: [{ name: 'b' }] });
  });

  it('tells a server waiting for a sign-in by its state, a wait that is no error (lastError cleared)', () => {
    const view = new StateView();
    view.apply({ type: 'server.added', server: 'web', transport: 'http', enabled: true, at: 1 });
    const to = (from: ServerState, state: ServerState, reason: string, at: number) =>
      view.apply({ type: 'server.state', server: 'web', from, to: state, reason, at });
    to('stopped', 'starting', 'start requested', 2);
    to('starting', 'needs-auth', 'the server asks for a sign-in (401)', 3);
    expect(view.snapshot().servers[0]).toMatchObject({
      state: 'needs-auth',
      reason: 'the server asks for a sign-in (401)',
      since: 3,
      lastError: undefined,
    });
    to('needs-auth', 'failed', 'connection refused', 4);
    expect(view.snapshot().servers[0]).toMatchObject({ lastError: 'connection refused' });
    // A sign-out restarts the server, which "fails" into needs-auth: that is a wait, not an error.
    view.apply({
      type: 'server.restart',
      server: 'web',
      cause: { kind: 'user' },
      startedAt: 5,
      durationMs: 1,
      outcome: 'failed',
      error: 'web wants you to sign in',
    });
    to('failed', 'needs-auth', 'web wants you to sign in', 6);
    expect(view.snapshot().servers[0]).toMatchObject({ state: 'needs-auth', lastError: undefined });
  });

  it('passes over auth.changed and events it does not know: the same snapshot, no crash', () => {
    const view = new StateView();
    view.apply({ type: 'server.added', server: 'web', transport: 'http', enabled: true, at: 1 });
    const before = view.snapshot();
    view.apply({ type: 'auth.changed', server: 'web', signedIn: true, detail: 'signed in', at: 2 });
    view.apply({ type: 'from.a.newer.engine', server: 'web', at: 3 } as unknown as EngineEvent);
    expect(view.snapshot()).toBe(before);
    view.apply({ type: 'server.lists', server: 'web', tools: 2, prompts: 0, resources: 0, at: 4 });
    expect(view.snapshot()).not.toBe(before);
    expect(view.snapshot().servers[0]).toMatchObject({ state: 'stopped', tools: 2 });
  });
});
