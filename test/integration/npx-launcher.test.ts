import { execFile } from 'node:child_process';
import { readFileSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { REPO } from './run-harness.js';

// What makes `npx switchboard` work in the checkout: the package depends on itself ("file:."), so npm
// ci links its bin into node_modules/.bin, and npx runs that link. Running `npx` here tested npm
// instead: on a cold npm cache npm 11 first copies the checkout into its npx cache (21 s seen), and a
// run killed by a timeout left that cache broken for every later `npx`. So this runs the link itself,
// with no clock of its own: vitest's test timeout is the only bound. (Windows gets a .cmd shim.)
const LINK = path.join(REPO, 'node_modules/.bin/switchboard');
const pkg = JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')) as {
  version: string;
  bin: Record<string, string>;
};

describe.skipIf(process.platform === 'win32')('npx switchboard', () => {
  it('is node_modules/.bin/switchboard, linked by npm ci to bin/switchboard.mjs', () => {
    expect(pkg.bin.switchboard).toBe('bin/switchboard.mjs');
    expect(realpathSync(LINK)).toBe(realpathSync(path.join(REPO, 'bin/switchboard.mjs')));
  });

  it('runs the built CLI through that link and prints the version', async () => {
    const { stdout } = await promisify(execFile)(LINK, ['--version'], { cwd: REPO, encoding: 'utf8' });
    expect(stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    expect(stdout.trim()).toBe(pkg.version);
  });
});
