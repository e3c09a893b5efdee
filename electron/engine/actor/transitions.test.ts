import { describe, expect, it } from 'vitest';
import { SERVER_STATES } from '../../shared/events.js';
import { nextState, TRANSITIONS, type Trigger } from './transitions.js';

const TRIGGERS: Trigger[] = [
  'start',
  'ready',
  'restart',
  'crash',
  'retry',
  'give_up',
  'need_secret',
  'need_auth',
  'stop',
];

describe('transition table', () => {
  it('has a row for every state and only targets known states', () => {
    expect(Object.keys(TRANSITIONS).sort()).toEqual([...SERVER_STATES].sort());
    for (const row of Object.values(TRANSITIONS)) {
      for (const to of Object.values(row)) expect(SERVER_STATES).toContain(to);
    }
  });

  it('lets every state but stopped be stopped', () => {
    for (const state of SERVER_STATES) {
      expect(nextState(state, 'stop')).toBe(state === 'stopped' ? undefined : 'stopped');
    }
  });

  it('follows the documented lifecycle', () => {
    expect(nextState('stopped', 'start')).toBe('starting');
    expect(nextState('starting', 'ready')).toBe('ready');
    expect(nextState('ready', 'restart')).toBe('restarting');
    expect(nextState('restarting', 'ready')).toBe('ready');
    expect(nextState('ready', 'crash')).toBe('backoff');
    expect(nextState('backoff', 'retry')).toBe('starting');
    expect(nextState('starting', 'give_up')).toBe('failed');
    expect(nextState('failed', 'restart')).toBe('starting');
    expect(nextState('ready', 'need_auth')).toBe('needs-auth');
    expect(nextState('needs-auth', 'start')).toBe('starting');
  });

  it('refuses what makes no sense', () => {
    expect(nextState('stopped', 'ready')).toBeUndefined();
    expect(nextState('failed', 'retry')).toBeUndefined();
    expect(nextState('ready', 'start')).toBeUndefined();
    expect(nextState('backoff', 'ready')).toBeUndefined();
    const legal = SERVER_STATES.flatMap((s) => TRIGGERS.filter((t) => nextState(s, t)));
    expect(nextState('ready', 'need_secret')).toBeUndefined();
    expect(nextState('needs-secret', 'retry')).toBeUndefined();
    expect(nextState('needs-auth', 'retry')).toBeUndefined();
    expect(nextState('backoff', 'need_auth')).toBeUndefined();
    expect(legal.length).toBe(32);
  });
});
