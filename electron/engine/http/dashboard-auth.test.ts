import { mkdtempSync, rmSync, statSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DashboardAuth, SESSION_COOKIE } from './dashboard-auth.js';

let home: string;
beforeEach(() => (home = mkdtempSync(path.join(tmpdir(), 'sb-dash-'))));
afterEach(() => rmSync(home, { recursive: true, force: true }));

const withCookie = (setCookie: string) =>
  ({ headers: { cookie: `other=1; ${setCookie.split(';')[0]}` } }) as unknown as IncomingMessage;

describe('DashboardAuth', () => {
  it('trades a one-time code for a signed, HttpOnly, SameSite=Strict session cookie', () => {
    let now = 1_000_000;
    const auth = new DashboardAuth({ home, token: 'secret-token', now: () => now });
    const code = auth.mintCode();
    const cookie = auth.signIn({ code })!;
    expect(cookie).toMatch(new RegExp(`^${SESSION_COOKIE}=[^;]+; HttpOnly; SameSite=Strict; Path=/`));
    expect(cookie).not.toContain('secret-token');
    expect(auth.hasSession(withCookie(cookie))).toBe(true);
    // Used up: the same code again signs nobody in.
    expect(auth.signIn({ code })).toBeUndefined();
    // A code left for over a minute is stale.
    const late = auth.mintCode();
    now += 61_000;
    expect(auth.signIn({ code: late })).toBeUndefined();
    expect(statSync(path.join(home, 'dashboard.key')).mode & 0o777).toBe(0o600);
  });

  it('takes the token instead of a code, and refuses wrong ones', () => {
    const auth = new DashboardAuth({ home, token: 'secret-token' });
    expect(auth.signIn({ token: 'secret-token' })).toBeDefined();
    expect(auth.signIn({ token: 'secret-tokeN' })).toBeUndefined();
    expect(auth.signIn({ code: 'made-up' })).toBeUndefined();
    expect(auth.signIn({})).toBeUndefined();
  });

  it('refuses forged, tampered and expired cookies; keeps sessions across a restart with the same home', () => {
    let now = 1_000_000;
    const auth = new DashboardAuth({ home, token: 't', now: () => now });
    const cookie = auth.signIn({ token: 't' })!;
    const value = cookie.split(';')[0]!.split('=')[1]!;
    const [expires, nonce, mac] = value.split('.');
    const forged = `${SESSION_COOKIE}=${Number(expires) + 1}.${nonce}.${mac}`;
    expect(auth.hasSession(withCookie(forged))).toBe(false);
    expect(auth.hasSession({ headers: {} } as IncomingMessage)).toBe(false);

    const restarted = new DashboardAuth({ home, token: 'a new token', now: () => now });
    expect(restarted.hasSession(withCookie(cookie))).toBe(true);
    const elsewhere = mkdtempSync(path.join(tmpdir(), 'sb-dash-'));
    try {
      expect(new DashboardAuth({ home: elsewhere, token: 't' }).hasSession(withCookie(cookie))).toBe(false);
    } finally {
      rmSync(elsewhere, { recursive: true, force: true });
    }
    now += 31 * 24 * 3600_000;
    expect(auth.hasSession(withCookie(cookie))).toBe(false);
  });
});
