import { describe, expect, it } from 'vitest';
import type { EngineEvent, ServerState } from '../../shared/events.js';
import { failureNotice } from './failure-notice.js';

function stateEvent(from: ServerState, to: ServerState, reason: string): EngineEvent {
  return { type: 'server.state', server: 'echo', from, to, reason, at: 1 };
}

describe('failureNotice', () => {
  it('tells the user a server stopped restarting, why, and what to do', () => {
    const notice = failureNotice(stateEvent('backoff', 'failed', 'crash loop: 5 failures in 60 s'));
    expect(notice).toEqual({
      title: 'echo stopped restarting',
      body: 'Crash loop: 5 failures in 60 s. Open its logs to see why; fix it and press Start.',
      server: 'echo',
    });
  });

  it('keeps a reason that already ends a sentence and shortens a long one to a line or two', () => {
    expect(failureNotice(stateEvent('starting', 'failed', 'spawn ENOENT.'))?.body).toBe(
      'Spawn ENOENT. Open its logs to see why; fix it and press Start.',
    );
    const long = failureNotice(stateEvent('starting', 'failed', `boom\n${'x'.repeat(400)}`));
    expect(long?.body.length).toBeLessThan(230);
    expect(long?.body).toMatch(/^Boom x+… Open its logs/);
  });

  it('still says what to do when there is no reason', () => {
    expect(failureNotice(stateEvent('ready', 'failed', ''))?.body).toBe(
      'Open its logs to see why; fix it and press Start.',
    );
  });

  it.each([
    ['ready', 'backoff'],
    ['backoff', 'starting'],
    ['failed', 'stopped'],
    ['failed', 'failed'],
    ['ready', 'stopped'],
  ] as const)('gives nothing for %s → %s', (from, to) => {
    expect(failureNotice(stateEvent(from, to, 'whatever'))).toBeUndefined();
  });

  it('gives nothing for other events', () => {
    const restart: EngineEvent = {
      type: 'server.restart',
      server: 'echo',
      cause: { kind: 'exit', code: 1, signal: null },
      startedAt: 0,
      durationMs: 10,
      outcome: 'failed',
      error: 'exit code 1',
    };
    expect(failureNotice(restart)).toBeUndefined();
    expect(failureNotice({ type: 'server.removed', server: 'echo', at: 1 })).toBeUndefined();
  });
});
