import { describe, expect, it } from 'vitest';
import { RequestGate } from './request-gate.js';

const ROOM = { fits: true, held: 0 };

describe('the request gate', () => {
  it('holds while the lifecycle connects or the upstream reconnects', () => {
    const gate = new RequestGate();
    expect(gate.stateChanged('starting', 'start requested')).toBeUndefined();
    expect(gate.refuse('web', ROOM)).toBeUndefined();
    gate.stateChanged('ready', 'connected');
    expect(gate.refuse('web', ROOM)?.error.data).toMatchObject({ reason: 'server_unavailable' });
    gate.reconnecting = true;
    expect(gate.refuse('web', ROOM)).toBeUndefined();
  });

  it('refuses a request that would wait when the hold buffer is full', () => {
    const gate = new RequestGate();
    gate.stateChanged('restarting', 'file changed');
    expect(gate.refuse('web', { fits: false, held: 3 })?.error).toMatchObject({
      data: { reason: 'buffer_full' },
    });
    expect(gate.refuse('web', { fits: false, held: 3 })?.message).toContain('3 requests wait');
  });

  it('refuses at once, with the error that says what to do, while a person has to act', () => {
    const gate = new RequestGate();
    gate.reconnecting = true;
    expect(gate.stateChanged('needs-auth', 'web wants you to sign in')).toEqual({
      error: 'AUTH_REQUIRED',
      detail: 'the server is needs-auth: web wants you to sign in',
    });
    expect(gate.reconnecting).toBe(false);
    expect(gate.refuse('web', ROOM)?.error).toMatchObject({ code: -32075 });
    expect(gate.stateChanged('needs-secret', 'set "k"')?.error).toBe('SERVER_UNAVAILABLE');
    expect(gate.stateChanged('stopped', 'stop requested')?.error).toBe('SERVER_UNAVAILABLE');
  });
});
