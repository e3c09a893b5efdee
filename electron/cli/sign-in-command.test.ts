import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { AuthStatusDto } from '../shared/api.js';
import { signInCommand } from './sign-in-command.js';

function io() {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c: Buffer) => (out += c.toString()));
  stderr.on('data', (c: Buffer) => (err += c.toString()));
  return { io: { stdin: new PassThrough(), stdout, stderr, cwd: '/' }, out: () => out, err: () => err };
}

const base: AuthStatusDto = { server: 'web', oauth: true, signedIn: false, scopes: [] };

/** A fake engine whose getServerAuth answers come from `later`, one per call. */
function client(first: AuthStatusDto, later: AuthStatusDto[]) {
  return {
    call: async (name: string) => {
      if (name === 'signIn') return first;
      return later.shift() ?? { ...base, signInUrl: 'https://as/authorize' };
    },
  } as never;
}

describe('switchboard sign-in', () => {
  it('prints the page, then the failure the engine reports, and exits 1', async () => {
    const t = io();
    const waiting = { ...base, signInUrl: 'https://as/authorize?x=1' };
    const failed = { ...base, problem: 'sign-in failed: the authorization server refused: access_denied' };
    expect(await signInCommand(client(waiting, [waiting, failed]), ['web'], t.io, { pollMs: 1 })).toBe(1);
    expect(t.out()).toContain('  https://as/authorize?x=1\n');
    expect(t.err()).toBe(
      'switchboard: web: sign-in failed: the authorization server refused: access_denied\n',
    );
  });

  it('gives up after its wait, saying to run it again', async () => {
    const t = io();
    const waiting = { ...base, signInUrl: 'https://as/authorize' };
    expect(await signInCommand(client(waiting, []), ['web'], t.io, { waitMs: 20, pollMs: 5 })).toBe(1);
    expect(t.err()).toMatch(/did not come back in time; run sign-in again/);
  });

  it('refuses options and extra words', async () => {
    const t = io();
    await expect(signInCommand(client(base, []), ['--all'], t.io)).rejects.toThrow(
      /usage: switchboard sign-in NAME/,
    );
    await expect(signInCommand(client(base, []), ['a', 'b'], t.io)).rejects.toThrow(/usage/);
  });
});
