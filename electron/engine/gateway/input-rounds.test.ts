import { describe, expect, it } from 'vitest';
import { FakeClock } from '../testing/fake-clock.js';
import { InputRounds, type ParkedRound } from './input-rounds.js';

function round(endpoint: string, abandoned: string[], name: string): ParkedRound {
  return { endpoint, resume: async () => undefined, abandon: () => void abandoned.push(name) };
}

describe('InputRounds', () => {
  it('gives a round back once, on its own endpoint only, by a token nobody can guess', () => {
    const rounds = new InputRounds(new FakeClock());
    const abandoned: string[] = [];
    const token = rounds.park(round('notes', abandoned, 'a'));
    expect(token).toMatch(/^sb-round-[0-9a-f-]{36}$/);
    expect(InputRounds.ours(token)).toBe(true);
    expect(InputRounds.ours('a-server-s-own-state')).toBe(false);
    expect(rounds.take(token, 'other')).toBeUndefined();
    expect(rounds.take(token, 'notes')?.endpoint).toBe('notes');
    expect(rounds.take(token, 'notes')).toBeUndefined();
    expect(abandoned).toEqual([]);
  });

  it('gives up a round its client never comes back for, and the oldest past the cap', () => {
    const clock = new FakeClock();
    const abandoned: string[] = [];
    const rounds = new InputRounds(clock, 1000, 2);
    const first = rounds.park(round('notes', abandoned, 'first'));
    rounds.park(round('notes', abandoned, 'second'));
    rounds.park(round('notes', abandoned, 'third'));
    expect(abandoned).toEqual(['first']);
    expect(rounds.take(first, 'notes')).toBeUndefined();
    clock.advance(1000);
    expect(abandoned).toEqual(['first', 'second', 'third']);
    expect(rounds.size).toBe(0);
  });
});
