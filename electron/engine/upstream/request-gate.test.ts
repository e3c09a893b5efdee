import { describe, expect, it } from 'vitest';
import { RequestGate } from './request-gate.js';

describe('the request gate', () => {
  it('holds while the lifecycle connects or the upstream reconnects', () => {
    const gate = new RequestGate();
    expect(gate.stateChanged('starting', 'start requested')).toBeUndefined();
    expect(gate.refuse('web')).toBeUndefined();
    gate.stateChanged('ready', 'connected');
    expect(gate.refuse('web')?.error.data).toMatchObject({ reason: 'server_unavailable' });
    gate.reconnecting = true;
    expect(gate.refuse('web')).toBeUndefined();
  });

  it('refuses at once, with the error that says what to do, while a person has to act', () => {
    const gate = new RequestGate();
    gate.reconnecting = true;
    expect(gate.stateChanged('needs-auth', 'web wants you to sign in')).toEqual({
      error: 'AUTH_REQUIRED',
      detail: 'the server is needs-auth: web wants you to sign in',
    });
    expect(gate.reconnecting).toBe(false);
    expect(gate.refuse('web')?.error).toMatchObject({ code: -32075 });
    expect(gate.stateChanged('needs-secret', 'set "k"')?.error).toBe('SERVER_UNAVAILABLE');
    expect(gate.stateChanged('stopped', 'stop requested')?.error).toBe('SERVER_UNAVAILABLE');
  });
});
