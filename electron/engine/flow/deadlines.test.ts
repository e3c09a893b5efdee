import { describe, expect, it } from 'vitest';
import { FakeClock } from '../testing/fake-clock.js';
import { Deadlines } from './deadlines.js';

describe('Deadlines', () => {
  it('expires each key at its own deadline, in any order of arrival, and forgets deleted ones', () => {
    const clock = new FakeClock(0);
    const expired: string[] = [];
    const deadlines = new Deadlines<string>(clock, (k) => expired.push(`${k}@${clock.now()}`));
    deadlines.add('slow', 1000);
    deadlines.add('fast', 100);
    deadlines.add('gone', 50);
    deadlines.delete('gone');
    clock.advance(99);
    expect(expired).toEqual([]);
    clock.advance(1);
    expect(expired).toEqual(['fast@100']);
    deadlines.add('later', 2000); // deadline 2100
    clock.advance(900);
    expect(expired).toEqual(['fast@100', 'slow@1000']);
    clock.advance(1100);
    expect(expired).toEqual(['fast@100', 'slow@1000', 'later@2100']);
  });
});
