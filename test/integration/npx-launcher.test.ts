import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { REPO } from './run-harness.js';

describe('npx switchboard', () => {
  it('runs the built CLI from the repo root after npm ci', () => {
    const out = execFileSync('npx', ['--no-install', 'switchboard', '--version'], {
      cwd: REPO,
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(out.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
