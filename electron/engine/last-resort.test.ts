import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { keepServingThroughInternalErrors } from './last-resort.js';

describe('keepServingThroughInternalErrors', () => {
  it('keeps the process alive through errors nothing caught, logging each one', async () => {
    const hostModule = fileURLToPath(new URL('./last-resort.ts', import.meta.url));
    const script = `
      import { keepServingThroughInternalErrors } from ${JSON.stringify(hostModule)};
      keepServingThroughInternalErrors((line) => console.log(line.split('\\n')[0]));
      setTimeout(() => { throw new Error('boom'); }, 0);
      Promise.reject(new Error('nobody waits'));
      setTimeout(() => console.log('still serving'), 50);`;
    const { stdout } = await promisify(execFile)(process.execPath, [
      '--import',
      'tsx',
      '--input-type=module',
      '-e',
      script,
    ]);
    expect(stdout.trim().split('\n').sort()).toEqual([
      'internal error (uncaught exception), kept running; please report it: Error: boom',
      'internal error (unhandled rejection), kept running; please report it: Error: nobody waits',
      'still serving',
    ]);
  });

  it('removes its handlers when uninstalled', () => {
    const before = process.listenerCount('uncaughtException');
    const uninstall = keepServingThroughInternalErrors(() => {});
    expect(process.listenerCount('uncaughtException')).toBe(before + 1);
    uninstall();
    expect(process.listenerCount('uncaughtException')).toBe(before);
  });
});
