import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { main } from './main.js';

async function cli(...argv: string[]) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c: Buffer) => (out += c.toString()));
  stderr.on('data', (c: Buffer) => (err += c.toString()));
  const code = await main(argv, { stdin: new PassThrough(), stdout, stderr, cwd: process.cwd() });
  return { code, out, err };
}

describe('switchboard CLI', () => {
  it('prints its version from package.json', async () => {
    const { code, out } = await cli('--version');
    expect(code).toBe(0);
    expect(out.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('prints help', async () => {
    expect((await cli('--help')).out).toMatch(/Usage: switchboard <command>/);
    expect((await cli('run', '--help')).out).toMatch(/Usage: switchboard run \[options\] -- CMD/);
  });

  it('rejects an unknown command with exit code 2 and a pointer to help', async () => {
    const { code, err } = await cli('frobnicate');
    expect(code).toBe(2);
    expect(err).toMatch(/unknown command "frobnicate"[\s\S]*switchboard --help/);
  });

  it('rejects bad run options with exit code 2', async () => {
    const { code, err } = await cli('run', '--debounce', 'x', '--', 'node');
    expect(code).toBe(2);
    expect(err).toMatch(/--debounce needs a non-negative number[\s\S]*switchboard run --help/);
  });
});
