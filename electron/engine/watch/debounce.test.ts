import { describe, expect, it } from 'vitest';
import { FakeClock } from '../testing/fake-clock.js';
import { ChangeDebouncer, type ChangeBatch } from './debounce.js';

function setup(delayMs = 100, maxWaitMs?: number) {
  const clock = new FakeClock();
  const flushes: ChangeBatch[] = [];
  const debouncer = new ChangeDebouncer(clock, delayMs, (b) => flushes.push(b), { maxWaitMs });
  return { clock, flushes, debouncer };
}

describe('ChangeDebouncer', () => {
  it('coalesces a burst into one flush delayMs after the last event', () => {
    const { clock, flushes, debouncer } = setup(100);
    debouncer.add('/a.js');
    clock.advance(60);
    debouncer.add('/b.js');
    clock.advance(60);
    debouncer.add('/a.js');
    clock.advance(99);
    expect(flushes).toEqual([]);
    clock.advance(1);
    expect(flushes).toEqual([{ paths: ['/a.js', '/b.js'], first: '/a.js', count: 3 }]);
    expect(clock.pending).toBe(0);
  });

  it('gives separate flushes for separate bursts', () => {
    const { clock, flushes, debouncer } = setup(100);
    debouncer.add('/a.js');
    clock.advance(150);
    debouncer.add('/b.js');
    debouncer.add('/c.js');
    clock.advance(150);
    expect(flushes).toEqual([
      { paths: ['/a.js'], first: '/a.js', count: 1 },
      { paths: ['/b.js', '/c.js'], first: '/b.js', count: 2 },
    ]);
  });

  it('flushes a never-ending stream at the max wait (default 10 × delay)', () => {
    const { clock, flushes, debouncer } = setup(100);
    for (let t = 0; t < 1000; t += 50) {
      debouncer.add(`/f${t}.log`);
      clock.advance(50);
    }
    expect(flushes).toHaveLength(1);
    expect(flushes[0]?.count).toBe(20);
    // The stream keeps going: the next burst gets its own deadline.
    for (let t = 0; t < 1000; t += 50) {
      debouncer.add('/x.log');
      clock.advance(50);
    }
    expect(flushes).toHaveLength(2);
    expect(flushes[1]).toEqual({ paths: ['/x.log'], first: '/x.log', count: 20 });
  });

  it('honours a configured maxWaitMs', () => {
    const { clock, flushes, debouncer } = setup(100, 250);
    for (let i = 0; i < 5; i++) {
      debouncer.add('/a.js');
      clock.advance(60);
    }
    // Events at 0,60,120,180,240; deadline 250 fires before the trailing timer at 340.
    expect(flushes).toHaveLength(1);
    expect(flushes[0]?.count).toBe(5);
  });

  it('flushNow flushes at once and cancel drops the burst', () => {
    const { clock, flushes, debouncer } = setup(100);
    debouncer.add('/a.js');
    expect(debouncer.pending).toBe(true);
    debouncer.flushNow();
    expect(flushes).toHaveLength(1);
    expect(debouncer.pending).toBe(false);
    debouncer.flushNow();
    expect(flushes).toHaveLength(1);

    debouncer.add('/b.js');
    debouncer.cancel();
    clock.advance(5000);
    expect(flushes).toHaveLength(1);
    expect(clock.pending).toBe(0);
  });

  it('dispose stops pending and future flushes', () => {
    const { clock, flushes, debouncer } = setup(100);
    debouncer.add('/a.js');
    debouncer.dispose();
    debouncer.add('/b.js');
    clock.advance(5000);
    expect(flushes).toEqual([]);
    expect(clock.pending).toBe(0);
  });

  it('stays usable when the listener throws', () => {
    const clock = new FakeClock();
    let calls = 0;
    const debouncer = new ChangeDebouncer(clock, 100, () => {
      calls++;
      throw new Error('boom');
    });
    debouncer.add('/a.js');
    expect(() => clock.advance(100)).toThrow('boom');
    debouncer.add('/b.js');
    expect(() => clock.advance(100)).toThrow('boom');
    expect(calls).toBe(2);
    expect(clock.pending).toBe(0);
  });
});
