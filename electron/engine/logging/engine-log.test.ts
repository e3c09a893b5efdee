import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createEngineLog } from './engine-log.js';

describe('createEngineLog', () => {
  it('prefixes lines, and stops writing (without an error escaping) once stderr is gone', async () => {
    const written: string[] = [];
    let broken = false;
    const stderr = new Writable({
      write(chunk: Buffer, _encoding, done) {
        if (broken) return done(new Error('write EPIPE'));
        written.push(chunk.toString());
        done();
      },
    });
    const log = createEngineLog(stderr);
    log('one');
    broken = true;
    log('two'); // fails: the stream emits 'error', which must have a listener
    await new Promise((r) => setImmediate(r));
    log('three');
    expect(written).toEqual(['[switchboard] one\n']);
    expect(stderr.destroyed).toBe(true);
  });
});
