import { describe, expect, it } from 'vitest';
import { EngineAlreadyRunningError } from '../engine/index.js';
import { conflictChoice } from './engine-conflict.js';

describe('conflictChoice', () => {
  it('names the running engine, where it serves, and both ways out', () => {
    const err = new EngineAlreadyRunningError('/home/me/.config/switchboard', {
      pid: 4242,
      host: '127.0.0.1',
      port: 7420,
      url: 'http://127.0.0.1:7420',
      token: 'secret-token',
      startedAt: 0,
    });
    const choice = conflictChoice(err);
    expect(choice.detail).toContain('pid 4242');
    expect(choice.detail).toContain('http://127.0.0.1:7420');
    expect(choice.detail).toContain('/home/me/.config/switchboard');
    expect(choice.detail).toContain('SWITCHBOARD_HOME');
    expect(choice.detail).not.toContain('secret-token');
    expect(choice.buttons).toEqual(['Open its window in the browser', 'Quit']);
  });
});
