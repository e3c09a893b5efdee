import { describe, expect, it } from 'vitest';
import { RequestGate } from './request-gate.js';

const ROOM = { fits: true, held: 0 };

describe('the request gate', () => {
  it('holds while the lifecycle connects or the upstream reconnects', () => {
    const gate = new RequestGate();
    expect(gate.stateChanged('stopped', 'starting', 'start requested')).toBeUndefined();
    expect(gate.refuse(ROOM)).toBeUndefined();
    gate.stateChanged('starting', 'ready', 'connected');
    expect(gate.refuse(ROOM)?.error).toBe('SERVER_UNAVAILABLE');
    gate.reconnecting = true;
    expect(gate.refuse(ROOM)).toBeUndefined();
  });

  it('refuses a request that would wait when the hold buffer is full', () => {
    const gate = new RequestGate();
    gate.stateChanged('ready', 'restarting', 'file changed');
    expect(gate.refuse({ fits: false, held: 3 })).toEqual({
      error: 'BUFFER_FULL',
      detail: '3 requests wait',
    });
  });

  it('answers what waited for a start that failed, and holds what comes next for the retry', () => {
    const gate = new RequestGate();
    gate.stateChanged('stopped', 'starting', 'start requested');
    expect(gate.stateChanged('starting', 'backoff', 'start failed: boom; retry in 100 ms')).toEqual({
      error: 'START_FAILED',
      detail: 'the server is backoff: start failed: boom; retry in 100 ms',
    });
    expect(gate.refuse(ROOM)).toBeUndefined();
  });

  it('lets what waits ride out the retries of a server recovering from a crash or a lost connection', () => {
    const gate = new RequestGate();
    gate.stateChanged('stopped', 'starting', 'start requested');
    gate.stateChanged('starting', 'ready', 'started');
    expect(gate.stateChanged('ready', 'backoff', 'exit code 1; retry in 100 ms')).toBeUndefined();
    gate.stateChanged('backoff', 'starting', 'retrying after exit code 1');
    expect(
      gate.stateChanged('starting', 'backoff', 'start failed: ECONNREFUSED; retry in 200 ms'),
    ).toBeUndefined();
    expect(gate.refuse(ROOM)).toBeUndefined();
    gate.stateChanged('backoff', 'starting', 'retrying after exit code 1');
    gate.stateChanged('starting', 'ready', 'started');
    gate.stateChanged('ready', 'restarting', 'file changed');
    expect(gate.stateChanged('restarting', 'backoff', 'start failed: SyntaxError')?.error).toBe(
      'START_FAILED',
    );
  });

  it('refuses at once, with the error that says what to do, while a person has to act', () => {
    const gate = new RequestGate();
    gate.reconnecting = true;
    expect(gate.stateChanged('starting', 'needs-auth', 'web wants you to sign in')).toEqual({
      error: 'AUTH_REQUIRED',
      detail: 'the server is needs-auth: web wants you to sign in',
    });
    expect(gate.reconnecting).toBe(false);
    expect(gate.refuse(ROOM)?.error).toBe('AUTH_REQUIRED');
    expect(gate.stateChanged('starting', 'needs-secret', 'set "k"')?.error).toBe('SERVER_UNAVAILABLE');
    expect(gate.stateChanged('ready', 'stopped', 'stop requested')?.error).toBe('SERVER_UNAVAILABLE');
    expect(gate.stateChanged('backoff', 'failed', 'crash loop: 5 failures in 60 s')?.error).toBe(
      'CRASH_LOOP',
    );
  });
});
