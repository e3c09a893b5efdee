import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { IncomingMessage } from 'node:http';

export const SESSION_COOKIE = 'switchboard_session';
const CODE_TTL_MS = 60_000;
const SESSION_TTL_MS = 30 * 24 * 3600_000;
const MAX_CODES = 100;

export interface DashboardAuthOptions {
  /** Holds `dashboard.key` (mode 0600), so signed-in windows stay signed in across engine restarts. */
  home: string;
  token: string;
  now?: () => number;
}

/**
 * Sign-in for the window in a browser, without the token ever being in a URL or a log:
 * `switchboard open` asks for a one-time code (with the token), opens `/#code=…`, and the page trades
 * the code (or a pasted token) for an HttpOnly, SameSite=Strict cookie signed with a key kept in the
 * home folder. Requests with a valid cookie count as holding the token.
 */
export class DashboardAuth {
  private readonly key: Buffer;
  private readonly codes = new Map<string, number>();
  private readonly now: () => number;

  constructor(private readonly options: DashboardAuthOptions) {
    this.key = loadOrCreateKey(path.join(options.home, 'dashboard.key'));
    this.now = options.now ?? Date.now;
  }

  /** A code good for one sign-in within a minute. */
  mintCode(): string {
    const now = this.now();
    for (const [code, expires] of this.codes) if (expires < now) this.codes.delete(code);
    if (this.codes.size >= MAX_CODES) this.codes.delete(this.codes.keys().next().value!);
    const code = randomBytes(24).toString('base64url');
    this.codes.set(code, now + CODE_TTL_MS);
    return code;
  }

  /** The Set-Cookie value for a valid code (used up) or token; undefined otherwise. */
  signIn(credential: { code?: unknown; token?: unknown }): string | undefined {
    const ok =
      typeof credential.code === 'string'
        ? this.takeCode(credential.code)
        : typeof credential.token === 'string' && sameText(credential.token, this.options.token);
    if (!ok) return undefined;
    const expires = this.now() + SESSION_TTL_MS;
    const value = `${expires}.${randomBytes(16).toString('base64url')}`;
    return `${SESSION_COOKIE}=${value}.${this.sign(value)}; HttpOnly; SameSite=Strict; Path=/; Max-Age=${SESSION_TTL_MS / 1000}`;
  }

  /** Whether the request carries a cookie this engine signed and that has not expired. */
  hasSession(req: IncomingMessage): boolean {
    const cookie = req.headers.cookie;
    if (!cookie) return false;
    for (const part of cookie.split(';')) {
      const [name, ...rest] = part.trim().split('=');
      if (name !== SESSION_COOKIE) continue;
      const [expires, nonce, mac] = rest.join('=').split('.');
      if (!expires || !nonce || !mac) continue;
      if (Number(expires) > this.now() && sameText(mac, this.sign(`${expires}.${nonce}`))) return true;
    }
    return false;
  }

  private takeCode(code: string): boolean {
    const expires = this.codes.get(code);
    this.codes.delete(code);
    return expires !== undefined && expires >= this.now();
  }

  private sign(value: string): string {
    return createHmac('sha256', this.key).update(value).digest('base64url');
  }
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function loadOrCreateKey(file: string): Buffer {
  try {
    const key = readFileSync(file);
    if (key.length >= 32) return key;
  } catch {
    // none yet: make one
  }
  const key = randomBytes(32);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, key, { mode: 0o600 });
  return key;
}
