import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { keepServingThroughInternalErrors } from './last-resort.js';

const GUARD_MODULE = fileURLToPath(new URL('./last-resort.ts', import.meta.url));

/** Runs `body` in a fresh Node process with the guard imported (it acts on the whole process). */
async function inChild(body: string): Promise<string> {
  const script = `import { keepServingThroughInternalErrors } from ${JSON.stringify(GUARD_MODULE)};\n${body}`;
  const args = ['--import', 'tsx', '--input-type=module', '-e', script];
  return (await promisify(execFile)(process.execPath, args)).stdout;
}

describe('keepServingThroughInternalErrors', () => {
  it('keeps the process alive through errors nothing caught, logging each one', async () => {
    const stdout = await inChild(`
      keepServingThroughInternalErrors((line) => console.log(line.split('\\n')[0]));
      setTimeout(() => { throw new Error('boom'); }, 0);
      Promise.reject(new Error('nobody waits'));
      setTimeout(() => console.log('still serving'), 50);`);
    expect(stdout.trim().split('\n').sort()).toEqual([
      'internal error (uncaught exception), kept running; please report it: Error: boom',
      'internal error (unhandled rejection), kept running; please report it: Error: nobody waits',
      'still serving',
    ]);
  });

  it('cannot loop: a log that itself fails (stderr gone) is written to at most 10 times a minute', async () => {
    const stdout = await inChild(`
      let calls = 0;
      keepServingThroughInternalErrors(() => {
        calls++;
        setImmediate(() => { throw new Error('write EPIPE'); }); // as a closed stderr does
      });
      setImmediate(() => { throw new Error('first'); });
      setTimeout(() => { console.log(calls); process.exit(0); }, 300);`);
    expect(stdout.trim()).toBe('10');
  });

  it('removes its handlers when uninstalled', () => {
    const before = process.listenerCount('uncaughtException');
    const uninstall = keepServingThroughInternalErrors(() => {});
    expect(process.listenerCount('uncaughtException')).toBe(before + 1);
    uninstall();
    expect(process.listenerCount('uncaughtException')).toBe(before);
  });
});
